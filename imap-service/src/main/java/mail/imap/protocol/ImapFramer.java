package mail.imap.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames the client's byte stream into commands: lines ended by CRLF, each possibly ending in a literal
 * announcement ({@code {n}}, {@code {n+}} (RFC 7888), {@code ~{n}} (RFC 3516)) followed by exactly n octets and the
 * rest of the command. Incremental: input may be split anywhere, and memory is bounded by the line limit plus what
 * the {@link Handler} agrees to hold for literals.
 *
 * <p>The handler decides on every literal before a single octet of it is read: hold it, stream it to a sink, or
 * refuse it. A refused command is skipped to its end without being run: the octets of a non-synchronizing literal
 * the client sends anyway are read and dropped, and a synchronizing literal ends it, since the client waits for a
 * continuation that never comes. An over-long line is dropped the same way, keeping its head so that the reply
 * can carry the tag. Not thread-safe: one framer per connection, fed in order.
 */
public final class ImapFramer {
    private static final int HEAD = 64;
    private static final int TAIL = 32;

    public interface Handler {
        /**
         * A literal of {@code size} octets is announced at the end of the last text segment of {@code soFar}. On
         * {@link LiteralDecision.Reject} the handler has sent its reply already.
         */
        LiteralDecision literal(List<Segment> soFar, long size, boolean synchronizing, boolean binary);

        /** Send the continuation request for an accepted synchronizing literal. */
        void continuation();

        /** A complete command. */
        void command(List<Segment> segments);

        /** A line longer than the limit was dropped (and with it its command); {@code head} is its start. */
        void lineTooLong(byte[] head);

        /** The sink of a literal failed; the rest of the command is dropped. */
        void literalFailed(List<Segment> soFar, IOException e);

        /**
         * Asked after each command: true makes {@link #feed} return at once, leaving the rest of the input to the
         * caller (a reply is being delayed, or TLS is about to start).
         */
        default boolean suspended() {
            return false;
        }
    }

    public sealed interface LiteralDecision {
        record Hold() implements LiteralDecision {
        }

        record Stream(LiteralSink sink) implements LiteralDecision {
        }

        record Reject() implements LiteralDecision {
        }

        LiteralDecision HOLD = new Hold();
        LiteralDecision REJECT = new Reject();
    }

    private enum Mode { LINE, OVERLONG_LINE, LITERAL, SKIP_LITERAL }

    private final Handler handler;
    private final int maxLine;

    private Mode mode = Mode.LINE;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    private final List<Segment> segments = new ArrayList<>();
    /** The current command was refused: read on to its end without running it. */
    private boolean dropping;

    private byte[] head;
    private final byte[] tail = new byte[TAIL];
    private int tailLength;
    private long overlongLength;

    private long literalRemaining;
    private long literalSize;
    private boolean literalBinary;
    private ByteArrayOutputStream literalBuffer;
    private LiteralSink literalSink;

    public ImapFramer(Handler handler, int maxLine) {
        this.handler = handler;
        this.maxLine = maxLine;
    }

    public int feed(byte[] b) {
        return feed(b, 0, b.length);
    }

