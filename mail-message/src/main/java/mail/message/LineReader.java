package mail.message;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits the raw stream into lines while counting absolute offsets and LF octets. A line longer than the buffer
 * comes out as several fragments (only the first has {@code atLineStart}), so memory stays at one buffer no
 * matter what the input looks like. A CR is only part of a terminator when an LF follows it.
 */
final class LineReader {
    static final int BUFFER = 16 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int rp;
    private int wp;
    private boolean eof;
    private boolean repeat;
    private boolean nextAtLineStart = true;

    // the current line (valid until the next call of next())
    long pos;
    int start;
    int length;
    int termLength;
    boolean atLineStart;
    /** LF octets before the current line. */
    long lfBefore;
    /** terminator length of the line before the current one (0 after a fragment or at the start). */
    int previousTermLength;

    private long nextPos;
    private long lfCount;
    private int lastTermLength;
    private boolean eightBit;

    LineReader(InputStream in) {
        this.in = in;
    }

    byte[] buffer() {
        return buf;
    }

    /** Makes the next call of next() return the current line again. */
    void unread() {
        repeat = true;
    }

    /** Offset just after everything consumed so far (the end of the message once next() returned false). */
    long position() {
        return repeat ? pos : nextPos; // a pushed-back line has not been consumed yet
    }

    long lfCount() {
        return repeat ? lfBefore : lfCount;
    }

    boolean sawEightBit() {
        return eightBit;
    }

    int lastTermLength() {
        return lastTermLength;
    }

    boolean next() throws IOException {
        if (repeat) {
            repeat = false;
            return true;
        }
        int lf = indexOfLf(rp);
        while (lf < 0 && !eof && wp - rp < buf.length) {
            int scanned = wp - rp;
            fill();
            lf = indexOfLf(rp + scanned);
        }
        if (lf < 0 && wp == rp) {
            return false;
        }
        previousTermLength = lastTermLength;
        pos = nextPos;
        start = rp;
        atLineStart = nextAtLineStart;
        lfBefore = lfCount;
        int end;
        if (lf >= 0) {
            end = lf + 1;
            termLength = lf > rp && buf[lf - 1] == '\r' ? 2 : 1;
            lfCount++;
            nextAtLineStart = true;
        } else if (eof) {
            end = wp;
            termLength = 0;
            nextAtLineStart = true;
        } else {
            // buffer full without LF: hand out a fragment, keeping a trailing CR for the next round
            end = buf[wp - 1] == '\r' ? wp - 1 : wp;
            termLength = 0;
            nextAtLineStart = false;
        }
        length = end - rp - termLength;
        for (int i = rp; i < end; i++) {
            if (buf[i] < 0) {
                eightBit = true;
                break;
            }
        }
        lastTermLength = termLength;
        nextPos += end - rp;
        rp = end;
        return true;
    }

    private int indexOfLf(int from) {
        for (int i = from; i < wp; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fill() throws IOException {
        if (rp > 0) {
            System.arraycopy(buf, rp, buf, 0, wp - rp);
            // the current line view moves with the data; callers never use it across next()
            wp -= rp;
            start -= rp;
            rp = 0;
        }
        int n = in.read(buf, wp, buf.length - wp);
        if (n < 0) {
            eof = true;
        } else {
            wp += n;
        }
    }
}
