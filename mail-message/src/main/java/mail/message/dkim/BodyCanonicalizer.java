package mail.message.dkim;

import java.util.List;

/**
 * §3.4.3 / §3.4.4 body canonicalization as a stream transformer. Empty lines are only counted and written once
 * something follows them, which is how "ignore empty lines at the end" works without knowing where the end is.
 */
final class BodyCanonicalizer implements MessageReader.BodyConsumer {
    private static final byte[] CRLF = {'\r', '\n'};

    private final boolean relaxed;
    private final List<MessageReader.BodyConsumer> sinks;
    private final byte[] out = new byte[16 * 1024];
    private int outLen;
    private long pendingLineEnds;
    private boolean pendingSpace;
    private boolean pendingCr;
    private boolean content;
    private boolean finished;

    BodyCanonicalizer(Canonicalization mode, List<? extends MessageReader.BodyConsumer> sinks) {
        this.relaxed = mode == Canonicalization.RELAXED;
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void accept(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    lineEnd();
                    continue;
                }
                // a bare CR is an ordinary character of the line
                character((byte) '\r');
            }
            if (c == '\r') {
                pendingCr = true;
            } else if (c == '\n') {
                lineEnd();
            } else if (relaxed && (c == ' ' || c == '\t')) {
                pendingSpace = true;
            } else {
                character(c);
            }
        }
    }

    private void lineEnd() {
        // trailing white space of a line is dropped (relaxed); for simple pendingSpace is never set
        pendingSpace = false;
        pendingLineEnds++;
    }

    private void character(byte c) {
        while (pendingLineEnds > 0) {
            write(CRLF[0]);
            write(CRLF[1]);
            pendingLineEnds--;
        }
        if (pendingSpace) {
            write((byte) ' ');
            pendingSpace = false;
        }
        write(c);
        content = true;
    }

    private void write(byte c) {
        if (outLen == out.length) {
            drain();
        }
        out[outLen++] = c;
    }

    private void drain() {
        for (MessageReader.BodyConsumer s : sinks) {
            s.accept(out, 0, outLen);
        }
        outLen = 0;
    }

    /** End of body: the last line gets its CRLF, trailing empty lines are gone; simple makes an empty body CRLF. */
    void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (pendingCr) {
            pendingCr = false;
            character((byte) '\r');
        }
        pendingLineEnds = 0;
        pendingSpace = false;
        if (content || !relaxed) {
            write(CRLF[0]);
            write(CRLF[1]);
        }
        drain();
    }
}
