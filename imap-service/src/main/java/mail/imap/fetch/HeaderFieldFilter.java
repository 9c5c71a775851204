package mail.imap.fetch;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * BODY[HEADER.FIELDS (...)] / BODY[HEADER.FIELDS.NOT (...)] over a header section that arrives in chunks from the
 * object store (when the stored raw header is missing or the header belongs to an embedded message). It gives
 * exactly what {@link mail.message.HeaderSection#select} gives for the same octets, with memory bounded by one
 * field name instead of the whole header, so the caller can run it once to count and once to send.
 */
final class HeaderFieldFilter {
    /** A field name longer than this is no name a client asked for (RFC 5322 lines are at most 998 octets). */
    private static final int MAX_NAME = 1024;

    interface Output {
        void write(byte[] b, int off, int len);
    }

    private final Set<String> wanted = new HashSet<>();
    private final boolean exclude;
    private final Output out;
    private final byte[] head = new byte[MAX_NAME + 2];
    private int headLen;
    private boolean deciding = true;
    private boolean keep;
    private boolean done;
    private final byte[] buf = new byte[8192];
    private int bufLen;

    HeaderFieldFilter(Collection<String> names, boolean exclude, Output out) {
        for (String n : names) {
            wanted.add(n.toLowerCase(Locale.ROOT));
        }
        this.exclude = exclude;
        this.out = out;
    }

    boolean done() {
        return done;
    }

    void feed(byte[] b, int off, int len) {
        for (int i = off; i < off + len && !done; i++) {
            byte c = b[i];
            if (!deciding) {
                if (keep) {
                    emit(c);
                }
                if (c == '\n') {
                    deciding = true;
                    headLen = 0;
                }
                continue;
            }
            head[headLen++] = c;
            if (c == '\n') {
                if (headLen == 1 || (headLen == 2 && head[0] == '\r')) {
                    emitHead();
                    done = true;
                    break;
                }
                // a line without a colon: HeaderSection treats its name as ""
                decide("");
                if (keep) {
                    emitHead();
                }
                headLen = 0;
            } else if (headLen == 1 && (c == ' ' || c == '\t')) {
                deciding = false;
                if (keep) {
                    emitHead();
                }
            } else if (c == ':') {
                decide(new String(head, 0, headLen - 1, StandardCharsets.ISO_8859_1));
                deciding = false;
                if (keep) {
                    emitHead();
                }
            } else if (headLen > MAX_NAME) {
                keep = exclude;
                deciding = false;
                if (keep) {
                    emitHead();
                }
            }
        }
    }

    void finish() {
        if (!done && deciding && headLen > 0) {
            decide("");
            if (keep) {
                emitHead();
            }
        }
        done = true;
        flush();
    }

    private void decide(String name) {
        keep = wanted.contains(name.strip().toLowerCase(Locale.ROOT)) != exclude;
    }

    private void emitHead() {
        for (int i = 0; i < headLen; i++) {
            emit(head[i]);
        }
    }

    private void emit(byte c) {
        if (bufLen == buf.length) {
            flush();
        }
        buf[bufLen++] = c;
    }

    private void flush() {
        if (bufLen > 0) {
            out.write(buf, 0, bufLen);
            bufLen = 0;
        }
    }
}
