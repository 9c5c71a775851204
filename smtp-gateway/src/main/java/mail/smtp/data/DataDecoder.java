package mail.smtp.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * Decodes the body of an SMTP DATA command (RFC 5321 §4.1.1.4, §4.5.2) as it arrives from the network, in chunks
 * that may split anywhere, and writes the dot-unstuffed content to a sink with its CRLF line endings byte-exact.
 *
 * <p>The body ends only at {@code CRLF . CRLF}; the body is taken to start right after a line break (the 354
 * reply), so a first line of "." ends an empty message. Any CR not followed by LF or LF not preceded by CR is an
 * error, and such line breaks never start a line that could end the message: otherwise a relay and this server
 * could disagree on where the message ends (SMTP smuggling).
 *
 * <p>After an error the decoder keeps consuming until the real terminator, so the session stays in sync with the
 * client, but writes nothing more. A failing sink is such an error too ({@link Outcome#SINK_FAILED}), not an
 * exception, because the client is still sending and the rest of its message must not be read as commands.
 * Whatever the sink holds after a non-{@link Outcome#OK} outcome is a truncated prefix and must be discarded. Memory use is constant whatever the line lengths.
 *
 * <p>Not thread-safe; one instance per DATA command.
 */
public final class DataDecoder {

    /** RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets including its CRLF. */
    public static final int RFC5321_MAX_LINE_LENGTH = 1000;

    public enum Outcome {
        OK,
        /** More content than maxMessageBytes. */
        TOO_BIG,
        /** A content line, counted with its CRLF and without a transparency dot, is longer than maxLineLength. */
        LINE_TOO_LONG,
        /** A CR without LF after it, or an LF without CR before it. */
        BARE_LINE_ENDING,
        /** The sink threw; see {@link #sinkFailure()}. A local problem, so the client should get a 4xx. */
        SINK_FAILED
    }

    private enum State {
        /** Right after CRLF, or at the start of the body. */
        LINE_START,
        /** A "." at the start of a line: transparency dot or the start of the terminator. */
        LINE_DOT,
        /** ".CR" at the start of a line. */
        LINE_DOT_CR,
        TEXT,
        /** After a CR, waiting to see whether LF follows. */
        AFTER_CR,
        DONE
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';
    private static final int SCRATCH_SIZE = 8192;

    private final OutputStream sink;
    private final long maxMessageBytes;
    private final int maxLineLength;

    private State state = State.LINE_START;
    private Outcome outcome = Outcome.OK;
    private long contentBytes;
    private long bytesWritten;
    private int lineLength;
    private byte[] scratch;
    private IOException sinkFailure;

    public DataDecoder(OutputStream sink, long maxMessageBytes) {
        this(sink, maxMessageBytes, RFC5321_MAX_LINE_LENGTH);
    }

    public DataDecoder(OutputStream sink, long maxMessageBytes, int maxLineLength) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 0, got " + maxMessageBytes);
        }
        // An empty line is CRLF; a limit below that would reject every message that has a line break.
        if (maxLineLength < 2) {
            throw new IllegalArgumentException("maxLineLength must be >= 2, got " + maxLineLength);
        }
        this.maxMessageBytes = maxMessageBytes;
        this.maxLineLength = maxLineLength;
    }

    /**
     * Consumes bytes up to and including the terminator and returns how many it took; the rest of the chunk is the
     * next pipelined command. Returns 0 once finished.
     */
    public int feed(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (state == State.DONE) {
            return 0;
        }
        int end = off + len;
        int runStart = -1;
        int i = off;
        while (i < end) {
            byte b = buf[i];
            boolean content;
            switch (state) {
                case LINE_START:
                    if (b == DOT) {
                        state = State.LINE_DOT;
                        content = false;
                    } else if (b == CR) {
                        state = State.AFTER_CR;
                        content = true;
                    } else if (b == LF) {
                        fail(Outcome.BARE_LINE_ENDING);
                        state = State.TEXT;
                        content = false;
                    } else {
                        state = State.TEXT;
                        content = true;
                    }
                    break;
                case LINE_DOT:
                    if (b == CR) {
                        state = State.LINE_DOT_CR;
                        content = false;
                    } else if (b == LF) {
                        fail(Outcome.BARE_LINE_ENDING);
                        state = State.TEXT;
                        content = false;
                    } else {
                        // ".." is a stuffed dot; ".x" also loses its dot (RFC 5321 §4.5.2 deletes the first one).
                        state = State.TEXT;
                        content = true;
                    }
                    break;
                case LINE_DOT_CR:
                    if (b == LF) {
                        flush(buf, runStart, i);
                        state = State.DONE;
                        return i + 1 - off;
                    }
                    fail(Outcome.BARE_LINE_ENDING);
                    state = b == CR ? State.AFTER_CR : State.TEXT;
                    content = false;
                    break;
                case TEXT:
                    if (b == CR) {
                        state = State.AFTER_CR;
                        content = true;
                    } else if (b == LF) {
                        fail(Outcome.BARE_LINE_ENDING);
                        content = false;
                    } else {
                        content = true;
                    }
                    break;
                case AFTER_CR:
                    if (b == LF) {
                        state = State.LINE_START;
                        content = true;
                    } else {
                        fail(Outcome.BARE_LINE_ENDING);
                        // A CR after a bare CR may still be the start of a real CRLF.
                        state = b == CR ? State.AFTER_CR : State.TEXT;
                        content = false;
                    }
                    break;
                default:
                    throw new IllegalStateException(state.name());
            }
            if (content && outcome == Outcome.OK) {
                contentBytes++;
                lineLength++;
                if (contentBytes > maxMessageBytes) {
                    fail(Outcome.TOO_BIG);
                } else if (lineLength > maxLineLength) {
                    fail(Outcome.LINE_TOO_LONG);
                }
            }
            if (state == State.LINE_START) {
                lineLength = 0;
            }
            if (content && outcome == Outcome.OK) {
                if (runStart < 0) {
                    runStart = i;
                }
            } else if (runStart >= 0) {
                flush(buf, runStart, i);
                runStart = -1;
            }
            i++;
        }
        flush(buf, runStart, end);
        return len;
    }

    /** Like {@link #feed(byte[], int, int)}; advances the buffer's position past the consumed bytes only. */
    public int feed(ByteBuffer src) {
        if (src.hasArray()) {
            int used = feed(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.position() + used);
            return used;
        }
        if (scratch == null) {
            scratch = new byte[SCRATCH_SIZE];
        }
        int total = 0;
        while (src.hasRemaining() && state != State.DONE) {
            int n = Math.min(scratch.length, src.remaining());
            int pos = src.position();
            src.get(pos, scratch, 0, n);
            int used = feed(scratch, 0, n);
            src.position(pos + used);
            total += used;
        }
        return total;
    }

    /** True once {@code CRLF . CRLF} has been consumed. */
    public boolean finished() {
        return state == State.DONE;
    }

    /** The first error seen so far, or OK; final once {@link #finished()}. */
    public Outcome outcome() {
        return outcome;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /** What the sink threw, when the outcome is {@link Outcome#SINK_FAILED}. */
    public Optional<IOException> sinkFailure() {
        return Optional.ofNullable(sinkFailure);
    }

    private void fail(Outcome error) {
        if (outcome == Outcome.OK) {
            outcome = error;
        }
    }

    private void flush(byte[] buf, int from, int to) {
        if (from >= 0 && to > from) {
            try {
                sink.write(buf, from, to - from);
                bytesWritten += to - from;
            } catch (IOException e) {
                sinkFailure = e;
                fail(Outcome.SINK_FAILED);
            }
        }
    }
}
