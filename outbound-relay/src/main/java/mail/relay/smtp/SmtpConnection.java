package mail.relay.smtp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import mail.core.event.BodyType;
import mail.core.event.DsnNotify;
import mail.core.event.Recipient;
import mail.relay.queue.RecipientState;

/**
 * One client connection to a remote SMTP server, on plain blocking JDK sockets: the relay's worker threads are
 * ordinary threads, never an event loop, so blocking with RFC 5321 timeouts on every read (and a watchdog on writes,
 * which sockets cannot time out) is the simple and correct model.
 */
public final class SmtpConnection implements Closeable {
    private static final int MAX_LINE = 8192;
    private static final int MAX_REPLY_LINES = 200;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smtp-write-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Destination destination;
    private final SmtpSettings settings;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Map<String, String> extensions = Map.of();
    private String tlsProtocol;
    private long lastUsed = System.nanoTime();

    private SmtpConnection(Destination destination, SmtpSettings settings) {
        this.destination = destination;
        this.settings = settings;
    }

    /**
     * Connects, greets, and upgrades to TLS whenever the server offers it.
     *
     * @param tryTls false for the second try after an opportunistic TLS handshake failed
     */
    public static SmtpConnection open(Destination d, SmtpSettings settings, boolean tryTls) throws SmtpFailure {
        SmtpConnection c = new SmtpConnection(d, settings);
        try {
            c.connect(tryTls);
            return c;
        } catch (SmtpFailure e) {
            c.close();
            throw e;
        } catch (IOException e) {
            c.close();
            throw ioFailure(d, "connecting", e);
        }
    }

    private void connect(boolean tryTls) throws IOException, SmtpFailure {
        socket = new Socket();
        socket.connect(new InetSocketAddress(destination.address(), destination.port()), millis(settings.connect()));
        streams();
        SmtpReply greeting = read(settings.greeting());
        if (greeting.code() != 220) {
            throw new SmtpFailure(greeting.text() + " (greeting of " + destination + ")", "4.4.1", false, null);
        }
        ehlo();
        if (extensions.containsKey("STARTTLS") && (tryTls || destination.requireTls())) {
            startTls();
        } else if (destination.requireTls()) {
            quietQuit();
            throw SmtpFailure.temporary("TLS is required for " + destination + " but it does not offer STARTTLS", "4.7.4");
        }
        if (destination.credentials().isPresent()) {
            authenticate(destination.credentials().get());
        }
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    private void ehlo() throws IOException, SmtpFailure {
        command("EHLO " + settings.heloName());
        SmtpReply r = read(settings.command());
        if (r.code() == 250) {
            Map<String, String> ext = new HashMap<>();
            for (int i = 1; i < r.lines().size(); i++) {
                String line = r.lines().get(i).strip();
                int sp = line.indexOf(' ');
                String kw = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
                ext.put(kw, sp < 0 ? "" : line.substring(sp + 1).strip());
            }
            extensions = ext;
            return;
        }
        // RFC 5321 §3.2: a server that does not know EHLO is spoken to with HELO, without extensions
        command("HELO " + settings.heloName());
        SmtpReply helo = read(settings.command());
        if (helo.code() != 250) {
            throw new SmtpFailure(helo.text() + " (in reply to HELO at " + destination + ")", "4.4.1", false, null);
        }
        extensions = Map.of();
    }

    private void startTls() throws IOException, SmtpFailure {
        command("STARTTLS");
        SmtpReply r = read(settings.command());
        if (r.code() != 220) {
            if (destination.requireTls()) {
                throw SmtpFailure.temporary(r.text() + " (in reply to STARTTLS at " + destination + ", TLS required)", "4.7.5");
            }
            // opportunistic: carry on in plain text, as the server did not switch
            return;
        }
        SSLContext ctx = destination.requireTls() ? settings.verifyingTls() : trustingContext();
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, destination.hostname(), destination.port(), true);
        tls.setUseClientMode(true);
        if (destination.requireTls()) {
            SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(p);
        }
        tls.setSoTimeout(millis(settings.command()));
        try {
            tls.startHandshake();
        } catch (IOException e) {
            throw new TlsHandshakeFailure("TLS handshake with " + destination + " failed: " + e.getMessage(), e);
        }
        socket = tls;
        tlsProtocol = tls.getSession().getProtocol();
        streams();
        ehlo();
    }

