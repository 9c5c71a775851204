package mail.delivery.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The counters an operator alerts on; Prometheus names: mail_delivery_*. */
@ApplicationScoped
public class DeliveryMetrics {
    private final MeterRegistry registry;
    private final Counter delivered;
    private final Counter dlq;
    private final Counter outbound;
    private final Counter dsn;
    private final Timer latency;
    private final AtomicInteger consuming = new AtomicInteger();
    private final AtomicInteger partitions = new AtomicInteger();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.delivered = Counter.builder("mail.delivery.delivered").description("messages stored into a mailbox").register(registry);
        this.dlq = Counter.builder("mail.delivery.dlq").description("events sent to the dead-letter topic").register(registry);
        this.outbound = Counter.builder("mail.delivery.outbound").description("outbound requests published").register(registry);
        this.dsn = Counter.builder("mail.delivery.dsn").description("delivery status notifications generated").register(registry);
        this.latency = Timer.builder("mail.delivery.latency").description("from the event's time to the message stored")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
        registry.gauge("mail.delivery.consuming", consuming);
        registry.gauge("mail.delivery.partitions", partitions);
    }

    public void delivered(Duration sinceReceived) {
        delivered.increment();
        latency.record(sinceReceived.isNegative() ? Duration.ZERO : sinceReceived);
    }

    /** A recipient that will not get the message; reason is a short fixed word (quota, unknown, disabled …). */
    public void failed(String reason) {
        Counter.builder("mail.delivery.failed").description("recipients not delivered").tag("reason", reason)
                .register(registry).increment();
    }

    /** A submitter's own copy for its Sent mailbox; outcome is stored, quota or no-sent-mailbox. */
    public void sentCopy(String outcome) {
        Counter.builder("mail.delivery.sent.copies").description("copies of submissions kept in the sender's Sent mailbox")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void deadLettered() {
        dlq.increment();
    }

    public void outbound() {
        outbound.increment();
    }

    public void dsn() {
        dsn.increment();
    }

    /** mail.received partitions this copy owns right now. */
    public void partitions(int owned) {
        partitions.set(owned);
    }

    public void consuming(boolean on) {
        consuming.set(on ? 1 : 0);
    }
}
