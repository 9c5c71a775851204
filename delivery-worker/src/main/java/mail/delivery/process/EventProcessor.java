package mail.delivery.process;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import mail.core.blob.BlobStore;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.MailReceived;
import mail.core.event.OutboundRequested;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.core.dsn.DsnReport;
import mail.delivery.dsn.DsnSender;
import mail.delivery.local.LocalDelivery;
import mail.delivery.local.MessageAnalyzer;
import mail.delivery.metrics.DeliveryMetrics;
import mail.delivery.outbound.OutboundRequests;
import mail.delivery.resolve.DeliveryPlan;
import mail.delivery.resolve.RecipientPlanner;
import org.jboss.logging.Logger;

/**
 * Handles one mail.received event completely: every step is idempotent, so when it throws half-way the whole
 * event is simply processed again and what was done already is found done.
 */
public final class EventProcessor {
    private static final Logger LOG = Logger.getLogger(EventProcessor.class);
    private final RecipientPlanner planner;
    private final BlobStore blobs;
    private final MessageAnalyzer analyzer;
    private final LocalDelivery local;
    private final OutboundRequests outbound;
    private final DsnSender dsn;
    private final EventPublisher publisher;
    private final DeliveryMetrics metrics;
    private final Duration publishTimeout;

    public EventProcessor(RecipientPlanner planner, BlobStore blobs, MessageAnalyzer analyzer, LocalDelivery local,
                          OutboundRequests outbound, DsnSender dsn, EventPublisher publisher, DeliveryMetrics metrics,
                          Duration publishTimeout) {
        this.planner = planner;
        this.blobs = blobs;
        this.analyzer = analyzer;
        this.local = local;
        this.outbound = outbound;
        this.dsn = dsn;
        this.publisher = publisher;
        this.metrics = metrics;
        this.publishTimeout = publishTimeout;
    }

    /**
     * @return completes when every MESSAGE_ADDED of the event is acknowledged by Kafka. The caller must wait for it
     *         before the event's offset is committed; it does not have to wait before handling the next event, so a
     *         partition's deliveries do not each sit out a broker round trip.
     */
    public CompletableFuture<Void> process(MailReceived event) {
        DeliveryPlan plan = planner.plan(event);
        List<DsnReport> reports = new ArrayList<>();
        for (DeliveryPlan.Failure f : plan.failures()) {
            reports.add(new DsnReport(f.recipient(), f.finalRecipient(), "failed", f.status(), f.diagnostic()));
        }
        List<LocalDelivery.Stored> announcing = new ArrayList<>();
        MessageAnalyzer.Analysis analysis = plan.local().isEmpty() && plan.sentCopyFor() == null ? null : analyze(event);
        if (!plan.local().isEmpty()) {
            for (DeliveryPlan.LocalTarget target : plan.local()) {
                LocalDelivery.Outcome outcome = local.deliver(event.id(), target.account(), event.message(), analysis.metadata(),
                        event.connection().receivedAt(), event.deliverToJunk());
                if (outcome instanceof LocalDelivery.Stored s) {
                    announcing.add(s);
                    if (s.created()) {
                        metrics.delivered(Duration.between(event.time(), Instant.now()));
                    }
                    reports.add(new DsnReport(target.via().get(0), target.account().address(), "delivered", "2.0.0", null));
                } else if (outcome instanceof LocalDelivery.OverQuota q) {
                    reports.add(new DsnReport(target.via().get(0), target.account().address(), "failed", "5.2.2",
                            "552 5.2.2 " + q.detail()));
                }
            }
        }
        if (plan.sentCopyFor() != null) {
            fileSentCopy(event, plan.sentCopyFor(), analysis).ifPresent(announcing::add);
        }
        for (DeliveryPlan.RemoteBatch batch : plan.remote()) {
            OutboundRequested request = outbound.forBatch(event, batch);
            Kafka.await(publisher.publish(Topics.MAIL_OUTBOUND, request.kafkaKey(), request), publishTimeout, "mail.outbound");
            metrics.outbound();
        }
        for (DsnReport r : reports) {
            if (r.failed()) {
                metrics.failed(reasonOf(r, plan));
            }
        }
        if (dsn.send(event, reports)) {
            metrics.dsn();
        }
        return CompletableFuture.allOf(announcing.stream().map(LocalDelivery.Stored::announced).toArray(CompletableFuture[]::new));
    }

    // The sender's own copy is a convenience, not a delivery: over quota it is left out (the message itself went
    // out), and no DSN speaks of it.
    private Optional<LocalDelivery.Stored> fileSentCopy(MailReceived event, Account account, MessageAnalyzer.Analysis analysis) {
        Optional<LocalDelivery.Outcome> outcome = local.fileSentCopy(event.id(), account, event.message(), analysis.metadata(),
                event.connection().receivedAt());
        if (outcome.isEmpty()) {
            LOG.infof("event %s: %s asks for a copy in Sent but has no mailbox marked \\Sent; none kept", event.id(),
                    account.address());
            metrics.sentCopy("no-sent-mailbox");
            return Optional.empty();
        }
        if (outcome.get() instanceof LocalDelivery.Stored s) {
            if (s.created()) {
                metrics.sentCopy("stored");
            }
            return Optional.of(s);
        }
        if (outcome.get() instanceof LocalDelivery.OverQuota q) {
            LOG.infof("event %s: no copy in Sent for %s: %s", event.id(), account.address(), q.detail());
            metrics.sentCopy("quota");
        }
        return Optional.empty();
    }

    private static String reasonOf(DsnReport r, DeliveryPlan plan) {
        for (DeliveryPlan.Failure f : plan.failures()) {
            if (f.recipient() == r.recipient() && f.finalRecipient().equals(r.finalRecipient())) {
                return f.reason();
            }
        }
        return "quota";
    }

    private MessageAnalyzer.Analysis analyze(MailReceived event) {
        try (InputStream in = blobs.get(event.message())) {
            return analyzer.analyze(in);
        } catch (IOException e) {
            throw new TransientFailure("reading blob " + event.message().blobKey() + " failed: " + e.getMessage(), e);
        }
    }
}
