package mail.delivery.dsn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.core.blob.BlobStore;
import mail.core.directory.Directory;
import mail.core.directory.Resolution;
import mail.core.dsn.DsnComposer;
import mail.core.dsn.DsnReport;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.DsnReturn;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.delivery.local.LocalDelivery;
import mail.delivery.local.MessageAnalyzer;
import mail.delivery.outbound.OutboundRequests;
import mail.delivery.process.Kafka;
import mail.delivery.process.TransientFailure;
import org.jboss.logging.Logger;

/**
 * Sends the DSN for a received message: to a local sender into their INBOX, to a remote one through
 * mail.outbound. Its bytes go to the object store first, like any other message. Never for the null sender.
 */
public final class DsnSender {
    private static final Logger LOG = Logger.getLogger(DsnSender.class);
    private static final int MAX_HEADER_OCTETS = 256 * 1024;

    private final DsnComposer composer;
    private final BlobStore blobs;
    private final Directory directory;
    private final LocalDelivery local;
    private final MessageAnalyzer analyzer;
    private final OutboundRequests outbound;
    private final EventPublisher publisher;
    private final Duration publishTimeout;
    private final long fullMessageLimit;

    public DsnSender(DsnComposer composer, BlobStore blobs, Directory directory, LocalDelivery local, MessageAnalyzer analyzer,
                     OutboundRequests outbound, EventPublisher publisher, Duration publishTimeout, long fullMessageLimit) {
        this.composer = composer;
        this.blobs = blobs;
        this.directory = directory;
        this.local = local;
        this.analyzer = analyzer;
        this.outbound = outbound;
        this.publisher = publisher;
        this.publishTimeout = publishTimeout;
        this.fullMessageLimit = fullMessageLimit;
    }

    /** @return whether a DSN was sent */
    public boolean send(MailReceived received, List<DsnReport> all) {
        if (received.envelope().hasNullSender()) {
            return false;
        }
        List<DsnReport> reports = all.stream().filter(DsnReport::requested).toList();
        if (reports.isEmpty()) {
            return false;
        }
        String dsnId = OutboundRequests.deterministicId("dsn", received.id());
        boolean full = received.envelope().ret() == DsnReturn.FULL && received.message().size() <= fullMessageLimit;
        byte[] bytes = composer.compose(dsnId, received, reports, original(received.message(), full), full, Instant.now());
        MessageRef ref = blobs.put(new ByteArrayInputStream(bytes));
        String sender = received.envelope().reversePath();
        Resolution r;
        try {
            r = directory.resolve(EmailAddress.parse(sender));
        } catch (InvalidAddressException e) {
            LOG.warnf("DSN for %s not sent: sender address is not usable", received.id());
            return false;
        }
        boolean utf8 = !sender.chars().allMatch(c -> c < 128);
        if (r instanceof Resolution.NotLocal) {
            publish(outbound.forDsn(received, dsnId, ref, sender, utf8));
            return true;
        }
        if (r instanceof Resolution.Deliverable d) {
            MessageAnalyzer.Analysis analysis = analyze(bytes);
            for (Account account : d.accounts()) {
                // an over-quota sender loses the DSN: a bounce of a bounce is what the null sender rules out
                if (local.deliver(dsnId, account, ref, analysis.metadata(), Instant.now()) instanceof LocalDelivery.Stored s) {
                    s.awaitAnnounced(publishTimeout);
                }
            }
            List<String> remote = new ArrayList<>(d.remoteTargets());
            for (String target : remote) {
                publish(outbound.forDsn(received, OutboundRequests.deterministicId(dsnId, target), ref, target, utf8));
            }
            return true;
        }
        LOG.infof("DSN for %s not sent: the local sender address does not resolve to a mailbox", received.id());
        return false;
    }

    private void publish(mail.core.event.OutboundRequested request) {
        Kafka.await(publisher.publish(Topics.MAIL_OUTBOUND, request.kafkaKey(), request), publishTimeout, "DSN to mail.outbound");
    }

    private MessageAnalyzer.Analysis analyze(byte[] bytes) {
        try {
            return analyzer.analyze(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] original(MessageRef ref, boolean full) {
        try (InputStream in = full ? blobs.get(ref) : blobs.getRange(ref, 0, MAX_HEADER_OCTETS)) {
            byte[] b = in.readAllBytes();
            return full ? b : DsnComposer.headerSection(b);
        } catch (IOException e) {
            throw new TransientFailure("reading the original message for a DSN failed", e);
        }
    }
}
