package mail.pop3.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import mail.core.abuse.SharedAuthFailures;
import mail.core.blob.BlobStore;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.identity.CachingPasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.kafka.EventPublisher;
import mail.core.runtime.InfraConfig;
import mail.core.text.LogText;
import mail.pop3.config.Pop3Config;
import mail.pop3.maildrop.MaildropLock;
import mail.pop3.maildrop.WireSizes;
import mail.pop3.session.Pop3Session;
import mail.pop3.session.SessionContext;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.metrics.CommandMetrics;
import mail.protocol.net.ListenerAccess;
import mail.protocol.net.ProtocolServer;
import mail.protocol.tls.TlsMaterial;
import mail.store.MailStore;
import org.jboss.logging.Logger;

/** Starts the POP3 listeners (STLS and implicit TLS) on Vert.x and gives each connection its session. */
@ApplicationScoped
public class Pop3Server {
    private static final Logger LOG = Logger.getLogger(Pop3Server.class);

    public enum Listener { PLAIN, IMPLICIT_TLS }

    private final Vertx vertx;
    private final Pop3Config config;
    private final InfraConfig.Kafka kafka;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final CachingPasswordVerifier passwords;
    private final TokenVerifier tokens;
    private final MailStore store;
    private final MaildropLock lock;
    private final WireSizes wireSizes;
    private final DirectoryState directory = new DirectoryState();
    private final AuthenticatedSessions sessions = new AuthenticatedSessions();
    private final int[] ports = new int[2];
    private KafkaDirectoryCache directoryCache;
    private ProtocolServer server;
    private SessionContext context;
    private final SharedAuthFailures sharedAuthFailures;
    private final MeterRegistry meters;

    public Pop3Server(Vertx vertx, Pop3Config config, InfraConfig.Kafka kafka, BlobStore blobs, EventPublisher publisher,
                      CachingPasswordVerifier passwords, TokenVerifier tokens, MailStore store, MaildropLock lock, WireSizes wireSizes,
                      SharedAuthFailures sharedAuthFailures, MeterRegistry meters) {
        this.meters = meters;
        this.vertx = vertx;
        this.sharedAuthFailures = sharedAuthFailures;
        this.config = config;
        this.kafka = kafka;
        this.blobs = blobs;
        this.publisher = publisher;
        this.passwords = passwords;
        this.tokens = tokens;
        this.store = store;
        this.lock = lock;
        this.wireSizes = wireSizes;
    }

    void start(@Observes StartupEvent ev) {
        server = new ProtocolServer(vertx, new ProtocolServer.Settings("pop3", config.bindHost(), config.workerThreads(),
                config.maxConnections(), config.maxConnectionsPerIp(), config.connectionLimitExempt(), config.idleTimeout()), meters);
        // a new password, a disabled or a deleted account: forget cached credentials and end the user's sessions
        directory.onCredentialsInvalidated(account -> {
            passwords.invalidate(account.address());
            int closed = sessions.revoke(account.address());
            if (closed > 0) {
                LOG.infof("credentials of %s changed: closing %d session(s)", LogText.quote(account.address(), 320), closed);
            }
        });
        directoryCache = KafkaDirectoryCache.start(kafka.bootstrapServers(), directory);
        Path dataDir = Path.of(config.dataDir().orElse(System.getProperty("java.io.tmpdir") + "/mailplatform-pop3"));
        KeyManagerFactory keys = tlsMaterial(dataDir).keyManagerFactory();
        AuthThrottle throttle = new AuthThrottle(InstantSource.system(),
                AuthThrottle.Settings.of(config.authFailureDelay(), config.authFailureMaxDelay(), config.maxAuthFailures()), sharedAuthFailures);
        context = new SessionContext(config, directory, directoryCache::caughtUp, passwords, tokens, throttle, sessions, store, lock,
                wireSizes, blobs, publisher, server.timer(), config.hostname() + "/" + UUID.randomUUID().toString().substring(0, 8),
                CommandMetrics.pop3(meters, java.util.Set.of("APOP", "AUTH", "CAPA", "DELE", "LIST", "NOOP", "PASS", "QUIT",
                        "RETR", "RSET", "STAT", "STLS", "TOP", "UIDL", "USER", "UTF8")));
        ports[Listener.PLAIN.ordinal()] = listen(Listener.PLAIN, config.port(), keys);
        ports[Listener.IMPLICIT_TLS.ordinal()] = listen(Listener.IMPLICIT_TLS, config.tlsPort(), keys);
    }

    private TlsMaterial tlsMaterial(Path dataDir) {
        Pop3Config.Tls t = config.tls();
        return TlsMaterial.select(t.certFile(), t.keyFile(), t.keystore(), t.keystorePassword(), dataDir, config.hostname());
    }

    private int listen(Listener kind, int port, KeyManagerFactory keys) {
        Pop3Config.Access a = kind == Listener.IMPLICIT_TLS ? config.tlsListener() : config.listener();
        ListenerAccess access = new ListenerAccess(a.proxyProtocol(), a.trustedProxies(), a.allow().orElse(List.of()),
                a.deny().orElse(List.of()));
        return server.listen("POP3 " + kind, port, kind == Listener.IMPLICIT_TLS, access, keys, conn -> new Pop3Session(conn, context));
    }

    public int port(Listener kind) {
        return ports[kind.ordinal()];
    }

    /** Output queued for clients and not yet taken by them, over all sessions (slow readers stay near 256 KiB each). */
    public long queuedOutputBytes() {
        return server == null ? 0 : server.queuedOutputBytes();
    }

    public AuthenticatedSessions sessions() {
        return sessions;
    }

    public DirectoryState directory() {
        return directory;
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

    // first among the shutdown observers: a QUIT in UPDATE may still need the store and Kafka
    void stop(@Observes @Priority(1) ShutdownEvent ev) {
        if (server != null) {
            server.drain(ListenersReadiness.grace());
            server.close();
        }
        if (directoryCache != null) {
            directoryCache.close();
        }
    }
}