    private void authenticate(Destination.Credentials c) throws IOException, SmtpFailure {
        String mechs = extensions.getOrDefault("AUTH", "").toUpperCase(Locale.ROOT);
        SmtpReply r;
        if (List.of(mechs.split("\\s+")).contains("PLAIN")) {
            command("AUTH PLAIN " + b64("\0" + c.username() + "\0" + c.password()));
            r = read(settings.command());
        } else if (List.of(mechs.split("\\s+")).contains("LOGIN")) {
            command("AUTH LOGIN");
            r = read(settings.command());
            if (r.code() == 334) {
                command(b64(c.username()));
                r = read(settings.command());
                if (r.code() == 334) {
                    command(b64(c.password()));
                    r = read(settings.command());
                }
            }
        } else {
            // a misconfigured smart host must not bounce mail: it waits until the configuration is fixed
            throw SmtpFailure.temporary(destination + " offers neither AUTH PLAIN nor LOGIN (" + mechs + ")", "4.7.0");
        }
        if (r.code() != 235) {
            throw SmtpFailure.temporary(r.text() + " (authentication at " + destination + ")", "4.7.0");
        }
    }

    /** The outcome of each recipient; a failure of the whole connection is thrown, and the connection is then unusable. */
    public List<RecipientResult> send(MailTransaction t) throws SmtpFailure {
        try {
            return transaction(t);
        } catch (IOException e) {
            close();
            throw ioFailure(destination, "the transaction", e);
        } finally {
            lastUsed = System.nanoTime();
        }
    }

