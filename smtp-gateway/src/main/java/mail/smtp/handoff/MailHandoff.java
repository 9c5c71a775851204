package mail.smtp.handoff;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import mail.core.blob.BlobStore;
import mail.core.blob.BlobStoreException;
import mail.core.event.ConnectionInfo;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.SenderAuthentication;
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
        return handOff(eventId, null, spool, envelope, connection, null);
    }

    /**
     * @param traceFields header fields known only at the end of the data (Authentication-Results, Received), stored
     *                    in front of the spooled bytes; null when the spool already holds the whole message
     * @param authentication sender authentication results for the event, null when not checked
     */
    public Result handOff(String eventId, byte[] traceFields, Spool spool, SmtpEnvelope envelope, ConnectionInfo connection,
                          SenderAuthentication authentication) {
        MessageRef ref;
        try {
            if (traceFields == null) {
                String sha = spool.finish();
                ref = blobs.putSpooled(spool.file(), sha, spool.size());
            } else {
                ref = withTraceFields(traceFields, spool);
            }
        } catch (IOException | BlobStoreException e) {
            LOG.warnf("object store unavailable, message deferred: %s", e.getMessage());
            return new Result.Failed("object store: " + e.getMessage());
        }
        MailReceived event = new MailReceived(eventId, source, java.time.Instant.now(), ref, envelope, connection,
                authentication);
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

    /**
     * The object is the trace fields followed by the spooled bytes, written to a second spool file that is hashed
     * while written: the content address and the size are those of exactly the bytes uploaded. One sequential copy
     * of the message on local disk is the price of a header that is known only after the last byte arrived.
     */
    private MessageRef withTraceFields(byte[] traceFields, Spool spool) throws IOException {
        spool.finish();
        try (Spool whole = Spool.create(spool.file().getParent())) {
            whole.output().write(traceFields);
            Files.copy(spool.file(), whole.output());
            String sha = whole.finish();
            return blobs.putSpooled(whole.file(), sha, whole.size());
        }
    }
}
