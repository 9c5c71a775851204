package mail.pop3.protocol;

import java.util.function.Consumer;

/**
 * Turns message bytes into the body of a RETR/TOP reply as they stream past: every line ending becomes CRLF
 * (a bare CR or LF too), a line starting with "." gets another (RFC 1939 §3), the last line is ended, and for TOP
 * only the header, the blank line and the first {@code bodyLines} lines of the body are passed on.
 *
 * <p>Output goes to {@code sink} in chunks of at most {@code chunkSize} bytes; nothing else is kept in memory.
 */
public final class DotStuffer {
    private final Consumer<byte[]> sink;
    private final byte[] buffer;
    private final long bodyLines;
    private int used;
    private boolean atLineStart = true;
    private boolean pendingCr;
    private boolean inHeader = true;
    private boolean lineEmpty = true;
    private long bodyLinesSent;
    private boolean done;

    /** @param bodyLines body lines to pass on (TOP), or a negative number for the whole message (RETR) */
    public DotStuffer(Consumer<byte[]> sink, int chunkSize, long bodyLines) {
        this.sink = sink;
        this.buffer = new byte[chunkSize];
        this.bodyLines = bodyLines;
    }

    /** True once TOP has sent all it should; the caller may stop reading the message. */
    public boolean done() {
        return done;
    }

    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len && !done; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                endLine();
                if (c == '\n' || done) {
                    continue;
                }
            }
            if (c == '\r') {
                pendingCr = true;
            } else if (c == '\n') {
                endLine();
            } else {
                if (atLineStart && c == '.') {
                    put((byte) '.');
                }
                atLineStart = false;
                lineEmpty = false;
                put(c);
            }
        }
    }

    /** Ends the last line if the message did not, adds the terminating "." line and flushes. */
    public void finish() {
        if (!done) {
            if (pendingCr || !atLineStart) {
                pendingCr = false;
                endLine();
            }
        }
        put((byte) '.');
        put((byte) '\r');
        put((byte) '\n');
        flush();
    }

    private void endLine() {
        put((byte) '\r');
        put((byte) '\n');
        if (inHeader) {
            if (lineEmpty) {
                inHeader = false;
                done = bodyLines == 0;
            }
        } else if (bodyLines >= 0 && ++bodyLinesSent >= bodyLines) {
            done = true;
        }
        atLineStart = true;
        lineEmpty = true;
    }

    private void put(byte c) {
        if (used == buffer.length) {
            flush();
        }
        buffer[used++] = c;
    }

    private void flush() {
        if (used > 0) {
            byte[] out = new byte[used];
            System.arraycopy(buffer, 0, out, 0, used);
            sink.accept(out);
            used = 0;
        }
    }
}
