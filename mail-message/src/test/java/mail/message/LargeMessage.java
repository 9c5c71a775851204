package mail.message;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A ~50 MB message produced on the fly (never held in memory), with the offsets it will have known in advance:
 * a 2 MB text part, a 48 MB base64 attachment and a 3 MB text part that is one single line.
 */
final class LargeMessage extends InputStream {
    private record Segment(byte[] pattern, long repeat, long start) {
        long length() {
            return pattern.length * repeat;
        }
    }

    private final List<Segment> segments = new ArrayList<>();
    private long total;
    private long pos;
    private int current;

    final long[] bodyStart = new long[3];
    final long[] bodyEnd = new long[3];
    final long[] lines = new long[3];

    LargeMessage() {
        add("From: big@example.org\r\nTo: you@example.org\r\nSubject: fifty megabytes\r\n"
                + "Content-Type: multipart/mixed; boundary=BIG\r\n\r\n--BIG\r\nContent-Type: text/plain\r\n\r\n", 1);
        long textLines = 2_000_000 / 40;
        part(0, "lorem ipsum dolor sit amet 0123456789\r\n", textLines);
        add("--BIG\r\nContent-Type: application/octet-stream; name=big.bin\r\n"
                + "Content-Disposition: attachment; filename=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n", 1);
        part(1, "QUJD".repeat(19) + "\r\n", 48_000_000 / 78);
        add("--BIG\r\nContent-Type: text/plain\r\n\r\n", 1);
        bodyStart[2] = total;
        add("x", 3_000_000);
        bodyEnd[2] = total;
        add("\r\n--BIG--\r\n", 1);
    }

    private void part(int index, String line, long count) {
        bodyStart[index] = total;
        add(line, count);
        bodyEnd[index] = total - 2; // the last CRLF belongs to the next delimiter
        lines[index] = count - 1;
    }

    private void add(String pattern, long repeat) {
        Segment s = new Segment(pattern.getBytes(StandardCharsets.US_ASCII), repeat, total);
        segments.add(s);
        total += s.length();
    }

    long size() {
        return total;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= total) {
            return -1;
        }
        int n = 0;
        while (n < len && pos < total) {
            Segment s = segments.get(current);
            long inSegment = pos - s.start();
            if (inSegment >= s.length()) {
                current++;
                continue;
            }
            b[off + n++] = s.pattern()[(int) (inSegment % s.pattern().length)];
            pos++;
        }
        return n;
    }
}
