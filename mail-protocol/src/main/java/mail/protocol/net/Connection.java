package mail.protocol.net;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import mail.protocol.net.SerialExecutor;

/**
 * The event-loop side of one client connection of a line protocol (SMTP, IMAP, POP3). Bytes received are queued and handed to the session on its own serial
 * executor; the socket is paused while too much input waits (a pipelining client cannot fill our heap); the idle timer
 * restarts on every input. Nothing here blocks.
 */
public final class Connection implements SessionIo {
    private static final int HIGH_WATER = 256 * 1024;

    private final Vertx vertx;
    private final io.vertx.core.Context context;
    private final NetSocket socket;
    private final SerialExecutor executor;
    private final long idleTimeoutMs;
    private final Queue<Buffer> inbox = new ArrayDeque<>();
    private int queuedBytes;
    private boolean paused;
    private volatile boolean closed;
    private volatile boolean discardInput;
    private long idleTimer = -1;
    private Consumer<byte[]> onInput;
    private Runnable onIdle;
    private Runnable onClosed;

    public Connection(Vertx vertx, NetSocket socket, SerialExecutor executor, long idleTimeoutMs) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.socket = socket;
        this.executor = executor;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /**
     * @param released runs on the event loop the moment the socket closes (frees the connection's slot at once, even
     *                 while the session still has queued work)
     */
    public void start(Consumer<byte[]> input, Runnable idle, Runnable released, Runnable closedHandler) {
        this.onInput = input;
        this.onIdle = idle;
        this.onClosed = closedHandler;
        socket.handler(this::received);
        socket.closeHandler(v -> {
            closed = true;
            cancelIdle();
            released.run();
            executor.execute(onClosed);
        });
        socket.exceptionHandler(e -> socket.close());
        restartIdle();
    }

    private void received(Buffer b) {
        restartIdle();
        if (discardInput) {
            return;
        }
        synchronized (inbox) {
            inbox.add(b);
            queuedBytes += b.length();
            if (queuedBytes > HIGH_WATER && !paused) {
                paused = true;
                socket.pause();
            }
        }
        executor.execute(this::deliver);
    }

    private void deliver() {
        Buffer b;
        synchronized (inbox) {
            b = inbox.poll();
            if (b == null) {
                return;
            }
            queuedBytes -= b.length();
            if (paused && queuedBytes < HIGH_WATER / 2) {
                paused = false;
                socket.resume();
            }
        }
        if (!closed && !discardInput) {
            onInput.accept(b.getBytes());
        }
    }

    /** Drops input that is queued or arrives until TLS is up (RFC 3207: nothing pipelined after STARTTLS is run). */
    void discardQueuedInput() {
        synchronized (inbox) {
            inbox.clear();
            queuedBytes = 0;
        }
    }

    private void restartIdle() {
        cancelIdle();
        if (!closed) {
            idleTimer = vertx.setTimer(idleTimeoutMs, id -> executor.execute(onIdle));
        }
    }

    private void cancelIdle() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    @Override
    public void write(byte[] bytes) {
        if (!closed) {
            socket.write(Buffer.buffer(bytes));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            socket.end();
        }
    }

    @Override
    public void startTls(byte[] readyReply, Runnable onSuccess, Runnable onFailure) {
        discardInput = true;
        discardQueuedInput();
        // the 220 must leave in clear text before the handshake starts: both steps on the socket's own event loop
        context.runOnContext(v -> {
            socket.write(Buffer.buffer(readyReply));
            socket.upgradeToSsl(ar -> {
                discardInput = false;
                executor.execute(ar.succeeded() ? onSuccess : onFailure);
            });
        });
    }

    @Override
    public boolean tls() {
        return socket.isSsl();
    }

    @Override
    public String tlsProtocol() {
        SSLSession s = socket.isSsl() ? socket.sslSession() : null;
        return s == null ? null : s.getProtocol();
    }

    @Override
    public String tlsCipher() {
        SSLSession s = socket.isSsl() ? socket.sslSession() : null;
        return s == null ? null : s.getCipherSuite();
    }

    @Override
    public String clientIp() {
        return socket.remoteAddress().hostAddress();
    }

    @Override
    public void continueAfter(long delayMs, Runnable continuation) {
        executor.continueAfter(delayMs, continuation);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public int localPort() {
        return socket.localAddress().port();
    }
}
