package mail.smtp.handoff;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import mail.core.blob.BlobStore;
import mail.core.blob.BlobStoreException;
import mail.core.event.ConnectionInfo;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.SmtpEnvelope;
import mail.core.kafka.EventPublisher;
import org.jboss.logging.Logger;

/**
 * The durability contract of the gateway: a message is accepted only once its bytes are in the object store AND its
 * mail.received event is acknowledged by Kafka. Anything else is a temporary failure the sender will retry.
 */
public final class MailHandoff {
    private static final Logger LOG = Logger.getLogger(MailHandoff.class);

    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final String source;
    private final Duration timeout;

    public MailHandoff(BlobStore blobs, EventPublisher publisher, String source, Duration timeout) {
        this.blobs = blobs;
        this.publisher = publisher;
        this.source = source;
        this.timeout = timeout;
    }

    public sealed interface Result {
        record Accepted(MailReceived event) implements Result {
        }

        record Failed(String reason) implements Result {
        }
    }

    public Result handOff(String eventId, Spool spool, SmtpEnvelope envelope, ConnectionInfo connection) {
        MessageRef ref;
        try {
            String sha = spool.finish();
            ref = blobs.putSpooled(spool.file(), sha, spool.size());
        } catch (IOException | BlobStoreException e) {
            LOG.warnf("object store unavailable, message deferred: %s", e.getMessage());
            return new Result.Failed("object store: " + e.getMessage());
        }
        MailReceived event = new MailReceived(eventId, source, java.time.Instant.now(), ref, envelope, connection);
        try {
            publisher.publish(event.topic(), event.kafkaKey(), event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result.Accepted(event);
        } catch (ExecutionException | TimeoutException e) {
            // the blob stays: content-addressed, it may be shared with an accepted copy; unreferenced blobs are swept
            LOG.warnf("Kafka unavailable, message deferred: %s", e.getCause() != null ? e.getCause().getMessage() : e.toString());
            return new Result.Failed("event bus: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Failed("interrupted");
        } catch (RuntimeException e) {
            // the client refuses a record outright, e.g. when it cannot learn the topic's partitions in time
            LOG.warnf("Kafka unavailable, message deferred: %s", e.getMessage());
            return new Result.Failed("event bus: " + e);
        }
    }
}
