package mail.core.kafka;

import java.util.concurrent.CompletableFuture;
import mail.core.event.MailEvent;

/** Publishes events; the future completes only once the broker has acknowledged the record (acks=all). */
public interface EventPublisher {

    CompletableFuture<Published> publish(String topic, String key, MailEvent event);

    /** A null value under the key: the compacted directory.changes topic forgets the entity. */
    CompletableFuture<Published> publishTombstone(String topic, String key);

    record Published(String topic, int partition, long offset) {
    }
}
