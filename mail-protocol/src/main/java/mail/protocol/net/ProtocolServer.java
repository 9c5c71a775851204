package mail.protocol.net;

import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import org.jboss.logging.Logger;

/**
 * The listening side every protocol service shares: Vert.x listeners (plain or implicit TLS, TLS 1.2+), connection
 * limits, one serial executor per session on a shared worker pool, and a timer for delays. The protocol brings only
 * its {@link Session}.
 */
public final class ProtocolServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProtocolServer.class);

    /**
     * @param name                  for thread names and logs, e.g. "smtp"
     * @param connectionLimitExempt CIDR networks not subject to the per-IP limit
     */
    public record Settings(String name, String bindHost, int workerThreads, int maxConnections, int maxConnectionsPerIp,
                           List<String> connectionLimitExempt, Duration idleTimeout) {
    }

    /** What the server needs from one protocol session; every call arrives on the session's serial executor. */
    public interface Session {
        void greet();

        /** The connection is over a limit: say so in the protocol's words and close. */
        void refuse(boolean perAddressLimit);

        void input(byte[] bytes);

        void idleTimeout();

        void closed();
    }

    private final Vertx vertx;
    private final Settings settings;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final ConnectionLimiter limiter;
    private final List<NetServer> servers = new CopyOnWriteArrayList<>();
    private final LongAdder queuedOutput = new LongAdder();

    public ProtocolServer(Vertx vertx, Settings settings) {
        this.vertx = vertx;
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, settings.name() + "-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, settings.name() + "-timer");
            t.setDaemon(true);
            return t;
        });
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp(),
                Cidr.parseAll(settings.connectionLimitExempt()));
    }

    /** @return the port actually bound (the one asked for, or a free one for 0) */
    public int listen(String label, int port, boolean implicitTls, KeyManagerFactory keys,
                      Function<Connection, Session> sessions) {
        NetServerOptions options = new NetServerOptions().setHost(settings.bindHost()).setPort(port)
                .setKeyCertOptions(KeyCertOptions.wrap(keys))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setSsl(implicitTls)
                .setTcpNoDelay(true);
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(socket -> accept(socket, sessions));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for " + label + " on " + settings.bindHost() + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        servers.add(server);
        LOG.infof("%s listening on %s:%d", label, settings.bindHost(), server.actualPort());
        return server.actualPort();
    }

    private void accept(NetSocket socket, Function<Connection, Session> sessions) {
        String ip = socket.remoteAddress().hostAddress();
        SerialExecutor executor = new SerialExecutor(workers, timer);
        Connection conn = new Connection(vertx, socket, executor, settings.idleTimeout().toMillis(), queuedOutput);
        Session session = sessions.apply(conn);
        ConnectionLimiter.Admission admission = limiter.tryAcquire(ip);
        if (admission != ConnectionLimiter.Admission.ADMITTED) {
            conn.start(b -> { }, () -> { }, () -> { }, () -> { });
            executor.execute(() -> session.refuse(admission == ConnectionLimiter.Admission.TOO_MANY_FROM_IP));
            return;
        }
        conn.start(session::input, session::idleTimeout, () -> limiter.release(ip), session::closed);
        executor.execute(session::greet);
    }

    /** Output written by sessions and not yet taken by their clients, over all connections: what slow readers cost. */
    public long queuedOutputBytes() {
        return queuedOutput.sum();
    }

    /** For protocol work on a schedule, e.g. renewing a lease while a session holds a lock. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public void close() {
        servers.forEach(NetServer::close);
        workers.shutdown();
        timer.shutdownNow();
    }
}