    private List<RecipientResult> transaction(MailTransaction t) throws IOException, SmtpFailure {
        List<RecipientResult> results = new ArrayList<>();
        boolean utf8Server = extensions.containsKey("SMTPUTF8");
        boolean senderUtf8 = !ascii(t.reversePath());
        if ((t.smtpUtf8() || senderUtf8) && !utf8Server) {
            return allFailed(t.recipients(), "550 5.6.7 " + destination + " does not support SMTPUTF8, which this message needs", "5.6.7");
        }
        List<Recipient> sendable = new ArrayList<>();
        for (Recipient r : t.recipients()) {
            if (!ascii(r.address()) && !utf8Server) {
                results.add(new RecipientResult(r, RecipientState.FAILED,
                        "553 5.6.7 " + destination + " does not support SMTPUTF8, which this address needs", "5.6.7"));
            } else {
                sendable.add(r);
            }
        }
        if (sendable.isEmpty()) {
            return results;
        }
        if (t.bodyType() == BodyType.BINARY_MIME) {
            results.addAll(allFailed(sendable, "554 5.6.3 binary (BODY=BINARYMIME) content cannot be relayed without CHUNKING", "5.6.3"));
            return results;
        }
        boolean eightBit = t.bodyType() == BodyType.EIGHT_BIT_MIME;
        if (eightBit && !extensions.containsKey("8BITMIME")) {
            // many clients declare 8BITMIME for plain ASCII; only real 8-bit content is refused (no downgrade: it breaks DKIM)
            if (containsEightBit(t.body())) {
                results.addAll(allFailed(sendable, "554 5.6.3 " + destination + " does not support 8BITMIME and the message is 8-bit",
                        "5.6.3"));
                return results;
            }
            eightBit = false;
        }
        long limit = sizeLimit();
        if (limit > 0 && t.size() > limit) {
            results.addAll(allFailed(sendable, "552 5.3.4 message size " + t.size() + " exceeds the fixed maximum " + limit
                    + " of " + destination, "5.3.4"));
            return results;
        }
        boolean dsn = extensions.containsKey("DSN");
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(t.reversePath()).append('>');
        if (extensions.containsKey("SIZE")) {
            mail.append(" SIZE=").append(t.size());
        }
        if (eightBit) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8Server && (t.smtpUtf8() || senderUtf8 || sendable.stream().anyMatch(r -> !ascii(r.address())))) {
            mail.append(" SMTPUTF8");
        }
        if (dsn && t.ret() != null) {
            mail.append(" RET=").append(t.ret().name());
        }
        if (dsn && t.envId() != null) {
            mail.append(" ENVID=").append(Xtext.encode(t.envId()));
        }
        List<String> rcptCommands = new ArrayList<>();
        for (Recipient r : sendable) {
            StringBuilder rc = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
            if (dsn && !r.notifyOn().isEmpty()) {
                rc.append(" NOTIFY=").append(String.join(",", r.notifyOn().stream().map(DsnNotify::name).sorted().toList()));
            }
            if (dsn && r.orcpt() != null) {
                rc.append(" ORCPT=").append(r.orcpt().addressType()).append(';').append(Xtext.encode(r.orcpt().address()));
            }
            rcptCommands.add(rc.toString());
        }
        boolean pipelining = extensions.containsKey("PIPELINING");
        SmtpReply mailReply;
        List<SmtpReply> rcptReplies = new ArrayList<>();
        if (pipelining) {
            write(mail.toString());
            for (String rc : rcptCommands) {
                write(rc);
            }
            flush();
            mailReply = read(settings.command());
            for (int i = 0; i < rcptCommands.size(); i++) {
                rcptReplies.add(read(settings.command()));
            }
        } else {
            command(mail.toString());
            mailReply = read(settings.command());
            if (mailReply.positive()) {
                for (String rc : rcptCommands) {
                    command(rc);
                    rcptReplies.add(read(settings.command()));
                }
            }
        }
        if (!mailReply.positive()) {
            reset();
            results.addAll(classified(sendable, mailReply, "MAIL FROM"));
            return results;
        }
        List<Recipient> accepted = new ArrayList<>();
        for (int i = 0; i < sendable.size(); i++) {
            SmtpReply r = rcptReplies.get(i);
            if (r.positive()) {
                accepted.add(sendable.get(i));
            } else {
                results.addAll(classified(List.of(sendable.get(i)), r, "RCPT TO"));
            }
        }
        if (accepted.isEmpty()) {
            reset();
            return results;
        }
        command("DATA");
        SmtpReply go = read(settings.dataInit());
        if (go.code() != 354) {
            if (go.positive()) {
                throw new SmtpFailure(go.text() + " (unexpected reply to DATA from " + destination + ")", "4.5.0", false, null);
            }
            reset();
            results.addAll(classified(accepted, go, "DATA"));
            return results;
        }
        try (InputStream body = t.body().open()) {
            streamBody(body);
        }
        SmtpReply end = read(settings.dataTermination());
        if (end.positive()) {
            for (Recipient r : accepted) {
                results.add(new RecipientResult(r, RecipientState.DELIVERED, end.text(), end.enhancedStatus()));
            }
        } else {
            results.addAll(classified(accepted, end, "end of DATA"));
        }
        return results;
    }

    private static boolean containsEightBit(MailTransaction.Body body) throws IOException {
        byte[] buf = new byte[65536];
        try (InputStream in = body.open()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] < 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private List<RecipientResult> classified(List<Recipient> rcpts, SmtpReply reply, String what) {
        RecipientState s = reply.permanentFailure() ? RecipientState.FAILED : RecipientState.PENDING;
        String text = reply.text() + " (in reply to " + what + ")";
        return rcpts.stream().map(r -> new RecipientResult(r, s, text, reply.enhancedStatus())).toList();
    }

    private static List<RecipientResult> allFailed(List<Recipient> rcpts, String reply, String status) {
        return rcpts.stream().map(r -> new RecipientResult(r, RecipientState.FAILED, reply, status)).toList();
    }

    /** Dot-stuffed, bare CR/LF turned into CRLF, always ending in CRLF "." CRLF. */
    private void streamBody(InputStream body) throws IOException {
        byte[] buf = new byte[65536];
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(70000);
        boolean lineStart = true;
        int prev = -1;
        int n;
        while ((n = body.read(buf)) > 0) {
            chunk.reset();
            for (int i = 0; i < n; i++) {
                int c = buf[i] & 0xff;
                if (c == '\n') {
                    if (prev != '\r') {
                        chunk.write('\r');
                    }
                    chunk.write('\n');
                    lineStart = true;
                } else {
                    if (prev == '\r') {
                        // a bare CR: end the line properly before going on
                        chunk.write('\n');
                        lineStart = true;
                    }
                    if (c != '\r') {
                        if (lineStart && c == '.') {
                            chunk.write('.');
                        }
                        lineStart = false;
                        chunk.write(c);
                    } else {
                        chunk.write('\r');
                    }
                }
                prev = c;
            }
            guardedWrite(chunk.toByteArray(), settings.dataBlock());
        }
        String tail;
        if (prev == '\r') {
            tail = "\n.\r\n";
        } else if (prev == '\n' || prev == -1) {
            tail = ".\r\n";
        } else {
            tail = "\r\n.\r\n";
        }
        guardedWrite(tail.getBytes(StandardCharsets.US_ASCII), settings.dataBlock());
        flushGuarded(settings.dataBlock());
    }

    private void guardedWrite(byte[] bytes, Duration timeout) throws IOException {
        ScheduledFuture<?> dog = WATCHDOG.schedule(this::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            out.write(bytes);
        } finally {
            dog.cancel(false);
        }
    }

    private void flushGuarded(Duration timeout) throws IOException {
        ScheduledFuture<?> dog = WATCHDOG.schedule(this::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            out.flush();
        } finally {
            dog.cancel(false);
        }
    }

    /** Before reusing an idle connection: the server may have timed it out meanwhile. */
    public boolean resetForReuse() {
        try {
            command("RSET");
            return read(settings.command()).code() == 250;
        } catch (IOException | SmtpFailure e) {
            close();
            return false;
        }
    }

    private void reset() throws IOException, SmtpFailure {
        command("RSET");
        SmtpReply r = read(settings.command());
        if (!r.positive()) {
            throw new SmtpFailure(r.text() + " (in reply to RSET at " + destination + ")", "4.5.0", false, null);
        }
    }

    public long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    public boolean isOpen() {
        return socket != null && !socket.isClosed();
    }

    public String tlsProtocol() {
        return tlsProtocol;
    }

    public Map<String, String> extensions() {
        return extensions;
    }

    public Destination destination() {
        return destination;
    }

    private void command(String line) throws IOException {
        write(line);
        flush();
    }

    private void write(String line) throws IOException {
        guardedWrite((line + "\r\n").getBytes(StandardCharsets.UTF_8), settings.command());
    }

    private void flush() throws IOException {
        flushGuarded(settings.command());
    }

    private SmtpReply read(Duration timeout) throws IOException, SmtpFailure {
        socket.setSoTimeout(millis(timeout));
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new SmtpFailure("malformed reply from " + destination + ": " + abbreviate(line), "4.5.0", false, null);
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new SmtpFailure("inconsistent multi-line reply from " + destination, "4.5.0", false, null);
            }
            code = c;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new SmtpReply(code, lines);
            }
            if (lines.size() > MAX_REPLY_LINES) {
                throw new SmtpFailure("reply of more than " + MAX_REPLY_LINES + " lines from " + destination, "4.5.0", false, null);
            }
        }
    }

    private String readLine() throws IOException, SmtpFailure {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by " + destination);
            }
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (b.size() >= MAX_LINE) {
                throw new SmtpFailure("reply line longer than " + MAX_LINE + " octets from " + destination, "4.5.0", false, null);
            }
            b.write(c);
        }
    }

    private long sizeLimit() {
        String v = extensions.get("SIZE");
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void quietQuit() {
        try {
            command("QUIT");
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** QUIT politely, then close; for connections the pool gives up. */
    public void quit() {
        if (isOpen()) {
            try {
                command("QUIT");
                socket.setSoTimeout(2000);
                read(Duration.ofSeconds(2));
            } catch (IOException | SmtpFailure e) {
                // the server may just close
            }
        }
        close();
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // nothing left to do
        }
    }

    private static SmtpFailure ioFailure(Destination d, String what, IOException e) {
        if (e instanceof TlsHandshakeFailure t) {
            return new SmtpFailure(t.getMessage(), "4.7.5", false, t);
        }
        String kind = e instanceof SocketTimeoutException ? "timed out" : "failed";
        return new SmtpFailure(what + " " + d + " " + kind + ": " + e.getMessage(), "4.4.1", false, e);
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** Opportunistic TLS (RFC 7435): encryption without authentication beats plain text. */
    private static SSLContext trustingContext() throws IOException {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new X509TrustManager() {
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
            }}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS implementation", e);
        }
    }

    /** Told apart from other I/O failures: an opportunistic sender retries the host without STARTTLS. */
    public static final class TlsHandshakeFailure extends IOException {
        TlsHandshakeFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
