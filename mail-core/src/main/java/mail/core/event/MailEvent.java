package mail.core.event;

import java.time.Instant;
import java.util.UUID;

/**
 * An event on one of the platform's Kafka topics. Each event carries the CloudEvents 1.0 context attributes
 * ({@code specversion}, {@code id}, {@code source}, {@code type}, {@code time}, {@code datacontenttype}) plus the
 * {@code schemaversion} extension; {@link EventCodec} writes them in CloudEvents structured JSON mode with the
 * event-specific fields under {@code data}.
 *
 * <p>Only {@code id}, {@code source} and {@code time} vary per event; the other attributes are fixed per type, so
 * they are constants rather than record components that could disagree with the class.
 */
public sealed interface MailEvent permits MailReceived, MailboxChanged, DirectoryChanged, OutboundRequested {

    String SPEC_VERSION = "1.0";
    String DATA_CONTENT_TYPE = "application/json";

    /** A lower-case UUID, unique per event: with the recipient it is the consumers' idempotency key. */
    String id();

    /** Which service instance produced the event, for example {@code smtp-gateway/host-1}. */
    String source();

    Instant time();

    String type();

    int schemaVersion();

    String topic();

    /** The Kafka record key; it decides the partition and therefore what is delivered in order. */
    String kafkaKey();

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
