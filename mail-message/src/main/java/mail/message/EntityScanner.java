package mail.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over one message: a recursive descent over lines that knows the boundary of every enclosing
 * multipart, so each line is classified (header, boundary of level n, body) exactly once as it streams by.
 * Offsets are exact because the line reader counts every octet it hands out; nothing is ever re-read except
 * one line pushed back when a header section ends without its blank line.
 */
final class EntityScanner {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LF = {'\n'};
    private static final int MAX_DEFECTS = 20;

    private final LineReader r;
    private final ParserLimits limits;
    private final Boundaries boundaries = new Boundaries();
    private final Set<String> defects = new LinkedHashSet<>();

    private int partCount;
    private boolean utf8Headers;
    private boolean hasAttachments;
    private HeaderFields rootFields;
    private ByteArrayOutputStream rawHeader;

    private CappedText searchBody;
    private CappedText plainPreview;
    private CappedText htmlPreview;

    // where the last entity body stopped: a boundary line of level hitLevel, or the end of input (-1)
    private int hitLevel;
    private boolean hitClose;
    private long hitPos;
    private long hitLf;
    private int hitPrevTerm;

    // set by readHeaders
    private long bodyStart;
    private long lfAtBodyStart;
    private boolean headerHit;

    EntityScanner(InputStream in, ParserLimits limits) {
        this.r = new LineReader(in);
        this.limits = limits;
    }

    ParsedMessage run() throws IOException {
        searchBody = new CappedText(limits.maxSearchTextChars());
        BodyPart root;
        try {
            root = entity(0, false, true).part();
            while (r.next()) {
                // unreachable in practice: the root consumes everything; kept so size is always the full input
            }
        } catch (RuntimeException e) {
            // a bug must not lose mail: record it and describe the message as one opaque part
            defect("internal-error " + e.getClass().getSimpleName());
            while (r.next()) {
                // drain to count the size
            }
            root = new BodyPart("text", "plain", Map.of("charset", "US-ASCII"), null, null, "7bit", null, null,
                    List.of(), null, 0, 0, r.position(), r.lfCount(), List.of(), null, null);
            rootFields = rootFields == null ? new HeaderFields() : rootFields;
            rawHeader = null; // whatever was captured no longer matches headerLength 0
        }
        return assemble(root);
    }

    private ParsedMessage assemble(BodyPart root) {
        HeaderFields h = rootFields;
        Envelope envelope = h.envelope();
        String subject = h.decoded("subject");
        SearchText search = searchText(h, subject);
        String preview = plainPreview != null && plainPreview.length() > 0 ? plainPreview.toString()
                : htmlPreview != null ? htmlPreview.toString() : "";
        String raw = rawHeader == null ? null : rawHeader.toString(StandardCharsets.ISO_8859_1);
        List<String> messageIds = MessageIds.parse(h.get("message-id"));
        return new ParsedMessage(r.position(), root.bodyStart(), root.lines(), envelope, root, raw,
                DateParser.parse(h.get("date")), BaseSubject.of(subject),
                messageIds.isEmpty() ? null : messageIds.get(0),
                MessageIds.references(h.get("references"), h.get("in-reply-to"), limits.maxReferences()),
                preview.strip(), search, hasAttachments, r.sawEightBit(), utf8Headers, List.copyOf(defects));
    }

