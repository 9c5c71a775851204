package mail.smtp.abuse;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Counters of abuse protection: {@code smtp_abuse_rejections_total{kind}} for every refusal (connection_rate,
 * ip_message_rate, account_message_rate, account_recipient_rate, dnsbl), {@code smtp_abuse_dnsbl_unanswered_total{zone}}
 * for blocklist lookups taken as not listed, and {@code smtp_abuse_rate_store_failures_total} for rate checks let
 * through because the shared store did not answer.
 */
public final class AbuseMetrics {
    public static final String CONNECTION_RATE = "connection_rate";
    public static final String IP_MESSAGE_RATE = "ip_message_rate";
    public static final String ACCOUNT_MESSAGE_RATE = "account_message_rate";
    public static final String ACCOUNT_RECIPIENT_RATE = "account_recipient_rate";
    public static final String DNSBL = "dnsbl";

    private final MeterRegistry registry;

    public AbuseMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void rejected(String kind) {
        registry.counter("smtp.abuse.rejections", "kind", kind).increment();
    }

    void dnsblUnanswered(String zone) {
        registry.counter("smtp.abuse.dnsbl.unanswered", "zone", zone).increment();
    }

    public <T> void storeFailures(T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder("smtp.abuse.rate.store.failures", source, count)
                .description("rate limit checks let through because the shared store did not answer").register(registry);
    }
}
