package mail.core.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * {@link SharedAuthFailures} over the MongoDB {@link AuthFailureLedger}: failures are written by one background
 * thread (a bounded queue; under a flood the excess is dropped and counted, the local per-instance throttle still
 * slows every guess), and the blocked keys are read back every {@code refresh}, so a block set by any instance of
 * any protocol holds here within that time. Sessions never wait for MongoDB; when it is down, nothing new is
 * blocked and nothing is refused because of it.
 */
public final class LedgerAuthFailures implements SharedAuthFailures, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LedgerAuthFailures.class);
    private static final int QUEUE = 10_000;

    private final AuthFailureLedger ledger;
    private final Clock clock;
    private final ThreadPoolExecutor writer;
    private final ScheduledExecutorService reader;
    private volatile Map<String, Instant> blocks = Map.of();
    private final Map<String, Instant> localBlocks = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong storeErrors = new AtomicLong();

    public LedgerAuthFailures(AuthFailureLedger ledger, Clock clock, Duration refresh) {
        this.ledger = ledger;
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> daemon(r, "auth-ledger-writer"));
        this.reader = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "auth-ledger-reader"));
        reader.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean blocked(String clientNetwork, String account) {
        Instant now = clock.instant();
        return active(AuthFailureLedger.clientKey(clientNetwork), now)
                || account != null && !account.isBlank() && active(AuthFailureLedger.accountKey(account), now);
    }

    @Override
    public void failed(String clientNetwork, String account) {
        submit(() -> {
            Instant now = clock.instant();
            ledger.failure(clientNetwork, account, now);
            // what this instance caused holds here at once, without waiting for the next refresh
            remember(AuthFailureLedger.clientKey(clientNetwork), now);
            if (account != null && !account.isBlank()) {
                remember(AuthFailureLedger.accountKey(account), now);
            }
        });
    }

    @Override
    public void succeeded(String account) {
        submit(() -> ledger.success(account));
    }

    public long dropped() {
        return dropped.get();
    }

    public long storeErrors() {
        return storeErrors.get();
    }

    /** Reads the blocks now (tests, and after an admin lifted one). */
    public void refresh() {
        try {
            Instant now = clock.instant();
            Map<String, Instant> fresh = new ConcurrentHashMap<>();
            for (AuthFailureLedger.Entry e : ledger.blocked(now)) {
                fresh.put(e.key(), e.blockedUntil().orElse(now));
            }
            blocks = fresh;
            localBlocks.clear();
            ledger.purge(now);
        } catch (RuntimeException e) {
            storeErrors.incrementAndGet();
            LOG.debugf("auth failure ledger not readable: %s", e.getMessage());
        }
    }

    private boolean active(String key, Instant now) {
        Instant until = blocks.get(key);
        if (until == null) {
            until = localBlocks.get(key);
        }
        return until != null && now.isBefore(until);
    }

    private void remember(String key, Instant now) {
        ledger.entry(key).filter(e -> e.blockedAt(now)).ifPresent(e -> localBlocks.put(key, e.blockedUntil().get()));
    }

    private void submit(Runnable task) {
        try {
            writer.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    storeErrors.incrementAndGet();
                    LOG.debugf("auth failure not recorded: %s", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        writer.shutdownNow();
        reader.shutdownNow();
    }
}
