package mail.core.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@link SharedRateLimits} over the MongoDB {@link RateCounters}: every question runs on a small pool of its own
 * (bounded queue) and is answered within {@code timeout}. A failure, a timeout or a full queue lets the action
 * through and is counted ({@link #storeFailures}); after a failure the store is not asked for {@code backoff}, so an
 * outage costs sessions nothing but the first timeout. Old windows are purged every {@code purgeEvery}.
 */
public final class MongoRateLimits implements SharedRateLimits, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MongoRateLimits.class);
    private static final int QUEUE = 10_000;

    /**
     * @param threads    concurrent questions to MongoDB
     * @param timeout    longest wait for an answer before the action is let through
     * @param backoff    after a failure, how long the store is not asked at all
     * @param purgeEvery how often expired windows are deleted
     */
    public record Settings(int threads, Duration timeout, Duration backoff, Duration purgeEvery) {
        public Settings {
            if (threads < 1 || timeout.isNegative() || timeout.isZero() || backoff.isNegative() || purgeEvery.toMillis() < 1) {
                throw new IllegalArgumentException("bad rate limit store settings: " + threads + ", " + timeout + ", " + backoff
                        + ", " + purgeEvery);
            }
        }
    }

    private final RateCounters counters;
    private final Clock clock;
    private final Settings settings;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService purger;
    private final AtomicLong storeFailures = new AtomicLong();
    private volatile long skipUntil;

    public MongoRateLimits(RateCounters counters, Clock clock, Settings settings) {
        this.counters = counters;
        this.clock = clock;
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> daemon(r, "rate-limits-" + n.incrementAndGet()));
        this.purger = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rate-limits-purge"));
        long every = settings.purgeEvery().toMillis();
        purger.scheduleWithFixedDelay(this::purge, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Boolean> acquire(Limit limit) {
        return ask(() -> counters.tryCharge(limit.key(), limit.window(), limit.max(), 1, clock.instant()), true);
    }

    @Override
    public CompletableFuture<Optional<Limit>> exceeded(List<Limit> limits, long amount) {
        return ask(() -> {
            Instant now = clock.instant();
            for (Limit l : limits) {
                if (counters.usage(l.key(), l.window(), now) + amount > l.max()) {
                    return Optional.of(l);
                }
            }
            return Optional.<Limit>empty();
        }, Optional.empty());
    }

    @Override
    public CompletableFuture<Void> charge(List<Limit> limits, long amount) {
        if (limits.isEmpty() || amount <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return ask(() -> {
            Instant now = clock.instant();
            for (Limit l : limits) {
                counters.charge(l.key(), l.window(), amount, now);
            }
            return null;
        }, null);
    }

    /** Questions that were let through because the store failed, timed out or was skipped after a failure. */
    public long storeFailures() {
        return storeFailures.get();
    }

    private <T> CompletableFuture<T> ask(Supplier<T> question, T failOpen) {
        if (clock.millis() < skipUntil) {
            storeFailures.incrementAndGet();
            return CompletableFuture.completedFuture(failOpen);
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    answer.complete(question.get());
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(e);
        }
        return answer.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
            failed(e);
            return failOpen;
        });
    }

    private void failed(Throwable e) {
        storeFailures.incrementAndGet();
        long now = clock.millis();
        boolean first = now >= skipUntil;
        skipUntil = now + settings.backoff().toMillis();
        if (first) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warnf("rate limit store unavailable, letting mail through for %s: %s", settings.backoff(),
                    cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
    }

    private void purge() {
        try {
            counters.purge(clock.instant());
        } catch (RuntimeException e) {
            LOG.debugf("rate counters not purged: %s", e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        purger.shutdownNow();
    }
}
