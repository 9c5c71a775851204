import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * POP3 retrieval load generator: N clients, each with its own account (a POP3 maildrop is locked per session), log in
 * over implicit TLS, RETR every message reading it to the final ".", QUIT, and start again until the time is up.
 * Counts messages and octets retrieved. Works against any RFC 1939 server (ours, Dovecot).
 *
 * java -Xmx256m bench/pop3/Pop3Bench.java <host> <port> <users-file: "user password" per line> <clients> <seconds>
 */
public final class Pop3Bench {
    private static final AtomicLong MESSAGES = new AtomicLong();
    private static final AtomicLong OCTETS = new AtomicLong();
    private static final AtomicLong SESSIONS = new AtomicLong();
    private static final AtomicLong ERRORS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        List<String[]> users = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of(args[2]))) {
            if (!l.isBlank()) {
                users.add(l.trim().split("\\s+", 2));
            }
        }
        int clients = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        if (users.size() < clients) {
            throw new IllegalArgumentException("need one account per client: " + users.size() + " < " + clients);
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        // local benchmark against self-signed certificates on loopback only
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, new SecureRandom());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String[] u = users.get(i);
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        session(tls, host, port, u[0], u[1], end);
                        SESSIONS.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        if (ERRORS.incrementAndGet() <= 5) {
                            System.err.println("client " + u[0] + ": " + e);
                        }
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("clients=%d seconds=%.1f sessions=%d messages=%d octets=%d errors=%d%n", clients, secs, SESSIONS.get(),
                MESSAGES.get(), OCTETS.get(), ERRORS.get());
        System.out.printf("messages/s=%.1f MB/s=%.2f%n", MESSAGES.get() / secs, OCTETS.get() / secs / 1e6);
    }

    private static void session(SSLContext tls, String host, int port, String user, String password, long end) throws IOException {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
            s.setSoTimeout(60_000);
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = s.getOutputStream();
            ok(line(in));
            command(out, "USER " + user);
            ok(line(in));
            command(out, "PASS " + password);
            ok(line(in));
            command(out, "STAT");
            String stat = ok(line(in));
            int count = Integer.parseInt(stat.split(" ")[1]);
            for (int n = 1; n <= count && System.nanoTime() < end; n++) {
                command(out, "RETR " + n);
                ok(line(in));
                long octets = 0;
                while (true) {
                    String l = line(in);
                    if (l.equals(".")) {
                        break;
                    }
                    octets += l.length() + 2;
                }
                MESSAGES.incrementAndGet();
                OCTETS.addAndGet(octets);
            }
            command(out, "QUIT");
            ok(line(in));
        }
    }

    private static void command(OutputStream out, String c) throws IOException {
        out.write((c + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String ok(String reply) {
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("server said: " + reply);
        }
        return reply;
    }

    /** One line without its CRLF, as ISO-8859-1 (one char per octet). */
    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(128);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') {
                    b.setLength(len - 1);
                }
                return b.toString();
            }
            b.append((char) c);
        }
        throw new IOException("connection closed");
    }
}