    private SearchText searchText(HeaderFields h, String subject) {
        // headers were measured first, body text got what was left of the cap
        CappedText all = new CappedText(limits.maxSearchTextChars());
        String[] values = {subject, h.decoded("from"), h.decoded("to"), h.decoded("cc"), h.decoded("bcc")};
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            int before = all.length();
            all.separate();
            all.append(values[i] == null ? "" : values[i]);
            out[i] = all.toString().substring(Math.min(before, all.length())).strip();
        }
        boolean truncated = all.truncated() || searchBody.truncated();
        return new SearchText(out[0], out[1], out[2], out[3], out[4], searchBody.toString(), truncated);
    }

    private record Node(BodyPart part, HeaderFields fields, long lfAtBodyStart) {
    }

    /** Parses one entity from the current position; returns with the hit* fields describing what ended it. */
    private Node entity(int depth, boolean digestChild, boolean root) throws IOException {
        partCount++;
        long headerStart = r.position();
        if (root) {
            rawHeader = new ByteArrayOutputStream();
        }
        HeaderFields h = readHeaders(root);
        if (root) {
            rootFields = h;
            searchBody.setCap(limits.maxSearchTextChars() - headerSearchLength(h));
        }
        long start = bodyStart;
        long lfStart = lfAtBodyStart;
        boolean bodyEnded = headerHit;

        MimeValue ct = MimeValue.parse(h.get("content-type"));
        String type;
        String subtype;
        Map<String, String> params;
        if (ct != null && validType(ct.head())) {
            int slash = ct.head().indexOf('/');
            type = ct.head().substring(0, slash).strip();
            subtype = ct.head().substring(slash + 1).strip();
            params = ct.params();
        } else {
            if (ct != null) {
                defect("bad-content-type");
            }
            type = digestChild && ct == null ? "message" : "text";
            subtype = digestChild && ct == null ? "rfc822" : "plain";
            params = Map.of();
        }
        String encoding = h.get("content-transfer-encoding");
        encoding = encoding == null || encoding.isBlank() ? "7bit"
                : Charsets.lower(MimeValue.stripComments(encoding).strip());
        MimeValue disp = MimeValue.parse(h.get("content-disposition"));
        Disposition disposition = disp == null || disp.head().isEmpty() ? null
                : new Disposition(disp.head(), disp.params());

        boolean multipart = type.equals("multipart");
        boolean message = type.equals("message") && subtype.equals("rfc822");
        if ((multipart || message) && depth >= limits.maxDepth()) {
            defect("depth-limit");
            type = "application";
            subtype = "octet-stream";
            multipart = false;
            message = false;
        }
        if (multipart) {
            String boundary = params.get("boundary");
            if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
                defect("multipart-without-boundary");
                type = "text";
                subtype = "plain";
                params = Map.of();
                multipart = false;
            }
        }
        if (message && !(encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary"))) {
            // an encoded message/rfc822 is forbidden (RFC 2046 5.2.1); its bytes are not a message as they stand
            defect("encoded-message-rfc822");
            type = "application";
            subtype = "octet-stream";
            message = false;
        }
        if (multipart && bodyEnded || message && bodyEnded) {
            defect("container-without-body");
            type = "text";
            subtype = "plain";
            params = Map.of();
            multipart = false;
            message = false;
        }
        if (type.equals("text") && !params.containsKey("charset")) {
            Map<String, String> withCharset = new LinkedHashMap<>();
            withCharset.put("charset", "US-ASCII");
            withCharset.putAll(params);
            params = withCharset;
        }

        List<BodyPart> children = List.of();
        Envelope nestedEnvelope = null;
        BodyPart nested = null;
        long end;
        long lines;
        if (multipart) {
            children = multipart(depth, params.get("boundary").getBytes(StandardCharsets.ISO_8859_1),
                    subtype.equals("digest"));
            end = endOf(start);
            lines = linesOf(start, lfStart);
            if (!children.isEmpty()) {
                BodyPart last = children.get(children.size() - 1);
                if (last.bodyEnd() > end) {
                    end = last.bodyEnd(); // broken input: keep the children inside their parent
                    lines = hitLf - lfStart;
                }
            } else {
                // RFC 9051 has no syntax for a multipart without parts: describe what is there as text
                defect("multipart-without-parts");
                type = "text";
                subtype = "plain";
                params = Map.of("charset", "US-ASCII");
            }
        } else if (message) {
            Node inner = entity(depth + 1, false, false);
            nested = inner.part();
            nestedEnvelope = inner.fields().envelope();
            end = nested.bodyEnd();
            lines = inner.lfAtBodyStart() - lfStart + nested.lines();
        } else {
            boolean attachment = isAttachment(type, disposition, params);
            if (!bodyEnded) {
                leaf(textExtractor(type, subtype, encoding, params, attachment));
            }
            end = endOf(start);
            lines = linesOf(start, lfStart);
        }
        if (nested != null || children.isEmpty() && isAttachment(type, disposition, params)) {
            hasAttachments = true;
        }
        BodyPart part = new BodyPart(type, subtype, params, h.get("content-id"), h.get("content-description"),
                encoding, h.get("content-md5"), disposition, languages(h.get("content-language")),
                location(h.get("content-location")), headerStart, start, Math.max(end, start), Math.max(lines, 0),
                children, nestedEnvelope, nested);
        return new Node(part, h, lfStart);
    }

    /** Where a body that started at {@code start} ends, given the hit: the CRLF before a boundary is not body. */
    private long endOf(long start) {
        return Math.max(start, hitPos - hitPrevTerm);
    }

    private long linesOf(long start, long lfStart) {
        boolean terminatorExcluded = hitPrevTerm > 0 && hitPos - hitPrevTerm >= start;
        return hitLf - lfStart - (terminatorExcluded ? 1 : 0);
    }

    private List<BodyPart> multipart(int depth, byte[] boundary, boolean digest) throws IOException {
        int level = boundaries.push(boundary);
        List<BodyPart> children = new ArrayList<>();
        boolean closed = false;
        skipToBoundary(); // preamble
        while (hitLevel == level && !hitClose) {
            if (partCount >= limits.maxParts()) {
                defect("part-limit");
                skipToBoundary();
                continue;
            }
            children.add(entity(depth + 1, digest, false).part());
        }
        if (hitLevel == level) {
            closed = true;
            boundaries.pop(level);
            skipToBoundary(); // epilogue, up to an enclosing boundary or the end
        } else {
            boundaries.pop(level);
        }
        if (!closed) {
            defect("missing-close-boundary");
        }
        return children;
    }

    private void skipToBoundary() throws IOException {
        while (r.next()) {
            if (boundaryHit()) {
                return;
            }
        }
        eofHit();
    }

    private void leaf(TextExtractor text) throws IOException {
        int pendingTerm = 0;
        while (r.next()) {
            if (boundaryHit()) {
                finish(text);
                return;
            }
            if (text != null) {
                if (pendingTerm > 0) {
                    text.feed(pendingTerm == 2 ? CRLF : LF, 0, pendingTerm);
                }
                text.feed(r.buffer(), r.start, r.length);
                if (text.saturated()) {
                    finish(text);
                    text = null;
                }
            }
            pendingTerm = r.termLength;
        }
        if (text != null && pendingTerm > 0) {
            text.feed(pendingTerm == 2 ? CRLF : LF, 0, pendingTerm);
        }
        finish(text);
        eofHit();
    }

    private static void finish(TextExtractor text) {
        if (text != null) {
            text.finish();
        }
    }

    private TextExtractor textExtractor(String type, String subtype, String encoding, Map<String, String> params,
                                        boolean attachment) {
        if (!type.equals("text")) {
            return null;
        }
        List<CappedText> sinks = new ArrayList<>(2);
        if (!searchBody.full()) {
            searchBody.separate();
            sinks.add(searchBody);
        }
        boolean html = subtype.equals("html") || subtype.equals("xhtml+xml");
        if (!attachment && subtype.equals("plain") && plainPreview == null) {
            plainPreview = new CappedText(limits.previewChars());
            sinks.add(plainPreview);
        } else if (!attachment && html && htmlPreview == null) {
            htmlPreview = new CappedText(limits.previewChars());
            sinks.add(htmlPreview);
        }
        if (sinks.isEmpty()) {
            return null;
        }
        return new TextExtractor(encoding, Charsets.forText(params.get("charset")), html, sinks);
    }

    private static boolean isAttachment(String type, Disposition disposition, Map<String, String> params) {
        if (type.equals("multipart")) {
            return false;
        }
        if (disposition != null && disposition.type().equals("attachment")) {
            return true;
        }
        String name = disposition != null && disposition.filename() != null ? disposition.filename()
                : params.get("name");
        return name != null && (disposition == null || !disposition.type().equals("inline"));
    }

    private boolean boundaryHit() {
        if (!r.atLineStart || !boundaries.match(r.buffer(), r.start, r.length)) {
            return false;
        }
        hitLevel = boundaries.level;
        hitClose = boundaries.close;
        hitPos = r.pos;
        hitLf = r.lfBefore;
        hitPrevTerm = r.previousTermLength;
        return true;
    }

    private void eofHit() {
        hitLevel = -1;
        hitClose = false;
        hitPos = r.position();
        hitLf = r.lfCount();
        hitPrevTerm = 0;
    }

    /**
     * Reads a header section. Sets bodyStart/lfAtBodyStart; headerHit is true when the section was ended by a
     * boundary or the end of input, i.e. the entity has no body at all.
     */
    private HeaderFields readHeaders(boolean root) throws IOException {
        HeaderFields fields = new HeaderFields();
        String name = null;
        ByteArrayOutputStream value = null;
        int count = 0;
        boolean sawField = false;
        headerHit = false;
        while (r.next()) {
            if (boundaryHit()) {
                store(fields, name, value);
                bodyStart = r.pos;
                lfAtBodyStart = r.lfBefore;
                headerHit = true;
                return fields;
            }
            byte[] b = r.buffer();
            if (r.atLineStart && r.length == 0) {
                capture(root);
                store(fields, name, value);
                bodyStart = r.position();
                lfAtBodyStart = r.lfCount();
                return fields;
            }
            if (!r.atLineStart || b[r.start] == ' ' || b[r.start] == '\t') {
                capture(root);
                checkEightBit();
                if (value != null) {
                    append(value, b, r.start, r.length);
                } else if (!sawField) {
                    defect("header-continuation-without-field");
                }
                continue;
            }
            int colon = fieldNameEnd(b, r.start, r.length);
            if (colon < 0) {
                // not a header field: the header section ended without its blank line; this line is body
                defect("no-blank-line-after-header");
                r.unread();
                bodyStart = r.pos;
                lfAtBodyStart = r.lfBefore;
                store(fields, name, value);
                return fields;
            }
            capture(root);
            checkEightBit();
            store(fields, name, value);
            name = null;
            value = null;
            sawField = true;
            if (++count > limits.maxHeaderFields()) {
                defect("header-field-limit");
                continue;
            }
            String fieldName = Charsets.lower(new String(b, r.start, colon - r.start, StandardCharsets.ISO_8859_1)
                    .strip());
            if (HeaderFields.WANTED.contains(fieldName) && !fields.has(fieldName)) {
                name = fieldName;
                value = new ByteArrayOutputStream();
                append(value, b, colon + 1, r.start + r.length - colon - 1);
            }
        }
        store(fields, name, value);
        bodyStart = r.position();
        lfAtBodyStart = r.lfCount();
        headerHit = true;
        eofHit();
        return fields;
    }

    private void append(ByteArrayOutputStream value, byte[] b, int off, int len) {
        int room = limits.maxHeaderFieldOctets() - value.size();
        if (len > room) {
            defect("header-field-truncated");
        }
        value.write(b, off, Math.max(0, Math.min(len, room)));
    }

    private static void store(HeaderFields fields, String name, ByteArrayOutputStream value) {
        if (name != null) {
            byte[] bytes = value.toByteArray();
            fields.put(name, Charsets.headerText(bytes, 0, bytes.length).strip());
        }
    }

    private void capture(boolean root) {
        if (!root || rawHeader == null) {
            return;
        }
        int len = r.length + r.termLength;
        if (rawHeader.size() + len > limits.maxRawHeaderOctets()) {
            rawHeader = null;
            return;
        }
        rawHeader.write(r.buffer(), r.start, len);
    }

    private void checkEightBit() {
        byte[] b = r.buffer();
        for (int i = r.start; i < r.start + r.length; i++) {
            if (b[i] < 0) {
                utf8Headers = true;
                return;
            }
        }
    }

    /** Index of the colon ending a valid field name (printable ASCII, optional WSP before the colon), or -1. */
    private static int fieldNameEnd(byte[] b, int start, int length) {
        int end = start + length;
        int i = start;
        while (i < end && b[i] > 32 && b[i] < 127 && b[i] != ':') {
            i++;
        }
        if (i == start) {
            return -1;
        }
        while (i < end && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i < end && b[i] == ':' ? i : -1;
    }

    private static boolean validType(String head) {
        int slash = head.indexOf('/');
        if (slash <= 0 || slash == head.length() - 1 || head.indexOf('/', slash + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c <= 32 || c >= 127 || "()<>@,;:\\\"[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** A URI (RFC 2557 §4.4.1): comments, quotes and folding whitespace are not part of it. */
    private static String location(String value) {
        if (value == null) {
            return null;
        }
        String uri = MimeValue.stripComments(value).replaceAll("[\\s\"]", "");
        return uri.isEmpty() ? null : uri;
    }

    private static List<String> languages(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String piece : MimeValue.stripComments(value).split(",")) {
            String tag = piece.strip();
            if (!tag.isEmpty() && out.size() < 20) {
                out.add(tag);
            }
        }
        return out;
    }

    private int headerSearchLength(HeaderFields h) {
        int n = 0;
        for (String name : new String[] {"subject", "from", "to", "cc", "bcc"}) {
            String v = h.decoded(name);
            n += v == null ? 0 : v.length() + 1;
        }
        return n;
    }

    private void defect(String code) {
        if (defects.size() < MAX_DEFECTS) {
            defects.add(code);
        }
    }
}
