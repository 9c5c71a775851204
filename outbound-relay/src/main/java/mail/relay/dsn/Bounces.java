package mail.relay.dsn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import mail.core.blob.BlobStore;
import mail.core.dsn.DsnComposer;
import mail.core.dsn.DsnReport;
import mail.core.event.BodyType;
import mail.core.event.ConnectionInfo;
import mail.core.event.DsnReturn;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.ReceivedProtocol;
import mail.core.event.Recipient;
import mail.core.event.SmtpEnvelope;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.relay.queue.QueueEntry;
import mail.relay.queue.QueuedRecipient;
import mail.relay.queue.RecipientState;

/**
 * Hands DSNs of queued messages on as new mail from the null sender on mail.received, so that delivery-worker routes them
 * exactly like any other message (the sender's INBOX when local, back through mail.outbound when remote) and its
 * (event id, recipient) idempotency applies. The event id is derived from the queue entry, so a DSN handed on twice
 * (a crash between publishing and recording it) is delivered once.
 */
public final class Bounces {
    private static final int MAX_HEADER_OCTETS = 256 * 1024;

    private final DsnComposer composer;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final String source;
    private final String hostname;
    private final long fullMessageLimit;
    private final Duration publishTimeout;

    public Bounces(BlobStore blobs, EventPublisher publisher, String source, String hostname, long fullMessageLimit,
                   Duration publishTimeout) {
        this.composer = new DsnComposer(hostname);
        this.blobs = blobs;
        this.publisher = publisher;
        this.source = source;
        this.hostname = hostname;
        this.fullMessageLimit = fullMessageLimit;
        this.publishTimeout = publishTimeout;
    }

    /** One DSN listing every failed recipient that wants to hear of it. @return whether one was published */
    public boolean failures(QueueEntry e, Instant now) throws IOException {
        List<DsnReport> reports = e.recipients().stream().filter(r -> r.state() == RecipientState.FAILED)
                .map(r -> report(r, "failed", r.status() == null ? "5.0.0" : r.status()))
                .filter(DsnReport::requested).toList();
        return publish(e, reports, "relay-dsn", now);
    }

    /** The one "still trying" DSN (RFC 3464 action delayed) for the recipients still pending. */
    public boolean delay(QueueEntry e, Instant now) throws IOException {
        List<DsnReport> reports = e.pending().stream()
                .map(r -> report(r, "delayed", r.status() == null || !r.status().startsWith("4") ? "4.0.0" : r.status()))
                .filter(DsnReport::requested).toList();
        return publish(e, reports, "relay-delay", now);
    }

    private DsnReport report(QueuedRecipient r, String action, String status) {
        String diagnostic = r.lastReply() == null ? null : r.lastReply();
        return new DsnReport(r.recipient(), r.address(), action, status, diagnostic);
    }

    private boolean publish(QueueEntry e, List<DsnReport> reports, String kind, Instant now) throws IOException {
        OutboundRequested r = e.request();
        if (r.hasNullSender() || reports.isEmpty()) {
            return false;
        }
        String dsnId = UUID.nameUUIDFromBytes((kind + "\u0000" + e.id()).getBytes(StandardCharsets.UTF_8)).toString();
        boolean full = r.ret() == DsnReturn.FULL && r.message().size() <= fullMessageLimit;
        byte[] bytes = composer.compose(dsnId, r.reversePath(), r.envId(), r.receivedAt(), reports, original(r.message(), full),
                full, now);
        MessageRef ref = blobs.put(new ByteArrayInputStream(bytes));
        boolean utf8 = !r.reversePath().chars().allMatch(c -> c < 128);
        SmtpEnvelope envelope = new SmtpEnvelope(SmtpEnvelope.NULL_SENDER, List.of(Recipient.of(r.reversePath())), null, null,
                BodyType.EIGHT_BIT_MIME, utf8, (long) bytes.length);
        ConnectionInfo self = new ConnectionInfo("127.0.0.1", hostname, null, utf8 ? ReceivedProtocol.UTF8SMTP : ReceivedProtocol.ESMTP,
                null, null, hostname, now);
        MailReceived dsn = new MailReceived(dsnId, source, now, ref, envelope, self);
        try {
            publisher.publish(Topics.MAIL_RECEIVED, dsn.kafkaKey(), dsn).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException ex) {
            throw new IOException("publishing the DSN for " + e.id() + " failed: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while publishing a DSN", ex);
        }
        return true;
    }

    private byte[] original(MessageRef ref, boolean full) throws IOException {
        try (InputStream in = full ? blobs.get(ref) : blobs.getRange(ref, 0, MAX_HEADER_OCTETS)) {
            byte[] b = in.readAllBytes();
            return full ? b : DsnComposer.headerSection(b);
        }
    }
}
