package mail.message;

import java.util.List;
import java.util.Map;

/**
 * One MIME entity of the structure tree, with what BODYSTRUCTURE needs (extension data included) and where
 * its bytes are in the raw message.
 *
 * <p>Offsets are absolute octet positions in the raw message: {@code [headerStart, bodyStart)} is the MIME
 * header including the blank line that ends it (BODY[n.MIME], or BODY[HEADER] of a message), and
 * {@code [bodyStart, bodyEnd)} is the encoded body (BODY[n]); the CRLF before a boundary delimiter belongs to
 * the delimiter, not to the body (RFC 2046 §5.1.1). {@code lines} is the number of LF octets in the body.
 *
 * <p>Normalised values: type, subtype, encoding, disposition type and parameter names are lower case;
 * parameter values are decoded (RFC 2231 continuations and charsets, quotes removed). A missing or unusable
 * Content-Type becomes text/plain (message/rfc822 inside multipart/digest); text parts without a charset get
 * {@code charset=us-ascii} (RFC 2045 §5.2, as IMAP servers report it); a missing Content-Transfer-Encoding is
 * "7bit". The location is the URI without comments, quotes and folding whitespace (RFC 2557). Other strings
 * (id, description, md5) are raw unfolded header values.
 *
 * <p>Multipart parts have {@code parts} (never empty: a multipart without any part is reported as
 * text/plain). A message/rfc822 part has {@code envelope} and {@code message}, the root entity of the
 * embedded message, whose headerStart equals this part's bodyStart.
 */
public record BodyPart(
        String type,
        String subtype,
        Map<String, String> params,
        String id,
        String description,
        String encoding,
        String md5,
        Disposition disposition,
        List<String> language,
        String location,
        long headerStart,
        long bodyStart,
        long bodyEnd,
        long lines,
        List<BodyPart> parts,
        Envelope envelope,
        BodyPart message) {

    public BodyPart {
        params = Params.copy(params);
        language = language == null ? List.of() : List.copyOf(language);
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /** Encoded body size in octets, as BODYSTRUCTURE reports it. */
    public long size() {
        return bodyEnd - bodyStart;
    }

    public boolean isMultipart() {
        return "multipart".equals(type);
    }

    public boolean isMessage() {
        return message != null;
    }

    public boolean isText() {
        return "text".equals(type);
    }

    public String mimeType() {
        return type + "/" + subtype;
    }

    public String param(String name) {
        return params.get(name);
    }

    /** The file name a client would show: disposition filename, else the Content-Type name parameter. */
    public String filename() {
        String name = disposition == null ? null : disposition.filename();
        return name != null ? name : params.get("name");
    }

    /**
     * The child numbered {@code n} (1-based) by IMAP rules: a multipart's n-th part; for message/rfc822 the
     * embedded message's n-th part when it is multipart, or the embedded body itself for n = 1.
     */
    public BodyPart child(int n) {
        if (n < 1) {
            return null;
        }
        if (isMultipart()) {
            return n <= parts.size() ? parts.get(n - 1) : null;
        }
        if (message != null) {
            if (message.isMultipart()) {
                return message.child(n);
            }
            return n == 1 ? message : null;
        }
        return null;
    }
}
