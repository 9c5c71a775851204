package mail.protocol.auth;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import mail.core.abuse.AuthFailureLedger;
import mail.core.abuse.SharedAuthFailures;

/**
 * Slows down password guessing. Each failed AUTH from a client address makes the next failure's reply wait
 * longer (0 s, 1 s, 2 s, 4 s … up to a cap), across connections, and a connection is closed after a few failures
 * of its own. Pure bookkeeping: the session applies the delay with its own timer and closes the connection.
 *
 * <p>Failures are also handed to {@link SharedAuthFailures}, where they count across every instance of SMTP, IMAP
 * and POP3 and lead to temporary blocks of a client network or an account; {@link Session#blocked} asks it before
 * credentials are checked. A successful login forgets nothing about the client's address: one good password must
 * not wipe what the address tried against other accounts.
 *
 * <p>IPv6 clients are counted per /64, since one subscriber usually has a whole /64 to hop around in. Entries are
 * forgotten after a quiet period, and the table is bounded, dropping the least recently failed client first, so
 * a spread-out attack costs memory only up to that bound. Thread-safe.
 */
public final class AuthThrottle {

    /**
     * @param firstDelay            the delay after the second failure in a row; it doubles with each further one
     * @param maxDelay              the cap on the delay
     * @param maxFailuresPerSession failures after which the session closes the connection
     * @param forgetAfter           a client whose last failure is older than this starts from zero again
     * @param maxTrackedClients     bound on the number of client addresses remembered
     */
    public record Settings(Duration firstDelay, Duration maxDelay, int maxFailuresPerSession, Duration forgetAfter,
                           int maxTrackedClients) {
        public Settings {
            requireNotNegative(firstDelay, "firstDelay");
            requireNotNegative(maxDelay, "maxDelay");
            requireNotNegative(forgetAfter, "forgetAfter");
            if (maxFailuresPerSession < 1) {
                throw new IllegalArgumentException("maxFailuresPerSession must be >= 1");
            }
            if (maxTrackedClients < 1) {
                throw new IllegalArgumentException("maxTrackedClients must be >= 1");
            }
        }

        /** The configurable part, with the default memory of failures (how long, how many clients). */
        public static Settings of(Duration firstDelay, Duration maxDelay, int maxFailuresPerSession) {
            Settings d = defaults();
            return new Settings(firstDelay, maxDelay, maxFailuresPerSession, d.forgetAfter(), d.maxTrackedClients());
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), 3, Duration.ofMinutes(15), 100_000);
        }

        private static void requireNotNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
        }
    }

    /**
     * What to do about one failed AUTH: wait {@code delay} before replying, then, if {@code disconnect}, reply
     * 421 4.7.0 instead of the failure's own reply and close the connection.
     */
    public record Decision(Duration delay, boolean disconnect) {
    }

    private static final class Entry {
        int failures;
        Instant lastFailure;
    }

    private final InstantSource clock;
    private final Settings settings;
    private final SharedAuthFailures shared;
    // Insertion order is kept as order of last failure by re-inserting on each failure, so expiry scans the head.
    private final LinkedHashMap<String, Entry> clients = new LinkedHashMap<>();

    public AuthThrottle(InstantSource clock) {
        this(clock, Settings.defaults());
    }

    public AuthThrottle(InstantSource clock, Settings settings) {
        this(clock, settings, SharedAuthFailures.NONE);
    }

    public AuthThrottle(InstantSource clock, Settings settings, SharedAuthFailures shared) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    /** One per SMTP connection. */
    public Session session(InetAddress client) {
        return new Session(key(client));
    }

    /** The delay the next failure from this client would get, for logging and metrics. */
    public synchronized Duration pendingDelay(InetAddress client) {
        expire(clock.instant());
        Entry e = clients.get(key(client));
        return delayFor(e == null ? 1 : e.failures + 1);
    }

    public synchronized int trackedClients() {
        expire(clock.instant());
        return clients.size();
    }

    private synchronized Duration recordFailure(String key) {
        Instant now = clock.instant();
        expire(now);
        Entry e = clients.remove(key);
        if (e == null) {
            e = new Entry();
        }
        e.failures = e.failures == Integer.MAX_VALUE ? e.failures : e.failures + 1;
        e.lastFailure = now;
        clients.put(key, e);
        if (clients.size() > settings.maxTrackedClients()) {
            Iterator<String> eldest = clients.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return delayFor(e.failures);
    }

    private Duration delayFor(int failures) {
        if (failures <= 1) {
            return Duration.ZERO;
        }
        Duration delay = settings.firstDelay();
        for (int i = 2; i < failures && delay.compareTo(settings.maxDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    private void expire(Instant now) {
        Instant horizon = now.minus(settings.forgetAfter());
        for (Iterator<Map.Entry<String, Entry>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().lastFailure.isAfter(horizon)) {
                break;
            }
            it.remove();
        }
    }

    static String key(InetAddress address) {
        return AuthFailureLedger.clientNetwork(address);
    }

    /** The AUTH failures of one connection. Not thread-safe, like the session that owns it. */
    public final class Session {
        private final String key;
        private int failures;

        private Session(String key) {
            this.key = key;
        }

        /** A failure where the account is not known (a malformed SASL message, say). */
        public Decision failure() {
            return failure(null);
        }

        /** A failed login for {@code account} (as the client named it). */
        public Decision failure(String account) {
            failures++;
            Duration delay = recordFailure(key);
            shared.failed(key, account);
            return new Decision(delay, failures >= settings.maxFailuresPerSession());
        }

        /**
         * Whether this client's network or the account is blocked now, across all instances: the session then
         * answers as for a failure without checking the credentials. Never waits for I/O.
         */
        public boolean blocked(String account) {
            return shared.blocked(key, account);
        }

        /** A successful login: the account's shared failures are forgotten, the client address's are not. */
        public void success(String account) {
            shared.succeeded(account);
        }

        /** A successful login where only the local bookkeeping matters. */
        public void success() {
            // nothing local to forget: the address keeps its failures (see the class comment)
        }

        public int failures() {
            return failures;
        }
    }
}
