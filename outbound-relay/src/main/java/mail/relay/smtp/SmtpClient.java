package mail.relay.smtp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Sends transactions to destinations, reusing an idle connection to the same destination when one is fresh enough,
 * and never holding more than the configured number of connections to one destination in use at once (per copy).
 */
public final class SmtpClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SmtpClient.class);

    private final SmtpSettings settings;
    private final Map<String, Semaphore> limits = new ConcurrentHashMap<>();
    private final Map<String, Deque<SmtpConnection>> idle = new ConcurrentHashMap<>();

    public SmtpClient(SmtpSettings settings) {
        this.settings = settings;
    }

    /**
     * @return each recipient's outcome
     * @throws SmtpFailure when no transaction could be held with this destination (the caller tries the next one)
     */
    public List<RecipientResult> send(Destination d, MailTransaction t) throws SmtpFailure, InterruptedException {
        Semaphore limit = limits.computeIfAbsent(d.key(), k -> new Semaphore(settings.maxConnectionsPerDestination(), true));
        limit.acquire();
        try {
            SmtpConnection c = reusable(d);
            if (c == null) {
                c = open(d);
            }
            List<RecipientResult> results;
            try {
                results = c.send(t);
            } catch (SmtpFailure e) {
                // a protocol failure leaves the session in an unknown state: never reuse it
                c.close();
                throw e;
            }
            if (c.isOpen()) {
                park(c);
            }
            return results;
        } finally {
            limit.release();
        }
    }

    private SmtpConnection open(Destination d) throws SmtpFailure {
        try {
            return SmtpConnection.open(d, settings, true);
        } catch (SmtpFailure e) {
            if (e.getCause() instanceof SmtpConnection.TlsHandshakeFailure && !d.requireTls()) {
                // RFC 7435: a broken opportunistic upgrade falls back to plain text rather than failing the mail
                LOG.infof("%s; retrying %s without STARTTLS", e.reply(), d);
                return SmtpConnection.open(d, settings, false);
            }
            throw e;
        }
    }

    private SmtpConnection reusable(Destination d) {
        Deque<SmtpConnection> q = idle.get(d.key());
        if (q == null) {
            return null;
        }
        while (true) {
            SmtpConnection c;
            synchronized (q) {
                c = q.pollFirst();
            }
            if (c == null) {
                return null;
            }
            if (c.idleNanos() < settings.connectionIdle().toNanos() && c.isOpen() && c.resetForReuse()) {
                return c;
            }
            c.quit();
        }
    }

    private void park(SmtpConnection c) {
        Deque<SmtpConnection> q = idle.computeIfAbsent(c.destination().key(), k -> new ArrayDeque<>());
        SmtpConnection evicted = null;
        synchronized (q) {
            q.addFirst(c);
            if (q.size() > settings.maxConnectionsPerDestination()) {
                evicted = q.pollLast();
            }
        }
        if (evicted != null) {
            evicted.quit();
        }
    }

    /** Closes idle connections older than the idle limit; called by the workers between messages. */
    public void expireIdle() {
        for (Deque<SmtpConnection> q : idle.values()) {
            while (true) {
                SmtpConnection old;
                synchronized (q) {
                    old = q.peekLast();
                    if (old == null || old.idleNanos() < settings.connectionIdle().toNanos()) {
                        break;
                    }
                    q.pollLast();
                }
                old.quit();
            }
        }
    }

    @Override
    public void close() {
        for (Deque<SmtpConnection> q : idle.values()) {
            synchronized (q) {
                q.forEach(SmtpConnection::quit);
                q.clear();
            }
        }
    }
}
