package mail.protocol.net;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

        /**
         * The client's address is not allowed on this listener (allow/deny): say so in the protocol's words and close.
         * Called instead of {@link #greet}.
         */
        default void denied() {
            refuse(false);
        }

        /**
         * The server is draining (shutting down): an idle session says goodbye and closes now, a busy one after what
         * it is doing; a session not yet greeted (a connection arriving during the drain) gets the goodbye instead of
         * the greeting. Whatever is still open when the grace period ends is closed by the server.
         */
        default void drain() {
        }
    }

    private final Vertx vertx;
    private final Settings settings;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final ConnectionLimiter limiter;
    private final List<NetServer> servers = new CopyOnWriteArrayList<>();
    private final LongAdder queuedOutput = new LongAdder();
    /** Admitted sessions whose socket is still open; guarded by itself, notified when one goes. */
    private final Set<Live> live = new HashSet<>();
    private volatile boolean draining;
    private final MeterRegistry meters;
    /** One TLS context per key material, built by the first listener that uses it (see ServerTls). */
    private final Map<KeyManagerFactory, ServerTls> tlsContexts = new ConcurrentHashMap<>();

    private record Live(Connection conn, Session session, SerialExecutor executor) {
    }

    public ProtocolServer(Vertx vertx, Settings settings) {
        this(vertx, settings, null);
    }

    /** @param meters where the connection counts per listener go; null for none */
    public ProtocolServer(Vertx vertx, Settings settings, MeterRegistry meters) {
        this.meters = meters;
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
        return listen(label, port, implicitTls, ListenerAccess.OPEN, keys, sessions);
    }

    /** @return the port actually bound (the one asked for, or a free one for 0) */
    public int listen(String label, int port, boolean implicitTls, ListenerAccess access, KeyManagerFactory keys,
                      Function<Connection, Session> sessions) {
        ListenerAccess.Rules rules = access.rules();
        ServerTls tls;
        try {
            tls = tlsContexts.computeIfAbsent(keys, ServerTls::build);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot start " + label + ": TLS: " + e.getMessage(), e);
        }
        NetServerOptions options = new NetServerOptions().setHost(settings.bindHost()).setPort(port)
                .setKeyCertOptions(KeyCertOptions.wrap(keys))
                .setSslEngineOptions(tls)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setSsl(implicitTls)
                .setTcpNoDelay(true)
                // Netty's HAProxyMessageDecoder (netty-codec-haproxy) reads v1 and v2; the proxied source becomes the
                // socket's remoteAddress(), so every later use of the client address sees the real client
                .setUseProxyProtocol(rules.proxyProtocol());
        NetServer server = vertx.createNetServer(options);
        ListenerMeters counts = new ListenerMeters(meters, settings.name(), label);
        server.connectHandler(socket -> accept(socket, rules, sessions, counts));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for " + label + " on " + settings.bindHost() + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        servers.add(server);
        LOG.infof("%s listening on %s:%d%s%s", label, settings.bindHost(), server.actualPort(),
                rules.proxyProtocol() ? " (PROXY protocol from " + rules.trustedProxies() + ")" : "",
                rules.allow().isEmpty() && rules.deny().isEmpty() ? ""
                        : " (allow " + (rules.allow().isEmpty() ? "all" : rules.allow()) + ", deny " + rules.deny() + ")");
        return server.actualPort();
    }

    private void accept(NetSocket socket, ListenerAccess.Rules rules, Function<Connection, Session> sessions,
                        ListenerMeters counts) {
        if (rules.proxyProtocol()) {
            // the TCP peer, not the address its PROXY header claims: only our own load balancers may claim one
            java.net.SocketAddress peer = ((NetSocketInternal) socket).channelHandlerContext().channel().remoteAddress();
            if (!(peer instanceof InetSocketAddress a) || !rules.trustedProxy(a.getAddress())) {
                LOG.warnf("PROXY header from %s, which is not in the trusted proxies: connection closed", peer);
                socket.close();
                return;
            }
        }
        String ip = socket.remoteAddress().hostAddress();
        SerialExecutor executor = new SerialExecutor(workers, timer);
        executor.logField(SessionIo.SESSION_ID, SessionIds.next());
        Connection conn = new Connection(vertx, socket, executor, settings.idleTimeout().toMillis(), queuedOutput);
        Session session = sessions.apply(conn);
        if (!rules.permits(ip)) {
            LOG.infof("connection from %s refused: not allowed on this listener", ip);
            counts.connection(ListenerMeters.DENIED);
            conn.start(b -> { }, () -> { }, () -> { }, () -> { });
            executor.execute(session::denied);
            return;
        }
        if (draining) {
            // the listeners stay bound until the drain ends (closing a Vert.x NetServer closes its connections too)
            conn.start(b -> { }, () -> { }, () -> { }, () -> { });
            counts.connection(ListenerMeters.DRAINING);
            executor.execute(session::drain);
            return;
        }
        ConnectionLimiter.Admission admission = limiter.tryAcquire(ip);
        if (admission != ConnectionLimiter.Admission.ADMITTED) {
            conn.start(b -> { }, () -> { }, () -> { }, () -> { });
            counts.connection(ListenerMeters.OVER_LIMIT);
            executor.execute(() -> session.refuse(admission == ConnectionLimiter.Admission.TOO_MANY_FROM_IP));
            return;
        }
        Live l = new Live(conn, session, executor);
        synchronized (live) {
            live.add(l);
        }
        counts.connection(ListenerMeters.ACCEPTED);
        counts.opened();
        conn.start(session::input, session::idleTimeout, () -> {
            counts.closed();
            limiter.release(ip);
            synchronized (live) {
                live.remove(l);
                live.notifyAll();
            }
        }, session::closed);
        executor.execute(session::greet);
    }

    /**
     * Graceful shutdown: from now on new connections get the protocol's goodbye instead of a greeting, every open
     * session is asked to finish ({@link Session#drain}), and this waits up to {@code grace} for them to close; what
     * is still open then is cut off. Blocks the caller (a shutdown hook) for at most {@code grace}.
     *
     * @return how many sessions had to be cut off
     */
    public int drain(Duration grace) {
        draining = true;
        List<Live> open;
        synchronized (live) {
            open = new ArrayList<>(live);
        }
        LOG.infof("%s: draining %d session(s), grace period %s", settings.name(), open.size(), grace);
        for (Live l : open) {
            l.executor().execute(l.session()::drain);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (live) {
            long left;
            while (!live.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    live.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            open = new ArrayList<>(live);
        }
        if (!open.isEmpty()) {
            LOG.warnf("%s: %d session(s) still open after the grace period: closing them", settings.name(), open.size());
            open.forEach(l -> l.conn().abort());
        }
        return open.size();
    }

    /** The TLS context built for this key material when a listener started with it; null before. */
    ServerTls tlsContext(KeyManagerFactory keys) {
        return tlsContexts.get(keys);
    }

    /** True from the start of {@link #drain}: readiness reports DOWN so that load balancers stop sending. */
    public boolean draining() {
        return draining;
    }

    /** Sessions admitted and not yet closed. */
    public int openSessions() {
        synchronized (live) {
            return live.size();
        }
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
