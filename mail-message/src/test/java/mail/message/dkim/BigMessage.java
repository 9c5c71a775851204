package mail.message.dkim;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A message of any size made on the fly and never held in memory: a header, then one line repeated. */
final class BigMessage extends InputStream {
    private static final byte[] HEAD = ("From: big@example.test\r\nTo: you@remote.example\r\nSubject: big\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LINE = ("QUJD".repeat(19) + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long size;
    private long pos;

    BigMessage(long approximateSize) {
        this.size = HEAD.length + (approximateSize / LINE.length) * LINE.length;
    }

    long size() {
        return size;
    }

    @Override
    public int read() {
        if (pos >= size) {
            return -1;
        }
        int b = at(pos);
        pos++;
        return b;
    }

    private static int at(long p) {
        return p < HEAD.length ? HEAD[(int) p] : LINE[(int) ((p - HEAD.length) % LINE.length)];
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - pos);
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) at(pos + i);
        }
        pos += n;
        return n;
    }
}
