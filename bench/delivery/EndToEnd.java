import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import mail.testsupport.TrustingTls;

/**
 * End-to-end delivery latency on the running platform, as the delivery-worker issue defines it: from the SMTP
 * gateway's {@code 250} after the message's final "." to the message being visible to an IMAP client.
 *
 * <p>Every account has one IMAPS session with INBOX selected. Mail goes in through the MX listener at a fixed offered
 * rate over a few reused SMTP connections. The time the {@code 250} is read is the start. The end is, by probe:
 * <ul>
 *   <li>{@code idle}: the IDLE session's untagged {@code EXISTS} that counts the message (what Thunderbird sees; it
 *       comes after the message is stored, so it is an upper bound of SELECT visibility);</li>
 *   <li>{@code select}: a {@code SELECT INBOX} whose {@code EXISTS} counts the message; the account's session repeats
 *       SELECT, {@code poll} ms apart, only while it waits for a message (so idle accounts cost nothing). Each
 *       SELECT reads the whole mailbox, so at high rates the probe loads the server more than the mail does.</li>
 * </ul>
 * An account never has two messages in flight (the next recipient is always one with nothing pending), so the n-th
 * message sent to an account is the one that makes its count n. Messages whose 250 falls in the warm-up are sent
 * but not counted.
 *
 * <pre>
 *   java -cp test-support/target/classes bench/delivery/EndToEnd.java smtpPort imapsPort domain users password rate seconds warmup probe(idle|select) pollMs
 * </pre>
 * JDK only, plus test-support's {@code TrustingTls} on the class path: the IMAPS client trusts any certificate, as
 * the local platform's is self-signed, and this is a benchmark on loopback, never a client of anything else.
 */
public class EndToEnd {
    private static final String HOST = "127.0.0.1";

