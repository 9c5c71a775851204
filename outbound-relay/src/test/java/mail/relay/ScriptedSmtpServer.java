package mail.relay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP receiver on loopback whose replies a test scripts (4xx, 5xx per recipient, TLS, AUTH, extensions), and
 * which records what it was sent, undoing dot-stuffing, so a test can compare the bytes.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    public record Received(String mailFrom, List<String> rcpts, String mailCommand, List<String> rcptCommands, byte[] data,
                           boolean tls, String authUser) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    public final List<Received> messages = new CopyOnWriteArrayList<>();
    public final List<String> commands = new CopyOnWriteArrayList<>();
    public final AtomicInteger connections = new AtomicInteger();
    /** The most SMTP sessions open at the same time. */
    public final AtomicInteger maxActive = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    public volatile long dataEndDelayMillis;

    public volatile List<String> extensions = List.of("PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE 10485760", "DSN", "ENHANCEDSTATUSCODES");
    public volatile SSLContext tls;
    public volatile boolean ehlo = true;
    public volatile String greeting = "220 receiver.test ESMTP";
    public volatile Function<String, String> rcptReply = a -> "250 2.1.5 ok";
    public volatile Supplier<String> dataEndReply = () -> "250 2.0.0 queued";
    public volatile String authUser;
    public volatile String authPassword;
    private volatile boolean closed;

    public ScriptedSmtpServer() throws IOException {
        this(0);
    }

    public ScriptedSmtpServer(int port) throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "scripted-smtp-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** A free loopback port nothing listens on (yet): a receiver that is down. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public List<Received> to(String address) {
        return messages.stream().filter(m -> m.rcpts().stream().anyMatch(r -> r.equalsIgnoreCase(address))).toList();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                connections.incrementAndGet();
                Thread t = new Thread(() -> session(s), "scripted-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void session(Socket socket) {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        try {
            Socket s = socket;
            s.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            boolean secure = false;
            String from = null;
            String mailCmd = null;
            String user = null;
            List<String> rcpts = new ArrayList<>();
            List<String> rcptCmds = new ArrayList<>();
            reply(out, greeting);
            if (!greeting.startsWith("220")) {
                return;
            }
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                commands.add(line);
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    if (!ehlo) {
                        reply(out, "502 5.5.1 EHLO not implemented");
                        continue;
                    }
                    List<String> ext = new ArrayList<>(extensions);
                    if (tls != null && !secure) {
                        ext.add("STARTTLS");
                    }
                    if (authUser != null) {
                        ext.add("AUTH PLAIN LOGIN");
                    }
                    StringBuilder b = new StringBuilder();
                    b.append(ext.isEmpty() ? "250 receiver.test" : "250-receiver.test");
                    for (int i = 0; i < ext.size(); i++) {
                        b.append("\r\n").append(i == ext.size() - 1 ? "250 " : "250-").append(ext.get(i));
                    }
                    reply(out, b.toString());
                } else if (upper.startsWith("HELO")) {
                    reply(out, "250 receiver.test");
                } else if (upper.equals("STARTTLS") && tls != null && !secure) {
                    reply(out, "220 2.0.0 go ahead");
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    s = ssl;
                    in = new BufferedInputStream(s.getInputStream());
                    out = s.getOutputStream();
                    secure = true;
                } else if (upper.startsWith("AUTH PLAIN ")) {
                    String[] parts = new String(Base64.getDecoder().decode(line.substring(11).trim()), StandardCharsets.UTF_8).split("\u0000");
                    if (parts.length == 3 && parts[1].equals(authUser) && parts[2].equals(authPassword)) {
                        user = parts[1];
                        reply(out, "235 2.7.0 ok");
                    } else {
                        reply(out, "535 5.7.8 bad credentials");
                    }
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (authUser != null && user == null) {
                        reply(out, "530 5.7.0 authentication required");
                        continue;
                    }
                    from = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    mailCmd = line;
                    rcpts.clear();
                    rcptCmds.clear();
                    reply(out, "250 2.1.0 ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String a = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    String r = rcptReply.apply(a);
                    if (r.startsWith("2")) {
                        rcpts.add(a);
                        rcptCmds.add(line);
                    }
                    reply(out, r);
                } else if (upper.equals("DATA")) {
                    if (rcpts.isEmpty()) {
                        reply(out, "554 5.5.1 no valid recipients");
                        continue;
                    }
                    reply(out, "354 go ahead");
                    byte[] data = readData(in);
                    if (dataEndDelayMillis > 0) {
                        try {
                            Thread.sleep(dataEndDelayMillis);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    String r = dataEndReply.get();
                    if (r.startsWith("2")) {
                        messages.add(new Received(from, List.copyOf(rcpts), mailCmd, List.copyOf(rcptCmds), data, secure, user));
                    }
                    reply(out, r);
                    rcpts.clear();
                } else if (upper.equals("RSET")) {
                    rcpts.clear();
                    reply(out, "250 2.0.0 ok");
                } else if (upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 ok");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 bye");
                    s.close();
                    return;
                } else {
                    reply(out, "500 5.5.2 unknown command");
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            active.decrementAndGet();
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] x = b.toByteArray();
                int len = x.length > 0 && x[x.length - 1] == '\r' ? x.length - 1 : x.length;
                return new String(x, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    /** Lines up to "." with the leading dot of stuffed lines removed, CRLF kept. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                line.write(c);
                if (c == '\n') {
                    break;
                }
            }
            byte[] l = line.toByteArray();
            if (c < 0) {
                throw new IOException("connection closed in DATA");
            }
            if (l.length == 3 && l[0] == '.' && l[1] == '\r') {
                return data.toByteArray();
            }
            int from = l.length > 0 && l[0] == '.' ? 1 : 0;
            data.write(l, from, l.length - from);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
