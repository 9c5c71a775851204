package mail.relay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import mail.relay.queue.EntryState;

/** What an operator graphs and alerts on: queue size by state, attempts and what became of each recipient. */
public final class RelayMetrics {
    private static final long REFRESH_NANOS = 5_000_000_000L;

    private final Counter attempts;
    private final Counter delivered;
    private final Counter deferred;
    private final Counter bounced;
    private final Counter dsns;
    private final Counter enqueued;
    private final Counter leaseLost;
    private final Map<EntryState, Long> sizes = new ConcurrentHashMap<>();
    private volatile long refreshedAt;
    private final Supplier<Map<EntryState, Long>> counter;
    private final MeterRegistry registry;

    public RelayMetrics(MeterRegistry registry, Supplier<Map<EntryState, Long>> counter) {
        this.counter = counter;
        this.registry = registry;
        this.attempts = Counter.builder("mail.relay.attempts").description("SMTP delivery attempts (one per message and destination)").register(registry);
        this.delivered = Counter.builder("mail.relay.recipients").tag("outcome", "delivered").register(registry);
        this.deferred = Counter.builder("mail.relay.recipients").tag("outcome", "deferred").register(registry);
        this.bounced = Counter.builder("mail.relay.recipients").tag("outcome", "bounced").register(registry);
        this.dsns = Counter.builder("mail.relay.dsn").description("DSNs handed on to mail.received").register(registry);
        this.enqueued = Counter.builder("mail.relay.enqueued").description("new queue entries from mail.outbound").register(registry);
        this.leaseLost = Counter.builder("mail.relay.lease.lost").description("results dropped because the lease had passed to another copy").register(registry);
        for (EntryState s : EntryState.values()) {
            Gauge.builder("mail.relay.queue.size", () -> size(s)).tag("state", s.name().toLowerCase()).strongReference(true).register(registry);
        }
    }

    private double size(EntryState s) {
        long now = System.nanoTime();
        if (now - refreshedAt > REFRESH_NANOS) {
            refreshedAt = now;
            try {
                sizes.putAll(counter.get());
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
        return sizes.getOrDefault(s, 0L);
    }

    /** An MTA-STS policy applied to a route: mode enforce|testing, outcome applied|no-permitted-mx|match|mx-mismatch. */
    public void mtaSts(String mode, String outcome) {
        Counter.builder("mail.relay.mta.sts").description("routes an MTA-STS policy applied to")
                .tag("mode", mode).tag("outcome", outcome).register(registry).increment();
    }

    public void attempt() {
        attempts.increment();
    }

    public void delivered(int n) {
        delivered.increment(n);
    }

    public void deferred(int n) {
        deferred.increment(n);
    }

    public void bounced(int n) {
        bounced.increment(n);
    }

    public void dsn() {
        dsns.increment();
    }

    public void enqueued() {
        enqueued.increment();
    }

    public void leaseLost() {
        leaseLost.increment();
    }
}
