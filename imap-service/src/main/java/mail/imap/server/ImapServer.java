package mail.imap.server;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import mail.protocol.net.Cidr;
import mail.protocol.net.Connection;
import mail.protocol.net.ConnectionLimiter;
import mail.protocol.net.SerialExecutor;
import mail.protocol.tls.TlsMaterial;
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
    private final DirectoryState directory = new DirectoryState();
    private final AuthenticatedSessions sessions = new AuthenticatedSessions();
    private final List<NetServer> servers = new ArrayList<>();
    private KafkaDirectoryCache directoryCache;
    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private ConnectionLimiter limiter;
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
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "imap-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imap-timer");
            t.setDaemon(true);
            return t;
        });
        limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp(),
                Cidr.parseAll(config.connectionLimitExempt()));
        directory.onCredentialsInvalidated(account -> {
            passwords.invalidate(account.address());
            sessions.revoke(account.address());
        });
        directoryCache = KafkaDirectoryCache.start(kafka.bootstrapServers(), directory);
        AuthThrottle.Settings d = AuthThrottle.Settings.defaults();
        AuthThrottle throttle = new AuthThrottle(java.time.InstantSource.system(), new AuthThrottle.Settings(
                config.authFailureDelay(), config.authFailureMaxDelay(), config.maxAuthFailures(), d.forgetAfter(),
                d.maxTrackedClients()));
        context = new ImapContext(config, new CommandDecoder(CommandDecoder.Limits.DEFAULT), directory,
                directoryCache::caughtUp, passwords, tokens, throttle, sessions, true);
        Path dataDir = Path.of(config.dataDir().orElse(System.getProperty("java.io.tmpdir") + "/mailplatform-imap"));
        KeyManagerFactory keys = tlsMaterial(dataDir).keyManagerFactory();
        port = listen(config.port(), false, keys);
        tlsPort = listen(config.tlsPort(), true, keys);
    }

    private TlsMaterial tlsMaterial(Path dataDir) {
        ImapConfig.Tls t = config.tls();
        if (t.certFile().isPresent() && t.keyFile().isPresent()) {
            return TlsMaterial.fromPem(Path.of(t.certFile().get()), Path.of(t.keyFile().get()));
        }
        if (t.keystore().isPresent()) {
            return TlsMaterial.fromPkcs12(Path.of(t.keystore().get()), t.keystorePassword().orElse("").toCharArray());
        }
        return TlsMaterial.ensureSelfSigned(dataDir, config.hostname());
    }

    private int listen(int wanted, boolean implicitTls, KeyManagerFactory keys) {
        NetServerOptions options = new NetServerOptions().setHost(config.bindHost()).setPort(wanted)
                .setKeyCertOptions(KeyCertOptions.wrap(keys))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setSsl(implicitTls)
                .setTcpNoDelay(true);
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(this::accept);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for IMAP on " + config.bindHost() + ":" + wanted + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        servers.add(server);
        LOG.infof("IMAP%s listening on %s:%d", implicitTls ? "S" : "", config.bindHost(), server.actualPort());
        return server.actualPort();
    }

    private void accept(NetSocket socket) {
        String ip = socket.remoteAddress().hostAddress();
        SerialExecutor executor = new SerialExecutor(workers, timer);
        Connection conn = new Connection(vertx, socket, executor, config.idleTimeout().toMillis());
        ImapSession session = new ImapSession(conn, context);
        ConnectionLimiter.Admission admission = limiter.tryAcquire(ip);
        if (admission != ConnectionLimiter.Admission.ADMITTED) {
            conn.start(b -> { }, () -> { }, () -> { }, () -> { });
            executor.execute(() -> session.refuse("Too many connections"
                    + (admission == ConnectionLimiter.Admission.TOO_MANY_FROM_IP ? " from your address" : "") + ", try again later"));
            return;
        }
        conn.start(session::input, session::idleTimeout, () -> limiter.release(ip), session::closed);
        executor.execute(session::greet);
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
        servers.forEach(NetServer::close);
        if (directoryCache != null) {
            directoryCache.close();
        }
        if (workers != null) {
            workers.shutdown();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
