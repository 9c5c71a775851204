package mail.message.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a message once: the header section into memory (bounded), then the body in chunks to a consumer, so a
 * message of any size costs one buffer. Bare LF is accepted as a line end everywhere, as stored messages may have it.
 */
final class MessageReader {
    /** Receives body octets as they come. */
    interface BodyConsumer {
        void accept(byte[] b, int off, int len);
    }

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean headersRead;

    MessageReader(InputStream in) {
        this.in = in;
    }

    /**
     * @param maxBytes the header section may not be longer than this (the blank line not counted)
     * @throws DkimMessageException if it is
     */
    List<HeaderField> readHeaders(int maxBytes) throws IOException {
        if (headersRead) {
            throw new IllegalStateException("headers already read");
        }
        headersRead = true;
        List<HeaderField> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        Line line = new Line();
        long total = 0;
        while (true) {
            line.reset();
            boolean eol = readLine(line, maxBytes - total + 2);
            int len = line.size();
            total += len + 2;
            if (total > maxBytes + 2L) {
                throw new DkimMessageException("the header section is longer than " + maxBytes
                        + " octets; refusing to read further");
            }
            if (len == 0) {
                if (eol || field.size() > 0) {
                    flush(field, fields);
                }
                return fields;
            }
            byte first = line.bytes[0];
            if (!((first == ' ' || first == '\t') && field.size() > 0)) {
                flush(field, fields);
            }
            field.write(line.bytes, 0, len);
            field.write('\r');
            field.write('\n');
            if (!eol) {
                flush(field, fields);
                return fields;
            }
        }
    }

    private static void flush(ByteArrayOutputStream field, List<HeaderField> fields) {
        if (field.size() == 0) {
            return;
        }
        String raw = field.toString(StandardCharsets.ISO_8859_1);
        field.reset();
        int colon = raw.indexOf(':');
        // a name may be followed by white space before the colon (obsolete syntax), never preceded by it
        String name = colon < 0 || raw.charAt(0) == ' ' || raw.charAt(0) == '\t' ? "" : raw.substring(0, colon).strip();
        if (!validName(name)) {
            name = "";
        }
        fields.add(new HeaderField(name, raw));
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 33 || c > 126) {
                return false;
            }
        }
        return true;
    }

    /** A line without its CR LF / LF; false when it ended at end of input instead. */
    private boolean readLine(Line line, long budget) throws IOException {
        while (true) {
            if (pos == limit && !fill()) {
                return false;
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int end = pos;
            boolean found = pos < limit;
            if (found) {
                pos++;
            }
            line.write(buf, start, end - start);
            if (found) {
                // also a CR that ended the previous buffer
                line.dropTrailingCr();
                return true;
            }
            if (line.size() > budget) {
                // keep reading this endless line would only fill memory; the caller reports the limit
                return true;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            pos = 0;
            limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /** Everything after the header section, as it is. */
    void streamBody(BodyConsumer consumer) throws IOException {
        if (!headersRead) {
            throw new IllegalStateException("read the headers first");
        }
        if (pos < limit) {
            consumer.accept(buf, pos, limit - pos);
            pos = limit;
        }
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            consumer.accept(buf, 0, n);
        }
    }

    private static final class Line {
        byte[] bytes = new byte[256];
        int size;

        void reset() {
            size = 0;
        }

        int size() {
            return size;
        }

        void write(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        void dropTrailingCr() {
            if (size > 0 && bytes[size - 1] == '\r') {
                size--;
            }
        }
    }
}
