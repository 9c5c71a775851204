package mail.ctl.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** One text-protocol connection (SMTP, IMAP, POP3): CRLF lines, an upgrade to TLS in place, bounded reads. */
final class Wire implements AutoCloseable {
    private static final int MAX_LINE = 64 * 1024;

    private final String host;
    private final boolean insecure;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private String tlsSummary;

    private Wire(String host, boolean insecure) {
        this.host = host;
        this.insecure = insecure;
    }

    static Wire connect(String host, int port, boolean implicitTls, boolean insecure, Duration timeout) throws IOException {
        Wire w = new Wire(host, insecure);
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
        s.setSoTimeout((int) timeout.toMillis());
        w.use(s);
        if (implicitTls) {
            w.startTls();
        }
        return w;
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    /** Handshake on the open connection; checks the chain, expiry and host name unless --insecure. */
    void startTls() throws IOException {
        SSLContext ctx;
        try {
            ctx = SSLContext.getInstance("TLS");
            ctx.init(null, insecure ? new TrustManager[]{new TrustAll()} : null, null);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("TLS unavailable: " + e.getMessage(), e);
        }
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        if (!insecure) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        tls.setSSLParameters(params);
        tls.setSoTimeout(socket.getSoTimeout());
        tls.startHandshake();
        tlsSummary = tls.getSession().getProtocol() + " " + tls.getSession().getCipherSuite();
        use(tls);
    }

    String tls() {
        return tlsSummary;
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (b.size() >= MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
        throw new IOException("connection closed by the server");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }

    // --insecure: a self-signed local certificate is accepted, and the table says that it was not verified
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
