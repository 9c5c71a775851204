package mail.delivery.process;

import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import mail.core.address.EmailAddress;
import mail.core.blob.BlobStore;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.dsn.DsnComposer;
import mail.core.health.DependenciesReadiness;
import mail.core.kafka.EventPublisher;
import mail.core.runtime.InfraConfig;
import mail.delivery.adapter.kafka.DeadLetters;
import mail.delivery.adapter.kafka.MailReceivedConsumer;
import mail.delivery.config.DeliveryConfig;
import mail.delivery.dsn.DsnSender;
import mail.delivery.local.CreationAnnouncements;
import mail.delivery.local.LocalDelivery;
import mail.delivery.local.MessageAnalyzer;
import mail.delivery.metrics.DeliveryMetrics;
import mail.delivery.outbound.OutboundRequests;
import mail.delivery.resolve.RecipientPlanner;
import mail.store.MailStore;
import org.jboss.logging.Logger;

/**
 * Starts consuming once it is safe to: the dependencies answer (which also creates topics, bucket and collections)
 * and the directory cache holds everything that was in directory.changes at start. Consuming earlier would bounce
 * mail to addresses that exist but are not loaded yet.
 */
@ApplicationScoped
public class DeliveryService {
    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final DeliveryConfig config;
    private final InfraConfig.Kafka kafka;
    private final DependenciesReadiness readiness;
    private final MailStore store;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final MessageAnalyzer analyzer;
    private final DeliveryMetrics metrics;
    private final CreationAnnouncements announcements;
    private final Tracer tracer;
    private volatile boolean stopping;
    private volatile KafkaDirectoryCache directoryCache;
    private volatile DirectoryState directory;
    private volatile MailReceivedConsumer consumer;
    private volatile DeadLetters deadLetters;
    private Thread thread;

    public DeliveryService(DeliveryConfig config, InfraConfig.Kafka kafka,
                           @org.eclipse.microprofile.health.Readiness DependenciesReadiness readiness, MailStore store,
                           BlobStore blobs, EventPublisher publisher, MessageAnalyzer analyzer, DeliveryMetrics metrics,
                           CreationAnnouncements announcements, Tracer tracer) {
        this.tracer = tracer;
        this.config = config;
        this.kafka = kafka;
        this.readiness = readiness;
        this.store = store;
        this.blobs = blobs;
        this.publisher = publisher;
        this.analyzer = analyzer;
        this.metrics = metrics;
        this.announcements = announcements;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.consumerEnabled()) {
            LOG.info("mail.delivery.consumer-enabled=false: not consuming mail.received");
            return;
        }
        thread = new Thread(this::run, "delivery-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopping && !readiness.ready()) {
            LOG.info("waiting for Kafka, MongoDB and the object store before consuming");
            pause(Duration.ofSeconds(1));
        }
        directory = config.postmaster().map(p -> new DirectoryState(EmailAddress.parse(p))).orElseGet(DirectoryState::new);
        directoryCache = KafkaDirectoryCache.start(kafka.bootstrapServers(), directory);
        try {
            while (!stopping && !directoryCache.awaitCaughtUp(Duration.ofSeconds(5))) {
                LOG.info("waiting for the directory cache to catch up before consuming");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (stopping) {
            return;
        }
        String source = "delivery-worker/" + config.hostname() + "-" + ProcessHandle.current().pid();
        LocalDelivery local = new LocalDelivery(store, publisher, source, config.publishTimeout(), announcements);
        OutboundRequests outbound = new OutboundRequests(source);
        DsnSender dsn = new DsnSender(new DsnComposer(config.hostname()), blobs, directory, local, analyzer, outbound, publisher,
                config.publishTimeout(), config.dsnFullMessageLimit());
        EventProcessor processor = new EventProcessor(new RecipientPlanner(directory), blobs, analyzer, local, outbound, dsn,
                publisher, metrics, config.publishTimeout());
        deadLetters = new DeadLetters(kafka.bootstrapServers(), "delivery-dlq-" + ProcessHandle.current().pid(), config.publishTimeout());
        consumer = new MailReceivedConsumer(new MailReceivedConsumer.Settings(kafka.bootstrapServers(), config.consumerGroup(),
                config.maxPollRecords(), config.concurrency(), config.maxAttempts(), config.blobMissingAttempts(),
                config.retryInitial(), config.retryMax(), config.sessionTimeout(), config.publishTimeout(), config.commitInterval()),
                processor, deadLetters, metrics, tracer);
        if (!stopping) {
            consumer.run();
        }
    }

    /** The directory as this copy sees it; empty until the consumer is being set up. */
    public java.util.Optional<mail.core.directory.Directory> directory() {
        return java.util.Optional.ofNullable(directory);
    }

    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
        MailReceivedConsumer c = consumer;
        if (c != null) {
            c.stop();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (directoryCache != null) {
            directoryCache.close();
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
