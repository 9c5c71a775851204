package mail.relay.runtime;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import mail.core.blob.BlobStore;
import mail.core.kafka.EventPublisher;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.MongoSchema;
import mail.core.runtime.ConfigDescription;
import mail.core.runtime.InfraConfig;
import mail.core.runtime.SchemaContributor;
import mail.relay.adapter.kafka.OutboundFeed;
import mail.relay.adapter.mongo.MongoOutboundQueue;
import mail.relay.adapter.mongo.SchemaGate;
import mail.relay.config.RelayConfig;
import mail.relay.dsn.Bounces;
import mail.relay.metrics.RelayMetrics;
import mail.relay.mtasts.HttpsPolicyFetcher;
import mail.relay.mtasts.MtaSts;
import mail.relay.mtasts.MtaStsPolicies;
import mail.relay.queue.OutboundQueue;
import mail.relay.route.DnsLookup;
import mail.relay.route.DnsjavaLookup;
import mail.relay.route.MxSelector;
import mail.relay.route.Router;
import mail.relay.smtp.Destination;
import mail.relay.smtp.SmtpClient;
import mail.relay.smtp.SmtpSettings;
import mail.relay.worker.Backoff;
import mail.relay.worker.Deliveries;
import mail.relay.worker.MessageSigner;
import mail.relay.worker.Workers;
import org.jboss.logging.Logger;

/** Wires the relay together and runs its Kafka feed and delivery workers for the life of the application. */
@ApplicationScoped
public class RelayRuntime implements SchemaContributor {
    private static final Logger LOG = Logger.getLogger(RelayRuntime.class);

    private final RelayConfig config;
    private final InfraConfig.Kafka kafka;
    private final MongoDatabase db;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final MessageSigner signer;
    private final Tracer tracer;
    private Workers workers;
    private OutboundFeed feed;

    @Inject
    public RelayRuntime(RelayConfig config, InfraConfig.Kafka kafka, MongoDatabase db, BlobStore blobs, EventPublisher publisher,
                        MessageSigner signer, Tracer tracer) {
        this.config = config;
        this.tracer = tracer;
        this.kafka = kafka;
        this.db = db;
        this.blobs = blobs;
        this.publisher = publisher;
        this.signer = signer;
    }

    @Override
    public List<CollectionSpec> collections() {
        return List.of(MongoOutboundQueue.spec());
    }

    @Produces
    @ApplicationScoped
    OutboundQueue queue() {
        return new MongoOutboundQueue(db);
    }

    @Produces
    @ApplicationScoped
    RelayMetrics metrics(MeterRegistry registry, OutboundQueue queue) {
        return new RelayMetrics(registry, queue::countByState);
    }

    void start(@Observes StartupEvent ev, OutboundQueue queue, RelayMetrics metrics) {
        LOG.infof("outbound-relay starting: %s", ConfigDescription.of(config, RelayConfig.class));
        LOG.infof("smart host %s%s; DNS resolver %s (timeout %s); DKIM %s; MTA-STS %s; timeouts connect %s, greeting %s, command %s, data %s/%s/%s",
                config.smartHost().address().orElse("none"), config.smartHost().username().map(u -> " as " + u).orElse(""),
                config.dns().resolver().orElse("system"), config.dns().timeout(),
                config.dkim().enabled() ? "keys from " + config.dkim().directoryUrl() : "off", config.mtaSts().enabled() ? "on" : "off",
                config.timeouts().connect(),
                config.timeouts().greeting(), config.timeouts().command(), config.timeouts().dataInit(), config.timeouts().dataBlock(),
                config.timeouts().dataTermination());
        Clock clock = Clock.systemUTC();
        // one creation of the queue's collection per copy, before the feed's first insert and the workers' first claim
        SchemaGate schema = new SchemaGate(() -> MongoSchema.ensure(db, collections()));
        String source = "outbound-relay/" + hostName();
        if (config.workerEnabled()) {
            SmtpClient smtp = new SmtpClient(smtpSettings());
            Bounces bounces = new Bounces(blobs, publisher, source, config.hostname(), config.dsnFullMessageLimit(),
                    kafka.deliveryTimeout());
            Deliveries deliveries = new Deliveries(queue, router(metrics, clock), smtp, blobs, bounces, signer,
                    new Backoff(config.backoff(), config.maxAge()), config.delayWarning(), config.lease(), metrics, clock, tracer);
            workers = new Workers(queue, deliveries, smtp, config.lease(), config.pollInterval(), clock, schema);
            workers.start(config.workers());
        }
        if (config.consumerEnabled()) {
            Workers w = workers;
            feed = new OutboundFeed(kafka.bootstrapServers(), config.consumerGroup(), queue, metrics,
                    w == null ? () -> { } : w::wakeUp, clock, kafka.deliveryTimeout(), tracer, schema);
            Thread t = new Thread(feed, "relay-feed");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Liveness: the feed and every worker of this copy still run (each is absent when switched off). */
    boolean running() {
        return (feed == null || feed.alive()) && (workers == null || workers.alive());
    }

    void stop(@Observes ShutdownEvent ev) {
        if (feed != null) {
            feed.close();
        }
        if (workers != null) {
            workers.close();
        }
    }

    private Router router(RelayMetrics metrics, Clock clock) {
        RelayConfig.SmartHost s = config.smartHost();
        Optional<Destination.Credentials> creds = s.username().map(u -> new Destination.Credentials(u, s.password().orElse("")));
        DnsLookup dns = new DnsjavaLookup(config.dns().resolver().orElse(null), config.dns().timeout());
        MxSelector mx = new MxSelector(dns, new SecureRandom(), 25);
        RelayConfig.MtaSts sts = config.mtaSts();
        Optional<MtaSts> mtaSts = sts.enabled()
                ? Optional.of(new MtaSts(new MtaStsPolicies(dns, new HttpsPolicyFetcher(dns, verifyingContext(), sts.port(), sts.timeout()), clock),
                        metrics::mtaSts))
                : Optional.empty();
        return new Router(config.routes(), s.address(), creds, s.requireTls(), config.requireTlsDomains().orElse(List.of()), mx, mtaSts);
    }

    private SmtpSettings smtpSettings() {
        RelayConfig.Timeouts t = config.timeouts();
        return new SmtpSettings(config.hostname(), t.connect(), t.greeting(), t.command(), t.dataInit(), t.dataBlock(),
                t.dataTermination(), verifyingContext(), config.maxConnectionsPerDestination(), config.connectionIdle());
    }

    private SSLContext verifyingContext() {
        try {
            if (config.trustStore().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(config.trustStore().get()))) {
                ks.load(in, config.trustStorePassword().orElse("").toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("mail.relay.trust-store " + config.trustStore().orElse("") + " is not usable: " + e.getMessage(), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
