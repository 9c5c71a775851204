import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * IMAP load generator (single-file program: java ImapLoad.java ...).
 *
 * <pre>
 * seed  host tlsPort userPattern password accounts messages        APPENDs {@code messages} messages per account
 * mix   host tlsPort userPattern password clients seconds          each client loops LOGIN, SELECT, FETCH headers,
 *                                                                   FETCH body, STORE, SEARCH, APPEND, EXPUNGE, LOGOUT
 * idle  host port user password connections holdSeconds          plaintext LOGIN + SELECT + IDLE on many connections
 * </pre>
 * userPattern contains %d, replaced by the client number modulo the number of accounts (0-based).
 */
public class ImapLoad {
    static final Map<String, List<Long>> LATENCIES = new ConcurrentHashMap<>();
    static final AtomicLong COMMANDS = new AtomicLong();
    static final AtomicLong ERRORS = new AtomicLong();

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "seed" -> seed(a[1], Integer.parseInt(a[2]), a[3], a[4], Integer.parseInt(a[5]), Integer.parseInt(a[6]));
            case "mix" -> mix(a[1], Integer.parseInt(a[2]), a[3], a[4], Integer.parseInt(a[5]), Integer.parseInt(a[6]),
                    a.length > 7 ? Integer.parseInt(a[7]) : 50);
            case "idle" -> idle(a[1], Integer.parseInt(a[2]), a[3], a[4], Integer.parseInt(a[5]), Integer.parseInt(a[6]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    // ------------------------------------------------------------------ a blocking client

    static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        int tag;

        Client(String host, int port) throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String s) { }
                public void checkServerTrusted(X509Certificate[] c, String s) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, new SecureRandom());
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port);
            s.setSoTimeout(60_000);
            s.startHandshake();
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 65536);
            out = s.getOutputStream();
            line();
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(128);
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                b.write(c);
            }
            if (c < 0) {
                throw new IOException("connection closed");
            }
            String l = b.toString(StandardCharsets.ISO_8859_1);
            int open = l.lastIndexOf('{');
            if (open >= 0 && l.endsWith("}\r")) {
                long n = Long.parseLong(l.substring(open + 1, l.length() - 2));
                in.skipNBytes(n);
                return l + line();
            }
            return l;
        }

        /** Sends one command (optionally a literal after a continuation) and waits for its tagged reply. */
        List<String> cmd(String name, String command, byte[] literal) throws IOException {
            String t = "b" + (++tag);
            long start = System.nanoTime();
            List<String> lines = new ArrayList<>();
            if (literal == null) {
                out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } else {
                out.write((t + " " + command + " {" + literal.length + "}\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                String cont = line();
                if (!cont.startsWith("+")) {
                    throw new IOException("no continuation: " + cont);
                }
                out.write(literal);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            while (true) {
                String l = line();
                lines.add(l);
                if (l.startsWith(t + " ")) {
                    if (!l.startsWith(t + " OK")) {
                        ERRORS.incrementAndGet();
                        System.err.println(name + ": " + l.trim());
                    }
                    break;
                }
            }
            long micros = (System.nanoTime() - start) / 1000;
            LATENCIES.computeIfAbsent(name, k -> Collections.synchronizedList(new ArrayList<>())).add(micros);
            COMMANDS.incrementAndGet();
            return lines;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static byte[] message(int n) {
        StringBuilder b = new StringBuilder();
        b.append("From: Load Generator <load@bench.test>\r\nTo: user@bench.test\r\nSubject: bench message ").append(n)
                .append("\r\nDate: Sun, 29 Nov 2026 07:00:00 +0000\r\nMessage-ID: <bench-").append(System.nanoTime()).append("@bench.test>\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        while (b.length() < 4096) {
            b.append("The quick brown fox jumps over the lazy dog, line ").append(b.length()).append(".\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String login(String user, String password) {
        return "LOGIN \"" + user + "\" \"" + password + "\"";
    }

    // ------------------------------------------------------------------ seed

    static void seed(String host, int port, String pattern, String password, int accounts, int messages) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String user = String.format(pattern, i);
            Thread t = new Thread(() -> {
                try (Client c = new Client(host, port)) {
                    c.cmd("LOGIN", login(user, password), null);
                    for (int m = 0; m < messages; m++) {
                        c.cmd("APPEND", "APPEND INBOX", message(m));
                    }
                    c.cmd("LOGOUT", "LOGOUT", null);
                } catch (Exception e) {
                    System.err.println(user + ": " + e);
                    ERRORS.incrementAndGet();
                }
            });
            threads.add(t);
            t.start();
            if (threads.size() % 10 == 0) {
                for (Thread x : threads) {
                    x.join();
                }
                threads.clear();
            }
        }
        for (Thread x : threads) {
            x.join();
        }
        System.out.println("seeded " + accounts + " accounts x " + messages + " messages, errors " + ERRORS.get());
    }

    // ------------------------------------------------------------------ mix

    static void mix(String host, int port, String pattern, String password, int clients, int seconds, int accounts) throws Exception {
        long end = System.currentTimeMillis() + seconds * 1000L;
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong sessions = new AtomicLong();
        for (int i = 0; i < clients; i++) {
            String user = String.format(pattern, i % accounts);
            new Thread(() -> {
                try {
                    while (System.currentTimeMillis() < end) {
                        session(host, port, user, password);
                        sessions.incrementAndGet();
                    }
                } catch (Exception e) {
                    System.err.println(user + ": " + e);
                    ERRORS.incrementAndGet();
                } finally {
                    done.countDown();
                }
            }).start();
        }
        long started = System.currentTimeMillis();
        done.await();
        double elapsed = (System.currentTimeMillis() - started) / 1000.0;
        System.out.printf("clients %d, %.1f s, %d sessions, %d commands, %.1f commands/s, errors %d%n", clients, elapsed,
                sessions.get(), COMMANDS.get(), COMMANDS.get() / elapsed, ERRORS.get());
        System.out.println("command        count     p50 ms   p99 ms");
        for (Map.Entry<String, List<Long>> e : new TreeMap<>(LATENCIES).entrySet()) {
            List<Long> l = new ArrayList<>(e.getValue());
            Collections.sort(l);
            System.out.printf("%-12s %7d %9.1f %8.1f%n", e.getKey(), l.size(), l.get(l.size() / 2) / 1000.0,
                    l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1)) / 1000.0);
        }
    }

    /** One realistic client session: what a mail client does when it opens, reads a few messages and tidies up. */
    static void session(String host, int port, String user, String password) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        try (Client c = new Client(host, port)) {
            c.cmd("LOGIN", login(user, password), null);
            List<String> sel = c.cmd("SELECT", "SELECT INBOX", null);
            int exists = 0;
            for (String l : sel) {
                if (l.endsWith(" EXISTS\r")) {
                    exists = Integer.parseInt(l.split(" ")[1]);
                }
            }
            if (exists == 0) {
                c.cmd("LOGOUT", "LOGOUT", null);
                return;
            }
            for (int i = 0; i < 3; i++) {
                int from = 1 + r.nextInt(Math.max(1, exists - 20));
                c.cmd("FETCH_HEADERS", "FETCH " + from + ":" + (from + 19) % (exists + 1) + " (UID FLAGS RFC822.SIZE "
                        + "BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])", null);
                int msg = 1 + r.nextInt(exists);
                c.cmd("FETCH_BODY", "FETCH " + msg + " BODY.PEEK[]", null);
                c.cmd("STORE", "STORE " + msg + " +FLAGS.SILENT (\\Seen)", null);
            }
            c.cmd("SEARCH", "UID SEARCH UNSEEN SUBJECT \"message " + r.nextInt(100) + "\"", null);
            List<String> ap = c.cmd("APPEND", "APPEND INBOX (\\Deleted)", message(r.nextInt(1000)));
            c.cmd("EXPUNGE", "EXPUNGE", null);
            c.cmd("LOGOUT", "LOGOUT", null);
        }
    }

    // ------------------------------------------------------------------ idle

    /** Many connections doing LOGIN, SELECT and IDLE (pipelined, plaintext), held open; one selector thread. */
    static void idle(String host, int port, String user, String password, int connections, int holdSeconds) throws Exception {
        Selector selector = Selector.open();
        byte[] script = ("a " + login(user, password) + "\r\nb SELECT INBOX\r\nc IDLE\r\n").getBytes(StandardCharsets.UTF_8);
        Map<SocketChannel, StringBuilder> seen = new ConcurrentHashMap<>();
        int idling = 0;
        int opened = 0;
        long start = System.currentTimeMillis();
        while (opened < connections || idling < opened) {
            // open in waves of 200 so the server's accept backlog and Keycloak are not flooded
            while (opened < connections && opened - idling < 200) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
                seen.put(ch, new StringBuilder());
                ch.write(ByteBuffer.wrap(script));
                opened++;
            }
            selector.select(1000);
            for (SelectionKey k : selector.selectedKeys()) {
                SocketChannel ch = (SocketChannel) k.channel();
                ByteBuffer buf = ByteBuffer.allocate(4096);
                int n = ch.read(buf);
                if (n < 0) {
                    k.cancel();
                    ERRORS.incrementAndGet();
                    System.err.println("closed: " + seen.get(ch));
                    idling++;
                    continue;
                }
                StringBuilder sb = seen.get(ch);
                sb.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                if (sb.indexOf("\r\n+ ") >= 0) {
                    idling++;
                    k.interestOps(0);
                    sb.setLength(0);
                } else if (sb.indexOf("a NO") >= 0 || sb.indexOf("b NO") >= 0 || sb.indexOf("BAD") >= 0) {
                    ERRORS.incrementAndGet();
                    System.err.println("refused: " + sb);
                    k.cancel();
                    idling++;
                }
            }
            selector.selectedKeys().clear();
            if (System.currentTimeMillis() - start > 600_000) {
                throw new IllegalStateException("only " + idling + " of " + opened + " connections reached IDLE in 10 min");
            }
        }
        System.out.printf("IDLE: %d connections idling after %.1f s (errors %d); holding %d s%n", idling - ERRORS.get(),
                (System.currentTimeMillis() - start) / 1000.0, ERRORS.get(), holdSeconds);
        System.out.flush();
        Thread.sleep(holdSeconds * 1000L);
        for (SocketChannel ch : seen.keySet()) {
            ch.close();
        }
    }
}
