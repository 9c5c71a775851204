package mail.imap.session;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import mail.testsupport.TrustingTls;

/**
 * A minimal IMAP client for tests that need two sessions at once or the lines of a response to inspect: sends a
 * command and collects every line up to its tagged reply. Literals in responses come back inline, as
 * {@code {n}\r\n<octets>} within the line they belong to.
 */
final class TestImapClient implements AutoCloseable {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private int counter;

    TestImapClient(int tlsPort) throws IOException {
        try {
            socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1", tlsPort);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        socket.setSoTimeout(15_000);
        socket.startHandshake();
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        String greeting = readLine();
        if (greeting == null || !greeting.startsWith("* OK")) {
            throw new IOException("no greeting: " + greeting);
        }
    }

    static TestImapClient login(int tlsPort, String user, String password) throws IOException {
        TestImapClient c = new TestImapClient(tlsPort);
        c.ok("LOGIN \"" + user + "\" \"" + password + "\"");
        return c;
    }

    /** Sends {@code tag command} and returns all lines up to and including the tagged one. */
    List<String> send(String command) throws IOException {
        String tag = "t" + (++counter);
        write(tag + " " + command + "\r\n");
        return readUntil(tag + " ");
    }

    /** Like {@link #send} but fails unless the tagged reply is OK. */
    List<String> ok(String command) throws IOException {
        List<String> lines = send(command);
        String last = lines.get(lines.size() - 1);
        if (!last.matches("t\\d+ OK.*")) {
            throw new AssertionError(command + " failed: " + lines);
        }
        return lines;
    }

    void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void writeBytes(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    List<String> readUntil(String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            if (l == null) {
                throw new AssertionError("connection closed; got " + lines);
            }
            lines.add(l);
            if (l.startsWith(prefix)) {
                return lines;
            }
        }
    }

    /** Lines the server sends within {@code millis}, without sending anything (IDLE). */
    List<String> linesWithin(long millis) throws IOException {
        List<String> lines = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        int old = socket.getSoTimeout();
        try {
            while (System.currentTimeMillis() < deadline) {
                socket.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
                try {
                    String l = readLine();
                    if (l == null) {
                        break;
                    }
                    lines.add(l);
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
        } finally {
            socket.setSoTimeout(old);
        }
        return lines;
    }

    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            }
            if (c == '\n') {
                String line = b.toString(StandardCharsets.UTF_8);
                line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                int open = line.lastIndexOf('{');
                if (open >= 0 && line.endsWith("}")) {
                    // a literal follows: read its octets and the rest of the line
                    int n = Integer.parseInt(line.substring(open + 1, line.length() - 1).replace("+", ""));
                    byte[] lit = in.readNBytes(n);
                    String rest = readLine();
                    return line + "\r\n" + new String(lit, StandardCharsets.UTF_8) + (rest == null ? "" : rest);
                }
                return line;
            }
            b.write(c);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
