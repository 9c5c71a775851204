package mail.message;

import java.io.InputStream;
import java.util.Random;

/** Hands out the bytes in the chunk sizes a test wants (1 byte, a split at a given offset, random sizes). */
final class ChunkedInputStream extends InputStream {
    private final byte[] data;
    private final Random random;
    private final int fixedChunk;
    private final int splitAt;
    private int pos;

    private ChunkedInputStream(byte[] data, Random random, int fixedChunk, int splitAt) {
        this.data = data;
        this.random = random;
        this.fixedChunk = fixedChunk;
        this.splitAt = splitAt;
    }

    static ChunkedInputStream oneByte(byte[] data) {
        return new ChunkedInputStream(data, null, 1, -1);
    }

    static ChunkedInputStream random(byte[] data, long seed) {
        return new ChunkedInputStream(data, new Random(seed), 0, -1);
    }

    static ChunkedInputStream splitAt(byte[] data, int offset) {
        return new ChunkedInputStream(data, null, 0, offset);
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
            return -1;
        }
        int n;
        if (fixedChunk > 0) {
            n = fixedChunk;
        } else if (random != null) {
            n = 1 + random.nextInt(random.nextBoolean() ? 7 : 20_000);
        } else {
            n = pos < splitAt ? splitAt - pos : data.length - pos;
        }
        n = Math.min(Math.min(n, len), data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }
}
