package mail.auth.results;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Removes, while a message streams through, every {@code Authentication-Results} field of the header section that
 * claims our authserv-id (RFC 8601 §5: a receiver must not trust, and should delete, such fields arriving from
 * outside). Only the header section is looked at; a field is held until its last continuation line is seen, so no
 * more than one field (bounded by {@code maxFieldBytes}) is ever buffered. The body passes through untouched.
 */
public final class ForgedResultsFilter extends OutputStream {
    private final OutputStream out;
    private final String authservId;
    private final int maxFieldBytes;
    private final byte[] field;
    private int fieldLength;
    private boolean inBody;
    private boolean atLineStart = true;
    private boolean overflowed;
    private int removed;

    public ForgedResultsFilter(OutputStream out, String authservId, int maxFieldBytes) {
        this.out = out;
        this.authservId = authservId.toLowerCase(Locale.ROOT);
        this.maxFieldBytes = maxFieldBytes;
        this.field = new byte[maxFieldBytes];
    }

    /** How many fields were dropped. */
    public int removed() {
        return removed;
    }

    @Override
    public void write(int b) throws IOException {
        if (inBody) {
            out.write(b);
            return;
        }
        if (atLineStart && (fieldLength > 0 || overflowed) && b != ' ' && b != '\t') {
            // a new line that is not a continuation ends the held field
            flushField();
        }
        if (atLineStart && fieldLength == 0 && (b == '\r' || b == '\n')) {
            // the empty line: the header section ends here
            inBody = true;
            out.write(b);
            return;
        }
        append((byte) b);
        atLineStart = b == '\n';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (inBody) {
            out.write(b, off, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            if (inBody) {
                out.write(b, off + i, len - i);
                return;
            }
            write(b[off + i]);
        }
    }

    private void append(byte b) throws IOException {
        if (overflowed) {
            out.write(b);
            return;
        }
        if (fieldLength == maxFieldBytes) {
            // too long to judge: passed on unchanged, never silently cut
            out.write(field, 0, fieldLength);
            fieldLength = 0;
            overflowed = true;
            out.write(b);
            return;
        }
        field[fieldLength++] = b;
    }

    private void flushField() throws IOException {
        if (!overflowed && isForged()) {
            removed++;
        } else if (!overflowed) {
            out.write(field, 0, fieldLength);
        }
        fieldLength = 0;
        overflowed = false;
    }

    private boolean isForged() {
        String text = new String(field, 0, fieldLength, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':');
        if (colon < 0 || !text.substring(0, colon).trim().equalsIgnoreCase("Authentication-Results")) {
            return false;
        }
        String value = text.substring(colon + 1).replaceAll("\\(.*?\\)", " ").trim();
        int end = 0;
        while (end < value.length() && value.charAt(end) != ';' && !Character.isWhitespace(value.charAt(end))) {
            end++;
        }
        return value.substring(0, end).toLowerCase(Locale.ROOT).equals(authservId);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (!inBody && fieldLength > 0) {
            flushField();
        }
        out.close();
    }
}