    public static void main(String[] a) throws Exception {
        int smtpPort = Integer.parseInt(a[0]);
        int imapsPort = Integer.parseInt(a[1]);
        String domain = a[2];
        int users = Integer.parseInt(a[3]);
        String password = a[4];
        int rate = Integer.parseInt(a[5]);
        int seconds = Integer.parseInt(a[6]);
        int warmup = Integer.parseInt(a[7]);
        boolean select = a[8].equals("select");
        long pollMs = Long.parseLong(a[9]);
        int smtpSessions = Math.max(2, Math.min(10, rate / 10));

        SSLContext tls = TrustingTls.context();
        List<Account> accounts = new ArrayList<>();
        for (int i = 1; i <= users; i++) {
            Account acc = new Account("user" + i + "@" + domain);
            acc.connect(tls, imapsPort, password, select, pollMs);
            accounts.add(acc);
        }
        System.err.printf(Locale.ROOT, "%d IMAPS sessions logged in, INBOX selected (%s probe)%n", users, select ? "SELECT" : "IDLE");

        BlockingQueue<Account> jobs = new ArrayBlockingQueue<>(10_000);
        ConcurrentLinkedQueue<Long> smtpMillis = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        AtomicLong sendErrors = new AtomicLong();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < smtpSessions; s++) {
            Thread t = new Thread(() -> smtpSession(smtpPort, domain, jobs, measureFrom, smtpMillis, sendErrors), "smtp-" + s);
            t.start();
            senders.add(t);
        }
        // the pacer: one message every 1/rate s to an account with nothing in flight
        long period = 1_000_000_000L / rate;
        long offered = 0;
        long skipped = 0;
        for (long i = 0; ; i++) {
            long due = start + i * period;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Account free = null;
            int from = ThreadLocalRandom.current().nextInt(users);
            for (int k = 0; k < users && free == null; k++) {
                Account c = accounts.get((from + k) % users);
                if (c.reserve()) {
                    free = c;
                }
            }
            if (free == null) {
                skipped++; // every account has a message in flight: the system is far behind
                continue;
            }
            jobs.put(free);
            offered++;
        }
        for (int s = 0; s < smtpSessions; s++) {
            jobs.put(Account.STOP);
        }
        for (Thread t : senders) {
            t.join();
        }
        long deadline = System.currentTimeMillis() + 120_000;
        while (accounts.stream().anyMatch(Account::pending) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        List<Long> latencies = new ArrayList<>();
        int unseen = 0;
        for (Account acc : accounts) {
            latencies.addAll(acc.latencies);
            if (acc.pending()) {
                unseen++;
            }
            acc.close();
        }
        Collections.sort(latencies);
        List<Long> smtp = new ArrayList<>(smtpMillis);
        Collections.sort(smtp);
        double secs = seconds;
        System.out.printf(Locale.ROOT, "%s probe: %d msgs/s offered for %d s after %d s of warm-up: %d sent (%.1f msgs/s), "
                        + "%d measured; 250 -> visible p50 %d ms, p90 %d ms, p99 %d ms, max %d ms; "
                        + "SMTP '.' -> 250 p50 %d ms, p99 %d ms; send errors %d, pacer skips %d, never visible %d%n",
                select ? "SELECT" : "IDLE", rate, seconds, warmup, offered, offered / (secs + warmup), latencies.size(),
                pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1),
                pct(smtp, 50), pct(smtp, 99), sendErrors.get(), skipped, unseen);
        if (unseen > 0 || sendErrors.get() > 0 || latencies.isEmpty()) {
            System.exit(1);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** One reused MX connection: MAIL / RCPT / DATA per job, each reply read before the next command. */
    private static void smtpSession(int port, String domain, BlockingQueue<Account> jobs, long measureFrom,
                                    ConcurrentLinkedQueue<Long> smtpMillis, AtomicLong errors) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 10_000);
            s.setSoTimeout(60_000);
            s.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            reply(in, "220");
            send(out, "EHLO bench.client\r\n");
            reply(in, "250");
            while (true) {
                Account to = jobs.take();
                if (to == Account.STOP) {
                    send(out, "QUIT\r\n");
                    return;
                }
                send(out, "MAIL FROM:<sender@remote.example>\r\n");
                reply(in, "250");
                send(out, "RCPT TO:<" + to.address + ">\r\n");
                reply(in, "250");
                send(out, "DATA\r\n");
                reply(in, "354");
                long dot = System.nanoTime();
                send(out, message(to.address));
                try {
                    reply(in, "250");
                } catch (IOException e) {
                    to.release();
                    throw e;
                }
                long accepted = System.nanoTime();
                to.accepted(accepted, accepted >= measureFrom);
                if (accepted >= measureFrom) {
                    smtpMillis.add((accepted - dot) / 1_000_000);
                }
            }
        } catch (IOException | InterruptedException e) {
            errors.incrementAndGet();
            System.err.println("SMTP session failed: " + e);
        }
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void reply(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed, expected " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new IOException("expected " + code + ", got: " + line);
        }
    }

    /** About 4 KB with a text part and a small attachment, the delivery benchmark's message; ends with "." */
    private static String message(String to) {
        StringBuilder b = new StringBuilder();
        b.append("From: Sender <sender@remote.example>\r\nTo: <").append(to).append(">\r\nSubject: e2e latency\r\n")
                .append("Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <").append(UUID.randomUUID())
                .append("@bench>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        for (int l = 0; l < 30; l++) {
            b.append("Line ").append(l).append(" of the benchmark message text, long enough to look like mail.\r\n");
        }
        b.append("--b\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Disposition: attachment; filename=\"a.bin\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n\r\n");
        for (int l = 0; l < 20; l++) {
            b.append("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n");
        }
        b.append("--b--\r\n.\r\n");
        return b.toString();
    }

    /** An account, its IMAPS session, and its one message in flight. */
    static final class Account {
        static final Account STOP = new Account("");

        final String address;
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        private SSLSocket socket;
        private BufferedReader in;
        private OutputStream out;
        private long exists;
        private boolean inFlight; // reserved by the pacer, until the message is seen
        private long acceptedAt; // nanoTime of the 250, 0 while not yet read
        private boolean measured;
        private long seenAt; // nanoTime of the EXISTS that counted it, 0 while not yet seen
        private long expect; // the count the message in flight makes
        private int tag;
        private volatile boolean closing;

        Account(String address) {
            this.address = address;
        }

        void connect(SSLContext tls, int port, String password, boolean select, long pollMs) throws IOException {
            socket = (SSLSocket) tls.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress(HOST, port), 10_000);
            socket.setSoTimeout(0);
            socket.startHandshake();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            expectLine(in.readLine(), "* OK");
            command("LOGIN \"" + address + "\" \"" + password + "\"");
            exists = command("SELECT INBOX");
            Thread t = new Thread(() -> {
                try {
                    if (select) {
                        pollLoop(pollMs);
                    } else {
                        idleLoop();
                    }
                } catch (IOException | InterruptedException e) {
                    if (!closing) {
                        System.err.println(address + ": IMAP session failed: " + e);
                    }
                }
            }, "imap-" + address);
            t.setDaemon(true);
            t.start();
        }

        /** Sends a tagged command and reads up to its tagged OK; returns the last EXISTS count seen (or -1). */
        private long command(String cmd) throws IOException {
            String t = "a" + (++tag);
            out.write((t + " " + cmd + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            long count = -1;
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed during " + cmd);
                }
                if (line.startsWith("* ") && line.endsWith(" EXISTS")) {
                    count = Long.parseLong(line.substring(2, line.length() - 7));
                } else if (line.startsWith(t + " ")) {
                    expectLine(line, t + " OK");
                    return count;
                }
            }
        }

        private void idleLoop() throws IOException {
            out.write("i1 IDLE\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            expectLine(in.readLine(), "+");
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("IDLE session closed");
                }
                long now = System.nanoTime();
                if (line.startsWith("* ") && line.endsWith(" EXISTS")) {
                    counted(Long.parseLong(line.substring(2, line.length() - 7)), now);
                }
            }
        }

        private void pollLoop(long pollMs) throws IOException, InterruptedException {
            while (true) {
                synchronized (this) {
                    while (!inFlight || seenAt != 0) {
                        wait();
                    }
                }
                long count = command("SELECT INBOX");
                long now = System.nanoTime();
                if (count >= 0) {
                    counted(count, now);
                }
                Thread.sleep(pollMs);
            }
        }

        private synchronized void counted(long count, long now) {
            exists = Math.max(exists, count);
            if (inFlight && seenAt == 0 && exists >= expect) {
                seenAt = now;
                finish();
            }
        }

        synchronized boolean reserve() {
            if (this == STOP || inFlight) {
                return false;
            }
            inFlight = true;
            acceptedAt = 0;
            seenAt = 0;
            expect = exists + 1;
            notifyAll();
            return true;
        }

        synchronized void release() {
            inFlight = false;
        }

        synchronized void accepted(long at, boolean measure) {
            acceptedAt = at;
            measured = measure;
            finish();
        }

        private void finish() {
            if (acceptedAt != 0 && seenAt != 0) {
                if (measured) {
                    latencies.add(Math.max(0, seenAt - acceptedAt) / 1_000_000);
                }
                inFlight = false;
            }
        }

        synchronized boolean pending() {
            return inFlight;
        }

        void close() throws IOException {
            closing = true;
            socket.close();
        }

        private static void expectLine(String line, String prefix) throws IOException {
            if (line == null || !line.startsWith(prefix)) {
                throw new IOException("expected " + prefix + ", got: " + line);
            }
        }
    }
}
