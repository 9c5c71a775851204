package mail.smtp.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import mail.testsupport.TrustingTls;

/** An SMTP client on a socket bound to a chosen loopback address (each test client its own address), plain or TLS. */
final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    final String greeting;

    private LineClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
        greeting = reply();
    }

    static LineClient connect(String from, int port, boolean implicitTls) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(from, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        if (!implicitTls) {
            return new LineClient(plain);
        }
        try {
            SSLSocket tls = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            return new LineClient(tls);
        } catch (Exception e) {
            plain.close();
            throw new IOException(e);
        }
    }

    /** Over implicit TLS: EHLO and AUTH PLAIN, which must succeed. */
    static LineClient submitter(String from, int port, String user, String password) throws IOException {
        LineClient c = connect(from, port, true);
        RawSmtp.expect(c.greeting, "220");
        RawSmtp.expect(c.command("EHLO client.example.net"), "250");
        String plain = Base64.getEncoder().encodeToString(("\u0000" + user + "\u0000" + password).getBytes(StandardCharsets.UTF_8));
        RawSmtp.expect(c.command("AUTH PLAIN " + plain), "235");
        return c;
    }

    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    /** DATA and a small message carrying {@code marker} in its subject; the final reply. */
    String data(String from, String marker) throws IOException {
        RawSmtp.expect(command("DATA"), "354");
        return command("From: <" + from + ">\r\nSubject: " + marker + "\r\n\r\nrate limit test\r\n.");
    }

    /** The whole reply, lines joined with \n; null when the server closed the connection. */
    String reply() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            String l = in.readLine();
            if (l == null) {
                return b.length() == 0 ? null : b.toString();
            }
            b.append(l);
            if (l.length() < 4 || l.charAt(3) != '-') {
                return b.toString();
            }
            b.append('\n');
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
