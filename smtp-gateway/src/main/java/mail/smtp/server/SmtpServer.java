package mail.smtp.server;

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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import mail.core.address.Domain;
import mail.core.blob.BlobStore;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.identity.CachingPasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.kafka.EventPublisher;
import mail.core.runtime.InfraConfig;
import mail.core.text.LogText;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.net.Cidr;
import mail.protocol.net.Connection;
import mail.protocol.net.ConnectionLimiter;
import mail.protocol.net.SerialExecutor;
import mail.protocol.tls.TlsMaterial;
import mail.smtp.config.SmtpConfig;
import mail.smtp.handoff.MailHandoff;
import mail.smtp.protocol.CommandParser;
import mail.smtp.protocol.Extension;
import mail.smtp.protocol.Limits;
import mail.smtp.protocol.ParserOptions;
import mail.smtp.protocol.Replies;
import mail.smtp.protocol.SmtpReply;
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
    private final Map<Listener, NetServer> servers = new ConcurrentHashMap<>();
    private final Map<Listener, Integer> boundPorts = new ConcurrentHashMap<>();
    private final DirectoryState directory = new DirectoryState();
    private KafkaDirectoryCache directoryCache;
    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private ConnectionLimiter limiter;
    private SessionContext context;
    private final AuthenticatedSessions sessions = new AuthenticatedSessions();

    public SmtpServer(Vertx vertx, SmtpConfig config, InfraConfig.Kafka kafka, BlobStore blobs, EventPublisher publisher,
                      CachingPasswordVerifier passwords, TokenVerifier tokens) {
        this.vertx = vertx;
        this.config = config;
        this.kafka = kafka;
        this.blobs = blobs;
        this.publisher = publisher;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    void start(@Observes StartupEvent ev) {
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "smtp-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smtp-timer");
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
        Path dataDir = Path.of(config.dataDir().orElse(System.getProperty("java.io.tmpdir") + "/mailplatform-smtp"));
        KeyManagerFactory keys = tlsMaterial(dataDir).keyManagerFactory();
        MailHandoff handoff = new MailHandoff(blobs, publisher, "smtp-gateway/" + config.hostname(), config.handoffTimeout());
        ParserOptions parserOptions = new ParserOptions(Domain.parse(config.hostname()), EnumSet.allOf(Extension.class),
                new Limits(config.maxCommandLineLength(), Limits.DEFAULT.maxAuthLineLength()));
        context = new SessionContext(config, new CommandParser(parserOptions), parserOptions.maxLineOctets(), directory,
                directoryCache::caughtUp,
                passwords, tokens, handoff, new AuthThrottle(java.time.InstantSource.system(), authSettings()), sessions,
                dataDir.resolve("spool"), true);
        listen(Listener.MX, config.mx(), keys);
        listen(Listener.SUBMISSION, config.submission(), keys);
        listen(Listener.SUBMISSIONS, config.submissions(), keys);
    }

    /** The throttle's defaults, with the configured number of failures after which a session is closed. */
    private AuthThrottle.Settings authSettings() {
        AuthThrottle.Settings d = AuthThrottle.Settings.defaults();
        return new AuthThrottle.Settings(config.authFailureDelay(), config.authFailureMaxDelay(), config.maxAuthFailures(), d.forgetAfter(),
                d.maxTrackedClients());
    }

    /** The configured certificate (PEM pair or PKCS12), else a self-signed one generated once into the data directory. */
    private TlsMaterial tlsMaterial(Path dataDir) {
        SmtpConfig.Tls t = config.tls();
        if (t.certFile().isPresent() && t.keyFile().isPresent()) {
            return TlsMaterial.fromPem(Path.of(t.certFile().get()), Path.of(t.keyFile().get()));
        }
        if (t.keystore().isPresent()) {
            return TlsMaterial.fromPkcs12(Path.of(t.keystore().get()), t.keystorePassword().orElse("").toCharArray());
        }
        return TlsMaterial.ensureSelfSigned(dataDir, config.hostname());
    }

    private void listen(Listener kind, SmtpConfig.Listener cfg, KeyManagerFactory keys) {
        if (!cfg.enabled()) {
            return;
        }
        NetServerOptions options = new NetServerOptions().setHost(bindHost()).setPort(cfg.port())
                .setKeyCertOptions(KeyCertOptions.wrap(keys))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setSsl(kind.implicitTls())
                .setTcpNoDelay(true);
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> accept(kind, socket));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for " + kind + " on " + bindHost() + ":" + cfg.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        servers.put(kind, server);
        boundPorts.put(kind, server.actualPort());
        LOG.infof("SMTP %s listening on %s:%d", kind, bindHost(), server.actualPort());
    }

    private String bindHost() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("mail.smtp.bind-host", String.class).orElse("127.0.0.1");
    }

    private void accept(Listener kind, NetSocket socket) {
        String ip = socket.remoteAddress().hostAddress();
        SerialExecutor executor = new SerialExecutor(workers, timer);
        Connection conn = new Connection(vertx, socket, executor, config.idleTimeout().toMillis());
        SmtpSession session = new SmtpSession(conn, kind, context);
        ConnectionLimiter.Admission admission = limiter.tryAcquire(ip);
        if (admission != ConnectionLimiter.Admission.ADMITTED) {
            conn.start(b -> { }, () -> { }, () -> { }, () -> { });
            executor.execute(() -> session.refuse(SmtpReply.of(421, "4.7.0",
                    config.hostname() + " Too many connections" + (admission == ConnectionLimiter.Admission.TOO_MANY_FROM_IP
                            ? " from your address" : "") + ", try again later")));
            return;
        }
        conn.start(session::input, session::idleTimeout, () -> limiter.release(ip), session::closed);
        executor.execute(session::greet);
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

    public boolean directoryLoaded() {
        return directoryCache != null && directoryCache.caughtUp();
    }

    void stop(@Observes ShutdownEvent ev) {
        List<NetServer> all = new ArrayList<>(servers.values());
        all.forEach(NetServer::close);
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
