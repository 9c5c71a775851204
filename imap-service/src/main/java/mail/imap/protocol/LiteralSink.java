package mail.imap.protocol;

import java.io.IOException;

/**
 * Where a large literal's octets go while they arrive (an APPEND's message: a spool file, never the heap). The
 * framer calls {@link #write} as bytes come in and {@link #finish} once all have; {@link #abort} if the connection
 * ends first.
 */
public interface LiteralSink {
    void write(byte[] b, int off, int len) throws IOException;

    void finish() throws IOException;

    void abort();
}
