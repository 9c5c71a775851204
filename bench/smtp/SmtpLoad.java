import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * SMTP load generator for an MX listener: C concurrent sessions, each sending S-byte messages back to back over one
 * reused connection (EHLO once, then MAIL / RCPT / DATA per message, every reply read before the next command, as
 * smtp-source does without -d). Recipients cycle through user1..userN@domain, so the server must know them.
 *
 * <pre>
 *   java bench/smtp/SmtpLoad.java --port 2525 --sessions 20 --size 4096 --duration 60 --warmup 5
 * </pre>
 *
 * Latency is the time from writing the final "." line to reading the complete reply to it: the part of a
 * transaction in which the server makes the message durable, which is what differs between servers. Messages
 * that complete during the warm-up or after the measured window are sent but not counted.
 *
 * No dependencies (no HdrHistogram): each session keeps its latencies in a growing long[], and they are merged
 * and sorted once at the end; at the rates reachable on one machine that is a few MB at most.
 */
public class SmtpLoad {

    record Options(String host, int port, int sessions, int size, int duration, int warmup, String domain, int users,
                   String from, String helo, int perConnection, int timeoutSeconds, String label) {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        long start = System.nanoTime();
        long measureFrom = start + o.warmup() * 1_000_000_000L;
        long measureUntil = measureFrom + o.duration() * 1_000_000_000L;

        Errors errors = new Errors();
        Session[] sessions = new Session[o.sessions()];
        Thread[] threads = new Thread[o.sessions()];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new Session(i, o, measureFrom, measureUntil, errors);
            threads[i] = new Thread(sessions[i], "smtp-session-" + i);
            threads[i].start();
        }
        System.err.printf("%d sessions to %s:%d, %d-byte messages: warm-up %d s, then measuring %d s%n",
                o.sessions(), o.host(), o.port(), o.size(), o.warmup(), o.duration());
        for (Thread t : threads) {
            t.join();
        }

        long total = 0;
        long connections = 0;
        for (Session s : sessions) {
            total += s.count;
            connections += s.connections;
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (Session s : sessions) {
            System.arraycopy(s.latencies, 0, all, at, s.count);
            at += s.count;
        }
        Arrays.sort(all);
        report(o, all, connections, errors.snapshot());
    }

    /** One SMTP client connection, reopened only when the server closes it or after --per-connection messages. */
    static final class Session implements Runnable {
        private static final byte[] DOT_LINE = ".\r\n".getBytes(StandardCharsets.US_ASCII);
        private final int index;
        private final Options o;
        private final long measureFrom;
        private final long measureUntil;
        private final Errors errors;
        private final MessageFactory messages;
        private final SplittableRandom random;
        long[] latencies = new long[4096];
        int count;
        long connections;
        private long sequence;

        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean sizeAdvertised;
        private int sentOnConnection;

        Session(int index, Options o, long measureFrom, long measureUntil, Errors errors) {
            this.index = index;
            this.o = o;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
            this.errors = errors;
            this.random = new SplittableRandom(0x5EED + index);
            this.messages = new MessageFactory(o, index, random);
        }

        @Override
        public void run() {
            // spread the sessions over the user list instead of all starting at user1
            int user = (index * Math.max(1, o.users() / Math.max(1, o.sessions()))) % o.users();
            while (System.nanoTime() < measureUntil) {
                try {
                    if (socket == null && !connect()) {
                        pause(100);
                        continue;
                    }
                    String rcpt = "user" + (user + 1) + "@" + o.domain();
                    user = (user + 1) % o.users();
                    sendOne(rcpt);
                    if (o.perConnection() > 0 && ++sentOnConnection >= o.perConnection()) {
                        quit();
                    }
                } catch (IOException e) {
                    errors.add("io " + e.getClass().getSimpleName());
                    close();
                    pause(100);
                }
            }
            if (socket != null) {
                quit();
            }
        }

