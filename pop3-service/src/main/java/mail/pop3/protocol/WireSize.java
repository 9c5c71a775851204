package mail.pop3.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * The size RFC 1939 wants in LIST and STAT: the octets of the message as RETR sends it, every line ending counted as
 * CRLF and an unterminated last line ended, before dot-stuffing. It differs from the stored size when a message was
 * stored with bare LF or CR line endings, or without a final line ending; {@link DotStuffer} applies the same rules.
 */
public final class WireSize {
    private long octets;
    private boolean pendingCr;
    private boolean atLineStart = true;

    public static long of(InputStream in) throws IOException {
        WireSize w = new WireSize();
        byte[] buf = new byte[16 * 1024];
        int r;
        while ((r = in.read(buf)) >= 0) {
            w.add(buf, 0, r);
        }
        return w.total();
    }

    public void add(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                octets += 2;
                atLineStart = true;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                pendingCr = true;
            } else if (c == '\n') {
                octets += 2;
                atLineStart = true;
            } else {
                octets++;
                atLineStart = false;
            }
        }
    }

    public long total() {
        return octets + (pendingCr || !atLineStart ? 2 : 0);
    }
}
