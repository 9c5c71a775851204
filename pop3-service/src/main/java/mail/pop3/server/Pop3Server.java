package mail.pop3.server;

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
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
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
import mail.pop3.protocol.Pop3Reply;
import mail.pop3.session.LiveSessions;
import mail.pop3.session.Pop3Session;
import mail.pop3.session.SessionContext;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.net.Cidr;
import mail.protocol.net.Connection;
import mail.protocol.net.ConnectionLimiter;
import mail.protocol.net.SerialExecutor;
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
    private final DirectoryState directory = new DirectoryState();
    private final LiveSessions sessions = new LiveSessions();
    private final List<NetServer> servers = new ArrayList<>();
    private final int[] ports = new int[2];
    private KafkaDirectoryCache directoryCache;
    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private ConnectionLimiter limiter;
    private SessionContext context;

    public Pop3Server(Vertx vertx, Pop3Config config, InfraConfig.Kafka kafka, BlobStore blobs, EventPublisher publisher,
                      CachingPasswordVerifier passwords, TokenVerifier tokens, MailStore store, MaildropLock lock) {
        this.vertx = vertx;
        this.config = config;
        this.kafka = kafka;
        this.blobs = blobs;
        this.publisher = publisher;
        this.passwords = passwords;
        this.tokens = tokens;
        this.store = store;
        this.lock = lock;
    }

    void start(@Observes StartupEvent ev) {
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "pop3-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pop3-timer");
            t.setDaemon(true);
            return t;
        });
        limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp(),
                Cidr.parseAll(config.connectionLimitExempt()));
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
        AuthThrottle.Settings d = AuthThrottle.Settings.defaults();
        AuthThrottle throttle = new AuthThrottle(InstantSource.system(), new AuthThrottle.Settings(config.authFailureDelay(),
                config.authFailureMaxDelay(), config.maxAuthFailures(), d.forgetAfter(), d.maxTrackedClients()));
        context = new SessionContext(config, directory, directoryCache::caughtUp, passwords, tokens, throttle, sessions, store, lock,
                blobs, publisher, timer, config.hostname() + "/" + UUID.randomUUID().toString().substring(0, 8));
        ports[Listener.PLAIN.ordinal()] = listen(Listener.PLAIN, config.port(), keys);
        ports[Listener.IMPLICIT_TLS.ordinal()] = listen(Listener.IMPLICIT_TLS, config.tlsPort(), keys);
    }

    private TlsMaterial tlsMaterial(Path dataDir) {
        Pop3Config.Tls t = config.tls();
        if (t.certFile().isPresent() && t.keyFile().isPresent()) {
            return TlsMaterial.fromPem(Path.of(t.certFile().get()), Path.of(t.keyFile().get()));
        }
        if (t.keystore().isPresent()) {
            return TlsMaterial.fromPkcs12(Path.of(t.keystore().get()), t.keystorePassword().orElse("").toCharArray());
        }
        return TlsMaterial.ensureSelfSigned(dataDir, config.hostname());
    }

    private int listen(Listener kind, int port, KeyManagerFactory keys) {
        NetServerOptions options = new NetServerOptions().setHost(config.bindHost()).setPort(port)
                .setKeyCertOptions(KeyCertOptions.wrap(keys))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setSsl(kind == Listener.IMPLICIT_TLS)
                .setTcpNoDelay(true);
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(this::accept);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for POP3 " + kind + " on " + config.bindHost() + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        servers.add(server);
        LOG.infof("POP3 %s listening on %s:%d", kind, config.bindHost(), server.actualPort());
        return server.actualPort();
    }

    private void accept(NetSocket socket) {
        String ip = socket.remoteAddress().hostAddress();
        SerialExecutor executor = new SerialExecutor(workers, timer);
        Connection conn = new Connection(vertx, socket, executor, config.idleTimeout().toMillis());
        Pop3Session session = new Pop3Session(conn, context);
        ConnectionLimiter.Admission admission = limiter.tryAcquire(ip);
        if (admission != ConnectionLimiter.Admission.ADMITTED) {
            conn.start(b -> { }, () -> { }, () -> { }, () -> { });
            executor.execute(() -> session.refuse(Pop3Reply.err(Pop3Reply.Code.SYS_TEMP, "Too many connections"
                    + (admission == ConnectionLimiter.Admission.TOO_MANY_FROM_IP ? " from your address" : "") + ", try again later")));
            return;
        }
        conn.start(session::input, session::idleTimeout, () -> limiter.release(ip), session::closed);
        executor.execute(session::greet);
    }

    public int port(Listener kind) {
        return ports[kind.ordinal()];
    }

    public LiveSessions sessions() {
        return sessions;
    }

    public DirectoryState directory() {
        return directory;
    }

    public boolean directoryLoaded() {
        return directoryCache != null && directoryCache.caughtUp();
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
