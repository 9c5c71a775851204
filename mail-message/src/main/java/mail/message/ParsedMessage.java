package mail.message;

import java.time.Instant;
import java.util.List;

/**
 * Everything IMAP and POP3 need about one stored message, computed once at delivery so that protocol
 * servers only read the raw bytes to stream them.
 *
 * @param size           total octets of the raw message (RFC822.SIZE)
 * @param headerLength   octets of the top-level header section including its blank line; the top-level
 *                       body (BODY[TEXT]) is {@code [headerLength, size)}
 * @param bodyLines      LF octets in the top-level body (POP3 TOP, top-level line count)
 * @param envelope       ENVELOPE fields of the top-level header
 * @param body           the structure tree; its root covers the whole message (headerStart 0, bodyEnd size)
 * @param rawHeader      the top-level header section verbatim, one char per octet (ISO-8859-1), for
 *                       HEADER.FIELDS; null when longer than {@link ParserLimits#maxRawHeaderOctets()}
 * @param date           the Date header parsed leniently (internal-date candidate), null if absent or unusable
 * @param threadKey      RFC 5256 base subject of the decoded Subject ("" when there is none)
 * @param messageId      the Message-ID as {@code <id>}, null when absent or unusable
 * @param references     ancestors, oldest first: References ids, then In-Reply-To ids not already listed
 * @param preview        RFC 8970 style preview, "" when the message has no text
 * @param search         decoded text for SEARCH
 * @param hasAttachments a part is an attachment (disposition attachment, a named non-inline part, or an
 *                       attached message)
 * @param eightBit       the raw message contains octets above 127 anywhere
 * @param utf8Headers    a header section (any level) contains octets above 127: delivery needs SMTPUTF8 and
 *                       IMAP must treat the header as UTF-8 (RFC 6532)
 * @param defects        what was wrong with the message and how it was worked around (short codes, capped);
 *                       for logs and diagnostics only
 */
public record ParsedMessage(
        long size,
        long headerLength,
        long bodyLines,
        Envelope envelope,
        BodyPart body,
        String rawHeader,
        Instant date,
        String threadKey,
        String messageId,
        List<String> references,
        String preview,
        SearchText search,
        boolean hasAttachments,
        boolean eightBit,
        boolean utf8Headers,
        List<String> defects) {

    public ParsedMessage {
        references = List.copyOf(references);
        defects = List.copyOf(defects);
    }

    /**
     * The entity an IMAP section number names ("1", "2.1.3"): a non-multipart message is part 1 itself,
     * numbers inside message/rfc822 parts continue into the embedded message. Null when there is no such part
     * (IMAP then returns an empty string).
     */
    public BodyPart section(int... path) {
        if (path.length == 0) {
            return null;
        }
        BodyPart current;
        if (body.isMultipart()) {
            current = body.child(path[0]);
        } else {
            current = path[0] == 1 ? body : null;
        }
        for (int i = 1; i < path.length && current != null; i++) {
            current = current.child(path[i]);
        }
        return current;
    }

    /** Parses "1.2.3" (no HEADER/TEXT/MIME suffix); null when the text is not a part number list. */
    public BodyPart section(String numbers) {
        String[] pieces = numbers.split("\\.", -1);
        int[] path = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            String p = pieces[i];
            if (p.isEmpty() || p.length() > 9 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            path[i] = Integer.parseInt(p);
        }
        return section(path);
    }

    /**
     * Where BODY[section] is in the raw message (RFC 9051 §6.4.5), for section text "", "HEADER", "TEXT",
     * "1.2", "1.2.MIME", "2.HEADER", "2.TEXT". A part that does not exist, or HEADER/TEXT of a part that is not
     * message/rfc822, is the empty range (IMAP answers an empty string). Null for HEADER.FIELDS (read the
     * matching HEADER range and apply {@link HeaderSection#select}) and for text that is no section at all.
     */
    public ByteRange range(String section) {
        String spec = section.toUpperCase(java.util.Locale.ROOT);
        if (spec.isEmpty()) {
            return new ByteRange(0, size);
        }
        if (spec.equals("HEADER")) {
            return new ByteRange(0, headerLength);
        }
        if (spec.equals("TEXT")) {
            return new ByteRange(headerLength, size);
        }
        int i = 0;
        while (i < spec.length() && (Character.isDigit(spec.charAt(i)) || spec.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String numbers = spec.substring(0, i);
        String suffix = "";
        if (i < spec.length()) {
            if (spec.charAt(i - 1) != '.') {
                return null;
            }
            numbers = spec.substring(0, i - 1);
            suffix = spec.substring(i);
        } else if (numbers.endsWith(".")) {
            return null;
        }
        if (!suffix.isEmpty() && !suffix.equals("MIME") && !suffix.equals("HEADER") && !suffix.equals("TEXT")) {
            return null;
        }
        BodyPart part = section(numbers);
        if (part == null) {
            return numbers.matches("[0-9]+(\\.[0-9]+)*") ? ByteRange.EMPTY : null;
        }
        if (suffix.isEmpty()) {
            return new ByteRange(part.bodyStart(), part.bodyEnd());
        }
        if (suffix.equals("MIME")) {
            return new ByteRange(part.headerStart(), part.bodyStart());
        }
        BodyPart inner = part.message();
        if (inner == null) {
            return ByteRange.EMPTY;
        }
        return suffix.equals("HEADER") ? new ByteRange(inner.headerStart(), inner.bodyStart())
                : new ByteRange(inner.bodyStart(), inner.bodyEnd());
    }
}