    /** @return how many octets were consumed: all of them, unless the handler suspended after a command */
    public int feed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (handler.suspended()) {
                return i - off;
            }
            switch (mode) {
                case LINE -> i = scanLine(b, i, end);
                case OVERLONG_LINE -> i = scanOverlong(b, i, end);
                case LITERAL -> i = readLiteral(b, i, end);
                case SKIP_LITERAL -> {
                    int n = (int) Math.min(literalRemaining, end - i);
                    literalRemaining -= n;
                    i += n;
                    if (literalRemaining == 0) {
                        mode = Mode.LINE;
                    }
                }
            }
        }
        return len;
    }

    /** Between commands: no line, literal or refused command is half read. */
    public boolean betweenCommands() {
        return mode == Mode.LINE && line.size() == 0 && segments.isEmpty() && !dropping;
    }

    /** The connection is gone: a literal half received is abandoned. */
    public void close() {
        if (mode == Mode.LITERAL && literalSink != null) {
            literalSink.abort();
        }
        abortHeldSinks();
        literalSink = null;
        mode = Mode.LINE;
    }

    private int scanLine(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                byte[] text = line.toByteArray();
                line.reset();
                int len = text.length > 0 && text[text.length - 1] == '\r' ? text.length - 1 : text.length;
                byte[] content = len == text.length ? text : java.util.Arrays.copyOf(text, len);
                lineComplete(content);
                return i + 1;
            }
            if (line.size() >= maxLine + 1) {
                // +1 leaves room for the CR of a line that is exactly at the limit
                head = java.util.Arrays.copyOf(line.toByteArray(), Math.min(HEAD, line.size()));
                overlongLength = line.size();
                tailLength = 0;
                line.reset();
                mode = Mode.OVERLONG_LINE;
                return i;
            }
            line.write(b[i]);
        }
        return end;
    }

    private int scanOverlong(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\n') {
                mode = Mode.LINE;
                byte[] t = tailBytes();
                if (!dropping) {
                    handler.lineTooLong(head);
                }
                abortHeldSinks();
                segments.clear();
                dropping = true;
                LiteralAnnouncement a = LiteralAnnouncement.atEnd(t, t.length);
                if (a != null && !a.synchronizing()) {
                    skipLiteral(a.size());
                } else {
                    // no literal follows, or a synchronizing one the client will not send without our '+'
                    dropping = false;
                }
                return i + 1;
            }
            overlongLength++;
            if (b[i] != '\r') {
                if (tailLength == TAIL) {
                    System.arraycopy(tail, 1, tail, 0, TAIL - 1);
                    tailLength--;
                }
                tail[tailLength++] = b[i];
            }
        }
        return end;
    }

    private byte[] tailBytes() {
        return java.util.Arrays.copyOf(tail, tailLength);
    }

    private void lineComplete(byte[] text) {
        LiteralAnnouncement a = LiteralAnnouncement.atEnd(text, text.length);
        if (dropping) {
            if (a != null && !a.synchronizing()) {
                skipLiteral(a.size());
            } else {
                dropping = false;
            }
            return;
        }
        segments.add(new Segment.Text(text));
        if (a == null) {
            List<Segment> command = List.copyOf(segments);
            segments.clear();
            handler.command(command);
            return;
        }
        LiteralDecision d = handler.literal(List.copyOf(segments), a.size(), a.synchronizing(), a.binary());
        if (d instanceof LiteralDecision.Reject) {
            abortHeldSinks();
            segments.clear();
            if (a.synchronizing()) {
                return;
            }
            dropping = true;
            skipLiteral(a.size());
            return;
        }
        literalSize = a.size();
        literalRemaining = a.size();
        literalBinary = a.binary();
        if (d instanceof LiteralDecision.Stream s) {
            literalSink = s.sink();
            literalBuffer = null;
        } else {
            literalSink = null;
            literalBuffer = new ByteArrayOutputStream((int) Math.min(a.size(), 64 * 1024));
        }
        if (a.synchronizing()) {
            handler.continuation();
        }
        mode = Mode.LITERAL;
        if (literalRemaining == 0) {
            literalComplete();
        }
    }

    private void skipLiteral(long size) {
        literalRemaining = size;
        mode = size == 0 ? Mode.LINE : Mode.SKIP_LITERAL;
    }

    private int readLiteral(byte[] b, int from, int end) {
        int n = (int) Math.min(literalRemaining, end - from);
        if (literalSink != null) {
            try {
                literalSink.write(b, from, n);
            } catch (IOException e) {
                literalSink.abort();
                literalSink = null;
                List<Segment> soFar = List.copyOf(segments);
                abortHeldSinks();
                segments.clear();
                literalRemaining -= n;
                dropping = true;
                skipLiteral(literalRemaining);
                handler.literalFailed(soFar, e);
                return from + n;
            }
        } else {
            literalBuffer.write(b, from, n);
        }
        literalRemaining -= n;
        if (literalRemaining == 0) {
            literalComplete();
        }
        return from + n;
    }

    private void literalComplete() {
        mode = Mode.LINE;
        if (literalSink != null) {
            LiteralSink sink = literalSink;
            literalSink = null;
            try {
                sink.finish();
            } catch (IOException e) {
                sink.abort();
                List<Segment> soFar = List.copyOf(segments);
                abortHeldSinks();
                segments.clear();
                dropping = true;
                handler.literalFailed(soFar, e);
                return;
            }
            segments.add(Segment.Literal.spooled(sink, literalSize, literalBinary));
        } else {
            segments.add(Segment.Literal.inMemory(literalBuffer.toByteArray(), literalBinary));
            literalBuffer = null;
        }
    }

    /** Literals of a command that will not run must not leave spool files behind. */
    private void abortHeldSinks() {
        for (Segment s : segments) {
            if (s instanceof Segment.Literal l && l.sink() != null) {
                l.sink().abort();
            }
        }
    }
}