        private boolean connect() throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(o.host(), o.port()), o.timeoutSeconds() * 1000);
            } catch (IOException e) {
                errors.add("connect " + e.getClass().getSimpleName());
                s.close();
                return false;
            }
            s.setSoTimeout(o.timeoutSeconds() * 1000);
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 8192);
            out = s.getOutputStream();
            connections++;
            sentOnConnection = 0;
            Reply greeting = read();
            if (greeting.code != 220) {
                errors.add("greeting " + greeting.code);
                close();
                return false;
            }
            command("EHLO " + o.helo());
            Reply ehlo = read();
            if (ehlo.code != 250) {
                errors.add("EHLO " + ehlo.code);
                close();
                return false;
            }
            sizeAdvertised = ehlo.hasKeyword("SIZE");
            return true;
        }

        /** One transaction; a refusal is counted and the transaction reset, the connection is kept unless closed. */
        private void sendOne(String rcpt) throws IOException {
            command("MAIL FROM:<" + o.from() + ">" + (sizeAdvertised ? " SIZE=" + o.size() : ""));
            if (!expect("MAIL", 250)) {
                return;
            }
            command("RCPT TO:<" + rcpt + ">");
            if (!expect("RCPT", 250)) {
                return;
            }
            command("DATA");
            if (!expect("DATA", 354)) {
                return;
            }
            out.write(messages.next(rcpt, ++sequence));
            out.flush();
            long t0 = System.nanoTime();
            out.write(DOT_LINE);
            out.flush();
            Reply end = read();
            long t1 = System.nanoTime();
            if (end.code / 100 != 2) {
                errors.add("end-of-data " + end.code);
                if (end.code == 421) {
                    close();
                }
                return;
            }
            if (t1 >= measureFrom && t1 < measureUntil) {
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = t1 - t0;
            }
        }

        private boolean expect(String stage, int code) throws IOException {
            Reply r = read();
            if (r.code == code) {
                return true;
            }
            errors.add(stage + " " + r.code);
            if (r.code == 421) {
                close();
            } else {
                command("RSET");
                read();
            }
            return false;
        }

        private void command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private Reply read() throws IOException {
            Reply r = new Reply();
            while (true) {
                String line = readLine();
                if (line.length() < 3) {
                    throw new IOException("malformed reply line: " + line);
                }
                r.code = Integer.parseInt(line.substring(0, 3));
                r.lines.add(line);
                if (line.length() == 3 || line.charAt(3) == ' ') {
                    return r;
                }
            }
        }

        private String readLine() throws IOException {
            StringBuilder b = new StringBuilder(64);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int n = b.length();
                    if (n > 0 && b.charAt(n - 1) == '\r') {
                        b.setLength(n - 1);
                    }
                    return b.toString();
                }
                b.append((char) c);
            }
            throw new java.io.EOFException("connection closed by server");
        }

        private void quit() {
            try {
                command("QUIT");
                read();
            } catch (IOException e) {
                // the server may close first; the session is over either way
            }
            close();
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
            socket = null;
        }

        private static void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class Reply {
        int code;
        final List<String> lines = new ArrayList<>(4);

        boolean hasKeyword(String keyword) {
            for (int i = 1; i < lines.size(); i++) {
                String l = lines.get(i).substring(Math.min(4, lines.get(i).length())).toUpperCase(Locale.ROOT);
                if (l.equals(keyword) || l.startsWith(keyword + " ")) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Messages of exactly --size bytes (headers and body, CRLF line ends, before dot-stuffing), unique per message
     * so that a content-addressed store cannot deduplicate them. The body reuses a pool of text lines of 30 to 78
     * characters; some start with "." (one is just ".") so that the server's dot-unstuffing is exercised too.
     */
    static final class MessageFactory {
        private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);
        private static final String[] WORDS = ("the quick brown fox jumps over lazy dog mail platform gateway message "
                + "kafka object store durable accepted queue delivery mailbox account domain benchmark latency reply "
                + "session transaction recipient sender header body line text report figure measure").split(" ");
        private final Options o;
        private final int session;
        private final String[] pool;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
        private int next;

        MessageFactory(Options o, int session, SplittableRandom random) {
            this.o = o;
            this.session = session;
            this.pool = new String[97];
            for (int i = 0; i < pool.length; i++) {
                int len = 30 + random.nextInt(49);
                StringBuilder b = new StringBuilder(len);
                if (i % 23 == 5) {
                    b.append(". ");
                } else if (i % 31 == 7) {
                    b.append("..");
                }
                while (b.length() < len) {
                    b.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                }
                b.setLength(len);
                pool[i] = i == 11 ? "." : b.toString().stripTrailing();
            }
        }

        /** The wire form of one message, dot-stuffed, without the terminating "." line. */
        byte[] next(String rcpt, long seq) {
            StringBuilder m = new StringBuilder(o.size() + 64);
            m.append("From: Bench Sender <").append(o.from()).append(">\r\n");
            m.append("To: <").append(rcpt).append(">\r\n");
            m.append("Subject: SMTP benchmark message ").append(seq).append(" of session ").append(session);
            int subjectEnd = m.length();
            m.append("\r\n");
            m.append("Date: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
            m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(o.helo()).append(">\r\n");
            m.append("MIME-Version: 1.0\r\n");
            m.append("Content-Type: text/plain; charset=us-ascii\r\n");
            m.append("Content-Transfer-Encoding: 7bit\r\n");
            m.append("\r\n");
            int remaining = o.size() - m.length();
            if (remaining == 1) {
                // a body cannot be 1 byte long, so the subject takes it
                m.insert(subjectEnd, '.');
                remaining = 0;
            }
            while (remaining > 0) {
                String line;
                if (remaining <= 80) {
                    // the last line takes what is left, so that the size is exact; a lone CRLF when only 2 remain
                    line = filler(remaining - 2);
                } else {
                    line = pool[next];
                    next = (next + 1) % pool.length;
                    // never leave 1 byte: no line can be 1 byte long with its CRLF
                    if (remaining - (line.length() + 2) == 1) {
                        line = line.substring(0, line.length() - 1);
                    }
                }
                m.append(line).append("\r\n");
                remaining -= line.length() + 2;
            }
            return stuff(m);
        }

        private static String filler(int len) {
            StringBuilder b = new StringBuilder(len);
            while (b.length() < len) {
                b.append(b.length() % 10 == 9 ? ' ' : (char) ('a' + b.length() % 26));
            }
            return b.toString();
        }

        /** RFC 5321 §4.5.2: a line that starts with "." gets one more, which the server strips again. */
        private byte[] stuff(CharSequence message) {
            buffer.reset();
            boolean lineStart = true;
            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                if (lineStart && c == '.') {
                    buffer.write('.');
                }
                buffer.write(c);
                lineStart = c == '\n';
            }
            return buffer.toByteArray();
        }
    }

    /** Failures by stage and reply code, e.g. "RCPT 550" or "end-of-data 451", shared by all sessions. */
    static final class Errors {
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        void add(String what) {
            counts.computeIfAbsent(what, k -> new LongAdder()).increment();
        }

        Map<String, Long> snapshot() {
            Map<String, Long> m = new TreeMap<>();
            counts.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }
    }

    static void report(Options o, long[] sorted, long connections, Map<String, Long> errors) {
        int n = sorted.length;
        double rate = n / (double) o.duration();
        String errs = errors.isEmpty() ? "none" : errors.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
        System.out.printf("target               %s:%d%n", o.host(), o.port());
        System.out.printf("sessions x size      %d x %d bytes (%d connections opened)%n", o.sessions(), o.size(), connections);
        System.out.printf("warm-up / measured   %d s / %d s%n", o.warmup(), o.duration());
        System.out.printf("accepted messages    %d in the measured window%n", n);
        System.out.printf("messages/s           %.1f%n", rate);
        if (n > 0) {
            System.out.printf("final 250 after \".\"  p50 %s ms, p90 %s ms, p99 %s ms, max %s ms%n",
                    ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.90)), ms(percentile(sorted, 0.99)),
                    ms(sorted[n - 1]));
        }
        System.out.printf("errors (whole run)   %s%n", errs);
        System.out.println();
        System.out.println("| server | sessions | size (B) | measured (s) | msgs/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        System.out.printf("| %s | %d | %d | %d | %.1f | %s | %s | %s | %s | %s |%n", o.label(), o.sessions(), o.size(),
                o.duration(), rate,
                n > 0 ? ms(percentile(sorted, 0.50)) : "-", n > 0 ? ms(percentile(sorted, 0.90)) : "-",
                n > 0 ? ms(percentile(sorted, 0.99)) : "-", n > 0 ? ms(sorted[n - 1]) : "-", errs);
    }

    /** Nearest rank: the smallest value with at least p of all values at or below it. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    static Options parse(String[] args) {
        Map<String, String> v = new TreeMap<>(Map.ofEntries(
                Map.entry("host", "127.0.0.1"), Map.entry("port", "2525"), Map.entry("sessions", "20"),
                Map.entry("size", "4096"), Map.entry("duration", "30"), Map.entry("warmup", "5"),
                Map.entry("domain", "bench.test"), Map.entry("users", "100"), Map.entry("from", "sender@example.net"),
                Map.entry("helo", "bench-client.example.net"), Map.entry("per-connection", "0"),
                Map.entry("timeout", "120"), Map.entry("label", "")));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String k = a.startsWith("--") ? a.substring(2) : null;
            if (k == null || !v.containsKey(k) || i + 1 >= args.length) {
                System.err.println("usage: SmtpLoad [--host 127.0.0.1] [--port 2525] [--sessions 20] [--size 4096]"
                        + " [--duration 30] [--warmup 5] [--domain bench.test] [--users 100]"
                        + " [--from sender@example.net] [--helo bench-client.example.net]"
                        + " [--per-connection 0 (= unlimited)] [--timeout 120] [--label text]");
                System.exit(64);
            }
            v.put(k, args[++i]);
        }
        Options o = new Options(v.get("host"), Integer.parseInt(v.get("port")), Integer.parseInt(v.get("sessions")),
                Integer.parseInt(v.get("size")), Integer.parseInt(v.get("duration")), Integer.parseInt(v.get("warmup")),
                v.get("domain"), Integer.parseInt(v.get("users")), v.get("from"), v.get("helo"),
                Integer.parseInt(v.get("per-connection")), Integer.parseInt(v.get("timeout")),
                v.get("label").isEmpty() ? v.get("host") + ":" + v.get("port") : v.get("label"));
        // headers alone take about 330 bytes; below that the size could not be honoured
        if (o.size() < 512 || o.sessions() < 1 || o.duration() < 1 || o.warmup() < 0 || o.users() < 1) {
            System.err.println("need --size >= 512, --sessions >= 1, --duration >= 1, --warmup >= 0, --users >= 1");
            System.exit(64);
        }
        return o;
    }
}
