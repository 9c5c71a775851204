package mail.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of delivery-worker; each key can be set from the environment (MAIL_DELIVERY_…). */
@ConfigMapping(prefix = "mail.delivery")
public interface DeliveryConfig {
    /** Kafka consumer group shared by all copies */
    @WithDefault("delivery-worker")
    String consumerGroup();

    /** Attempts for an event that fails with an unexpected (neither transient nor known permanent) error, then DLQ. */
    @WithDefault("10")
    int maxAttempts();

    /** Attempts while the referenced blob is missing (it may still be replicating), then DLQ. */
    @WithDefault("5")
    int blobMissingAttempts();

    /** Whether this copy consumes mail.received at all (off: health and metrics only). */
    @WithDefault("true")
    boolean consumerEnabled();

    /** Partitions of one poll processed in parallel; order within a partition is kept. */
    @WithDefault("8")
    int concurrency();

    @WithDefault("100")
    int maxPollRecords();

    /**
     * How long handled offsets may wait to be committed together (also committed at a rebalance and on shutdown).
     * A copy killed in between has that much redelivered, which the idempotent store finds done.
     */
    @WithDefault("1s")
    Duration commitInterval();

    /** How long the group waits for a copy that stopped answering (a kill -9) before its partitions move on. */
    @WithDefault("45s")
    Duration sessionTimeout();

    /** First pause after a transient failure (MongoDB, S3 or Kafka down); doubles up to retryMax. */
    @WithDefault("250ms")
    Duration retryInitial();

    @WithDefault("10s")
    Duration retryMax();

    /** How long a write to Kafka (mailbox.changes, mail.outbound, DLQ) may take before the event is retried. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Per-mailbox lease under which a UID is allocated and its message inserted. */
    @WithDefault("10s")
    Duration mailboxLease();

    /** How long to wait for a busy mailbox before the event is retried later. */
    @WithDefault("30s")
    Duration mailboxWait();

    /** Host name in DSNs (Reporting-MTA, the MAILER-DAEMON address). */
    @WithDefault("localhost")
    String hostname();

    /** A DSN returns the whole original message (RET=FULL) only up to this size, else its header. */
    @WithDefault("1048576")
    long dsnFullMessageLimit();

    /** Where mail to postmaster@ of a hosted domain goes when the directory has no entry for it. */
    Optional<String> postmaster();
}
