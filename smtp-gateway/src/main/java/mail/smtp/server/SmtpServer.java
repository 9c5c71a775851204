package mail.smtp.server;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import mail.auth.dns.DnsjavaResolver;
import mail.core.abuse.MongoRateLimits;
import mail.core.abuse.RateCounters;
import mail.core.abuse.SharedAuthFailures;
import mail.core.abuse.SharedRateLimits;
import mail.core.address.Domain;
import mail.core.blob.BlobStore;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.identity.CachingPasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.kafka.EventPublisher;
import mail.core.mongo.MongoSchema;
import mail.core.runtime.InfraConfig;
import mail.core.text.LogText;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.metrics.CommandMetrics;
import mail.protocol.net.ListenerAccess;
import mail.protocol.net.ProtocolServer;
import mail.protocol.tls.TlsMaterial;
import mail.smtp.abuse.AbuseMetrics;
import mail.smtp.abuse.AbuseProtection;
import mail.smtp.abuse.Dnsbl;
import mail.smtp.abuse.RateLimitPolicy;
import mail.smtp.auth.AuthMetrics;
import mail.smtp.auth.AuthPolicy;
import mail.smtp.auth.SenderChecks;
import mail.smtp.config.SmtpConfig;
import mail.smtp.directory.DirectoryServiceClient;
import mail.smtp.directory.GatewayDirectory;
import mail.smtp.handoff.MailHandoff;
import mail.smtp.protocol.CommandParser;
import mail.smtp.protocol.Extension;
import mail.smtp.protocol.Limits;
import mail.smtp.protocol.ParserOptions;
import mail.smtp.session.SessionContext;
import mail.smtp.session.SmtpSession;
import org.jboss.logging.Logger;

/** Starts the SMTP listeners (MX, submission, submissions) on Vert.x and gives each connection its session. */
@ApplicationScoped
public class SmtpServer {
    private static final Logger LOG = Logger.getLogger(SmtpServer.class);

    private final Vertx vertx;
    private final SmtpConfig config;
    private final InfraConfig.Kafka kafka;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final CachingPasswordVerifier passwords;
    private final TokenVerifier tokens;
    private final InfraConfig.Keycloak keycloak;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private SenderChecks senderChecks;
    private final Map<Listener, Integer> boundPorts = new ConcurrentHashMap<>();
    private final DirectoryState directory = new DirectoryState();
    private volatile KafkaDirectoryCache directoryCache;
    private DirectoryServiceClient lookupClient;
    private ProtocolServer server;
    private SessionContext context;
    private final AuthenticatedSessions sessions = new AuthenticatedSessions();
    private final SharedAuthFailures sharedAuthFailures;
    private final MongoDatabase mongo;
    private MongoRateLimits rateLimits;
    private Dnsbl dnsbl;

    public SmtpServer(Vertx vertx, SmtpConfig config, InfraConfig.Kafka kafka, BlobStore blobs, EventPublisher publisher,
                      CachingPasswordVerifier passwords, TokenVerifier tokens, InfraConfig.Keycloak keycloak,
                      MeterRegistry meters, SharedAuthFailures sharedAuthFailures, MongoDatabase mongo, Tracer tracer) {
        this.vertx = vertx;
        this.tracer = tracer;
        this.mongo = mongo;
        this.sharedAuthFailures = sharedAuthFailures;
        this.config = config;
        this.kafka = kafka;
        this.blobs = blobs;
        this.publisher = publisher;
        this.passwords = passwords;
        this.tokens = tokens;
        this.keycloak = keycloak;
        this.meters = meters;
    }

