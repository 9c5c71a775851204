package mail.imap.server;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import mail.core.abuse.SharedAuthFailures;
import mail.core.blob.BlobStore;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.identity.CachingPasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.kafka.EventPublisher;
import mail.core.runtime.InfraConfig;
import mail.imap.adapter.kafka.MailboxChangeFeed;
import mail.imap.config.ImapConfig;
import mail.imap.fetch.FetchRenderer;
import mail.imap.protocol.CommandDecoder;
import mail.imap.search.MessageSearch;
import mail.imap.session.ImapContext;
import mail.imap.session.ImapSession;
import mail.message.MessageParser;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.metrics.CommandMetrics;
import mail.protocol.net.ListenerAccess;
import mail.protocol.net.ProtocolServer;
import mail.protocol.tls.TlsMaterial;
import mail.store.MailStore;
import mail.store.MailboxOperations;
import mail.store.StoreSchema;
import org.jboss.logging.Logger;

/** The IMAP listeners: STARTTLS (143 style) and implicit TLS (993 style), each session on its own serial executor. */
@ApplicationScoped
public class ImapServer {
    private static final Logger LOG = Logger.getLogger(ImapServer.class);
    private final Vertx vertx;
    private final ImapConfig config;
    private final InfraConfig.Kafka kafka;
    private final CachingPasswordVerifier passwords;
    private final TokenVerifier tokens;
    private final MailStore store;
    private final BlobStore blobs;
    private final EventPublisher publisher;
    private final MongoDatabase db;
    private final MeterRegistry meters;
    private MailboxChangeFeed changes;
    private final DirectoryState directory = new DirectoryState();
    private final AuthenticatedSessions sessions = new AuthenticatedSessions();
    private KafkaDirectoryCache directoryCache;
    private ProtocolServer server;
    private ImapContext context;
    private volatile int port;
    private volatile int tlsPort;

    private final SharedAuthFailures sharedAuthFailures;

    public ImapServer(Vertx vertx, ImapConfig config, InfraConfig.Kafka kafka, CachingPasswordVerifier passwords,
                      TokenVerifier tokens, MailStore store, BlobStore blobs, EventPublisher publisher, MongoDatabase db,
                      SharedAuthFailures sharedAuthFailures, MeterRegistry meters) {
        this.meters = meters;
        this.db = db;
        this.sharedAuthFailures = sharedAuthFailures;
        this.store = store;
        this.blobs = blobs;
        this.publisher = publisher;
        this.vertx = vertx;
        this.config = config;
        this.kafka = kafka;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    void start(@Observes StartupEvent ev) {
        server = new ProtocolServer(vertx, new ProtocolServer.Settings("imap", config.bindHost(), config.workerThreads(),
                config.maxConnections(), config.maxConnectionsPerIp(), config.connectionLimitExempt(), config.idleTimeout()), meters);
        directory.onCredentialsInvalidated(account -> {
            passwords.invalidate(account.address());
            sessions.revoke(account.address());
        });
        directoryCache = KafkaDirectoryCache.start(kafka.bootstrapServers(), directory);
        AuthThrottle throttle = new AuthThrottle(java.time.InstantSource.system(),
                AuthThrottle.Settings.of(config.authFailureDelay(), config.authFailureMaxDelay(), config.maxAuthFailures()),
                sharedAuthFailures);
        changes = MailboxChangeFeed.start(kafka.bootstrapServers());
        Path dataDir = Path.of(config.dataDir().orElse(System.getProperty("java.io.tmpdir") + "/mailplatform-imap"));
        Path spool = dataDir.resolve("spool");
        clearSpool(spool);
        context = new ImapContext(config, new CommandDecoder(CommandDecoder.Limits.DEFAULT), directory,
                directoryCache::caughtUp, passwords, tokens, throttle, sessions, true, store, new MailboxOperations(store),
                blobs, new MessageParser(), publisher, changes, spool,
                config.hostname() + "/" + UUID.randomUUID().toString().substring(0, 8),
                new FetchRenderer(blobs, ZoneId.systemDefault(), 64 * 1024),
                new MessageSearch(db.getCollection(StoreSchema.MESSAGES)), ZoneId.systemDefault(),
                CommandMetrics.imap(meters, Set.of("APPEND", "AUTHENTICATE", "CAPABILITY", "CHECK", "CLOSE", "COPY", "CREATE",
                        "DELETE", "ENABLE", "EXAMINE", "EXPUNGE", "FETCH", "GETQUOTA", "GETQUOTAROOT", "ID", "IDLE", "LIST", "LOGIN",
                        "LOGOUT", "LSUB", "MOVE", "NAMESPACE", "NOOP", "RENAME", "SEARCH", "SELECT", "SETQUOTA", "STARTTLS",
                        "STATUS", "STORE", "SUBSCRIBE", "UID", "UNSELECT", "UNSUBSCRIBE")));
        KeyManagerFactory keys = tlsMaterial(dataDir).keyManagerFactory();
        port = server.listen("IMAP", config.port(), false, access(config.listener()), keys, conn -> new ImapSession(conn, context));
        tlsPort = server.listen("IMAPS", config.tlsPort(), true, access(config.tlsListener()), keys,
                conn -> new ImapSession(conn, context));
    }

    private static ListenerAccess access(ImapConfig.Access a) {
        return new ListenerAccess(a.proxyProtocol(), a.trustedProxies(), a.allow().orElse(List.of()), a.deny().orElse(List.of()));
    }

    /** APPEND spool files left by a crash belong to commands that never completed. */
    private static void clearSpool(Path spool) {
        try (Stream<Path> files = Files.exists(spool) ? Files.list(spool) : Stream.empty()) {
            files.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.warnf("cannot remove spool file %s: %s", f, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warnf("cannot list the spool directory %s: %s", spool, e.toString());
        }
    }

    public boolean changeFeedAssigned() {
        return changes != null && changes.assigned();
    }

    private TlsMaterial tlsMaterial(Path dataDir) {
        ImapConfig.Tls t = config.tls();
        return TlsMaterial.select(t.certFile(), t.keyFile(), t.keystore(), t.keystorePassword(), dataDir, config.hostname());
    }

    /** Output queued for clients over all connections and not yet taken by them, in octets. */
    public long queuedOutputBytes() {
        return server == null ? 0 : server.queuedOutputBytes();
    }

    public int port() {
        return port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public DirectoryState directory() {
        return directory;
    }

    public boolean directoryLoaded() {
        return directoryCache != null && directoryCache.caughtUp();
    }

    public AuthenticatedSessions sessions() {
        return sessions;
    }

    /** True from the start of a drain: readiness is DOWN so that load balancers stop sending new clients. */
    public boolean draining() {
        return server != null && server.draining();
    }

    /** Stops taking new sessions and lets the open ones finish (see ProtocolServer#drain); for the shutdown and tests. */
    public int drain(Duration grace) {
        return server == null ? 0 : server.drain(grace);
    }

    // first among the shutdown observers: a command in progress may still need the store and Kafka
    void stop(@Observes @Priority(1) ShutdownEvent ev) {
        if (server != null) {
            server.drain(ListenersReadiness.grace());
            server.close();
        }
        if (directoryCache != null) {
            directoryCache.close();
        }
        if (changes != null) {
            changes.close();
        }
    }
}
