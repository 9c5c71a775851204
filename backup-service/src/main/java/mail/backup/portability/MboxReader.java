package mail.backup.portability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an mboxrd file message by message, writing each message's unquoted bytes to a sink: nothing but one line
 * (at most {@link #CHUNK} bytes of it) is in memory at a time. A line {@code From ...} separates messages when it
 * follows an empty line (or opens the file); the empty line before it belongs to the separator, not the message.
 * A file that does not open with a From_ line, a From_ line without an asctime date, and a file that ends without
 * the empty line closing its last message (a cut-off copy) are refused with the file and line named.
 */
public final class MboxReader {
    static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final String file;
    private final byte[] line = new byte[CHUNK];
    private int len;
    private boolean complete;
    private long lineNo;
    private boolean started;
    private Mboxrd.Envelope pending;

    public MboxReader(InputStream in, String file) {
        this.in = in.markSupported() ? in : new java.io.BufferedInputStream(in, CHUNK);
        this.file = file;
    }

    /** The next message into {@code sink}; null when the file is done. */
    public Mboxrd.Envelope next(OutputStream sink) throws IOException {
        if (!started) {
            started = true;
            if (!readChunk()) {
                return null;
            }
            if (!startsWithFrom(0)) {
                throw new MboxFormatException(file + " line 1: not an mbox file: it does not start with a 'From ' line");
            }
            pending = Mboxrd.parseFromLine(text(), lineNo, file);
        }
        if (pending == null) {
            return null;
        }
        Mboxrd.Envelope envelope = pending;
        pending = null;
        byte[] held = null;
        boolean lineStart = complete;
        while (true) {
            boolean startOfLine = lineStart;
            if (!readChunk()) {
                if (held == null) {
                    throw new MboxFormatException(file + ": the message starting at line " + envelope.line()
                            + " is cut off (the file ends without the empty line that closes a message): truncated file?");
                }
                return envelope;
            }
            lineStart = complete;
            if (startOfLine && held != null && startsWithFrom(0)) {
                pending = Mboxrd.parseFromLine(text(), lineNo, file);
                return envelope;
            }
            if (held != null) {
                sink.write(held);
                held = null;
            }
            if (startOfLine && complete && isEmpty()) {
                held = java.util.Arrays.copyOf(line, len);
                continue;
            }
            if (startOfLine && quotedFrom()) {
                sink.write(line, 1, len - 1);
            } else {
                sink.write(line, 0, len);
            }
        }
    }

    /** Reads up to the end of the line or CHUNK bytes; false at the end of the file. */
    private boolean readChunk() throws IOException {
        boolean wasComplete = lineNo == 0 || complete;
        len = 0;
        complete = false;
        while (len < CHUNK) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            line[len++] = (byte) b;
            if (b == '\n') {
                complete = true;
                break;
            }
        }
        if (len > 0 && wasComplete) {
            lineNo++;
        }
        return len > 0;
    }

    private boolean startsWithFrom(int at) {
        return len - at >= 5 && line[at] == 'F' && line[at + 1] == 'r' && line[at + 2] == 'o' && line[at + 3] == 'm'
                && line[at + 4] == ' ';
    }

    private boolean quotedFrom() {
        int i = 0;
        while (i < len && line[i] == '>') {
            i++;
        }
        return i > 0 && startsWithFrom(i);
    }

    private boolean isEmpty() {
        return (len == 1 && line[0] == '\n') || (len == 2 && line[0] == '\r' && line[1] == '\n');
    }

    private String text() {
        int end = len;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        return new String(line, 0, end, StandardCharsets.ISO_8859_1);
    }
}