    void start(@Observes StartupEvent ev) {
        server = new ProtocolServer(vertx, new ProtocolServer.Settings("smtp", bindHost(), config.workerThreads(),
                config.maxConnections(), config.maxConnectionsPerIp(), config.connectionLimitExempt(), config.idleTimeout()), meters);
        // a new password, a disabled or a deleted account: forget cached credentials and end the user's sessions
        directory.onCredentialsInvalidated(account -> {
            passwords.invalidate(account.address());
            int closed = sessions.revoke(account.address());
            if (closed > 0) {
                LOG.infof("credentials of %s changed: closing %d session(s)", LogText.quote(account.address(), 320), closed);
            }
        });
        SmtpConfig.Directory dir = config.directory();
        if (dir.localCache()) {
            directoryCache = KafkaDirectoryCache.start(kafka.bootstrapServers(), directory);
        } else {
            LOG.info("directory cache off (mail.smtp.directory.local-cache=false): every lookup asks directory-service");
        }
        if (dir.lookupEnabled()) {
            lookupClient = new DirectoryServiceClient(new DirectoryServiceClient.Settings(dir.lookupUrl(), dir.lookupTimeout(),
                    dir.lookupPositiveTtl(), dir.lookupNegativeTtl(), dir.lookupCacheSize()), keycloak.realmUrl(),
                    keycloak.clientId(), keycloak.clientSecret(), java.time.InstantSource.system());
        }
        GatewayDirectory gatewayDirectory = new GatewayDirectory(directory, this::directoryLoaded, lookupClient);
        Path dataDir = Path.of(config.dataDir().orElse(System.getProperty("java.io.tmpdir") + "/mailplatform-smtp"));
        KeyManagerFactory keys = tlsMaterial(dataDir).keyManagerFactory();
        MailHandoff handoff = new MailHandoff(blobs, publisher, "smtp-gateway/" + config.hostname(), config.handoffTimeout());
        senderChecks = senderChecks();
        ParserOptions parserOptions = new ParserOptions(Domain.parse(config.hostname()), EnumSet.allOf(Extension.class),
                new Limits(config.maxCommandLineLength(), Limits.DEFAULT.maxAuthLineLength()));
        context = new SessionContext(config, new CommandParser(parserOptions), parserOptions.maxLineOctets(), gatewayDirectory,
                passwords, tokens, handoff, new AuthThrottle(java.time.InstantSource.system(),
                AuthThrottle.Settings.of(config.authFailureDelay(), config.authFailureMaxDelay(), config.maxAuthFailures()),
                sharedAuthFailures),
                sessions,
                dataDir.resolve("spool"), true, senderChecks, abuseProtection(), tracer,
                CommandMetrics.smtp(meters, java.util.Set.of("EHLO", "HELO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP",
                        "QUIT", "VRFY", "EXPN", "HELP", "STARTTLS", "AUTH")));
        listen(Listener.MX, config.mx(), keys);
        listen(Listener.SUBMISSION, config.submission(), keys);
        listen(Listener.SUBMISSIONS, config.submissions(), keys);
    }

    private SenderChecks senderChecks() {
        SmtpConfig.AuthChecks a = config.authChecks();
        if (!a.enabled()) {
            LOG.info("sender authentication off (mail.smtp.auth-checks.enabled=false): MX mail is not checked");
            return null;
        }
        AuthPolicy policy = new AuthPolicy(a.dmarcReject(), a.dmarcQuarantine(), a.spfFail(), a.spfSoftfail(), a.temperror());
        DnsjavaResolver dns = new DnsjavaResolver(a.dnsServers().orElse(java.util.List.of()), a.dnsTimeout());
        return new SenderChecks(dns, a.authservId().orElse(config.hostname()), config.hostname(), policy, a.timeout(),
                a.threads(), new AuthMetrics(meters));
    }

