package mail.imap.server;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.identity.CachingPasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.runtime.InfraConfig;
import mail.imap.config.ImapConfig;
import mail.imap.protocol.CommandDecoder;
import mail.imap.session.ImapContext;
import mail.imap.session.ImapSession;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.net.ProtocolServer;
import mail.protocol.tls.TlsMaterial;

/** The IMAP listeners: STARTTLS (143 style) and implicit TLS (993 style), each session on its own serial executor. */
@ApplicationScoped
public class ImapServer {
    private final Vertx vertx;
    private final ImapConfig config;
    private final InfraConfig.Kafka kafka;
    private final CachingPasswordVerifier passwords;
    private final TokenVerifier tokens;
    private final DirectoryState directory = new DirectoryState();
    private final AuthenticatedSessions sessions = new AuthenticatedSessions();
    private KafkaDirectoryCache directoryCache;
    private ProtocolServer server;
    private ImapContext context;
    private volatile int port;
    private volatile int tlsPort;

    public ImapServer(Vertx vertx, ImapConfig config, InfraConfig.Kafka kafka, CachingPasswordVerifier passwords,
                      TokenVerifier tokens) {
        this.vertx = vertx;
        this.config = config;
        this.kafka = kafka;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    void start(@Observes StartupEvent ev) {
        server = new ProtocolServer(vertx, new ProtocolServer.Settings("imap", config.bindHost(), config.workerThreads(),
                config.maxConnections(), config.maxConnectionsPerIp(), config.connectionLimitExempt(), config.idleTimeout()));
        directory.onCredentialsInvalidated(account -> {
            passwords.invalidate(account.address());
            sessions.revoke(account.address());
        });
        directoryCache = KafkaDirectoryCache.start(kafka.bootstrapServers(), directory);
        AuthThrottle throttle = new AuthThrottle(java.time.InstantSource.system(),
                AuthThrottle.Settings.of(config.authFailureDelay(), config.authFailureMaxDelay(), config.maxAuthFailures()));
        context = new ImapContext(config, new CommandDecoder(CommandDecoder.Limits.DEFAULT), directory,
                directoryCache::caughtUp, passwords, tokens, throttle, sessions, true);
        Path dataDir = Path.of(config.dataDir().orElse(System.getProperty("java.io.tmpdir") + "/mailplatform-imap"));
        KeyManagerFactory keys = tlsMaterial(dataDir).keyManagerFactory();
        port = server.listen("IMAP", config.port(), false, keys, conn -> new ImapSession(conn, context));
        tlsPort = server.listen("IMAPS", config.tlsPort(), true, keys, conn -> new ImapSession(conn, context));
    }

    private TlsMaterial tlsMaterial(Path dataDir) {
        ImapConfig.Tls t = config.tls();
        return TlsMaterial.select(t.certFile(), t.keyFile(), t.keystore(), t.keystorePassword(), dataDir, config.hostname());
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

    void stop(@Observes ShutdownEvent ev) {
        if (server != null) {
            server.close();
        }
        if (directoryCache != null) {
            directoryCache.close();
        }
    }
}