    private AbuseProtection abuseProtection() {
        AbuseMetrics metrics = new AbuseMetrics(meters);
        SmtpConfig.RateLimits r = config.rateLimits();
        SharedRateLimits limits = SharedRateLimits.NONE;
        if (r.enabled()) {
            try {
                MongoSchema.ensure(mongo, java.util.List.of(RateCounters.spec()));
            } catch (RuntimeException e) {
                // MongoDB down at start: counting starts once it is back, rate limits are let through until then
                LOG.warnf("rate_counters indexes not created: %s", e.getMessage());
            }
            rateLimits = new MongoRateLimits(new RateCounters(mongo), java.time.Clock.systemUTC(),
                    new MongoRateLimits.Settings(r.threads(), r.timeout(), r.backoff(), java.time.Duration.ofMinutes(1)));
            metrics.storeFailures(rateLimits, MongoRateLimits::storeFailures);
            limits = rateLimits;
        } else {
            LOG.info("rate limits off (mail.smtp.rate-limits.enabled=false)");
        }
        RateLimitPolicy policy = new RateLimitPolicy(new RateLimitPolicy.Settings(r.mxConnectionsPerMinute(),
                r.submissionConnectionsPerMinute(), r.mxMessagesPerHour(), r.accountMessagesPerHour(), r.accountMessagesPerDay(),
                r.accountRecipientsPerHour(), r.accountRecipientsPerDay(), r.exempt()));
        SmtpConfig.Dnsbl d = config.dnsbl();
        java.util.List<String> zones = d.zones().orElse(java.util.List.of());
        if (!zones.isEmpty()) {
            java.util.List<String> servers = d.dnsServers().or(() -> config.authChecks().dnsServers()).orElse(java.util.List.of());
            dnsbl = new Dnsbl(new DnsjavaResolver(servers, d.timeout()), zones, d.timeout(), d.threads(), metrics);
            LOG.infof("DNSBL zones checked on the MX: %s", String.join(", ", dnsbl.zones()));
        }
        return new AbuseProtection(limits, policy, dnsbl, metrics);
    }

    private TlsMaterial tlsMaterial(Path dataDir) {
        SmtpConfig.Tls t = config.tls();
        return TlsMaterial.select(t.certFile(), t.keyFile(), t.keystore(), t.keystorePassword(), dataDir, config.hostname());
    }

    private void listen(Listener kind, SmtpConfig.Listener cfg, KeyManagerFactory keys) {
        if (!cfg.enabled()) {
            return;
        }
        int bound = server.listen("SMTP " + kind, cfg.port(), kind.implicitTls(), access(cfg), keys,
                conn -> new SmtpSession(conn, kind, context));
        boundPorts.put(kind, bound);
    }

    private static ListenerAccess access(SmtpConfig.Listener cfg) {
        return new ListenerAccess(cfg.proxyProtocol(), cfg.trustedProxies(), cfg.allow().orElse(List.of()),
                cfg.deny().orElse(List.of()));
    }

    private String bindHost() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("mail.smtp.bind-host", String.class).orElse("127.0.0.1");
    }

    public int port(Listener kind) {
        Integer p = boundPorts.get(kind);
        if (p == null) {
            throw new IllegalStateException(kind + " is not listening");
        }
        return p;
    }

    public AuthenticatedSessions sessions() {
        return sessions;
    }

    public DirectoryState directory() {
        return directory;
    }

    /** The fallback lookup client, empty when mail.smtp.directory.lookup-enabled is false. */
    public java.util.Optional<DirectoryServiceClient> lookupClient() {
        return java.util.Optional.ofNullable(lookupClient);
    }

    public boolean directoryLoaded() {
        return directoryCache != null && directoryCache.caughtUp();
    }

    /** True from the start of a drain: readiness is DOWN so that load balancers stop sending new clients. */
    public boolean draining() {
        return server != null && server.draining();
    }

    /** Stops taking new sessions and lets the open ones finish (see ProtocolServer#drain); for the shutdown and tests. */
    public int drain(Duration grace) {
        return server == null ? 0 : server.drain(grace);
    }

    // first among the shutdown observers: a message in DATA still needs Kafka and S3 to be handed off
    void stop(@Observes @Priority(1) ShutdownEvent ev) {
        if (server != null) {
            server.drain(ListenersReadiness.grace());
            server.close();
        }
        if (directoryCache != null) {
            directoryCache.close();
        }
        if (senderChecks != null) {
            senderChecks.close();
        }
        if (rateLimits != null) {
            rateLimits.close();
        }
        if (dnsbl != null) {
            dnsbl.close();
        }
    }
}
