package mail.protocol.net;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import mail.protocol.net.SerialExecutor;

/**
 * The event-loop side of one client connection of a line protocol (SMTP, IMAP, POP3). Bytes received are queued and handed to the session on its own serial
 * executor; the socket is paused while too much input waits (a pipelining client cannot fill our heap); the idle timer
 * restarts on every input. Nothing here blocks.
 *
 * <p>Output is counted from {@link #write} until the bytes are handed to the operating system, so a session streaming
 * a large reply can see a client that does not read ({@link #writeQueueFull}) and wait for the queue to drain
 * ({@link #continueWhenWritable}) without holding a thread; what a slow reader costs us stays near the high-water
 * mark instead of the size of the reply.
 */
public final class Connection implements SessionIo {
    private static final int HIGH_WATER = 256 * 1024;
    /** Output queued for the client at which {@link #writeQueueFull} turns true; waiters resume at half of it. */
    public static final int OUTPUT_HIGH_WATER = 256 * 1024;
    private static final int OUTPUT_LOW_WATER = OUTPUT_HIGH_WATER / 2;

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
    private final Object output = new Object();
    private final LongAdder serverOutput;
    private long queuedOutput;
    private long waitingSince;
    private Runnable whenWritable;
    private boolean stallTimerArmed;
    /** Event loop only: the socket's close handler has run. */
    private boolean socketGone;

    public Connection(Vertx vertx, NetSocket socket, SerialExecutor executor, long idleTimeoutMs) {
        this(vertx, socket, executor, idleTimeoutMs, new LongAdder());
    }

    /** @param serverOutput the output queued over all connections of a server, kept up to date by this one */
    public Connection(Vertx vertx, NetSocket socket, SerialExecutor executor, long idleTimeoutMs, LongAdder serverOutput) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.socket = socket;
        this.executor = executor;
        this.idleTimeoutMs = idleTimeoutMs;
        this.serverOutput = serverOutput;
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
            socketGone = true;
            closed = true;
            cancelIdle();
            // a session waiting for a slow reader goes on (and sees the connection closed) instead of waiting forever
            resumeWriter(true);
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
        if (closed) {
            return;
        }
        int n = bytes.length;
        synchronized (output) {
            queuedOutput += n;
        }
        serverOutput.add(n);
        // completes once the bytes are with the operating system, or failed when the connection is gone
        socket.write(Buffer.buffer(bytes), ar -> written(n, ar.succeeded()));
    }

    /** On the event loop. */
    private void written(int n, boolean succeeded) {
        if (!succeeded) {
            // the peer is gone (reset): a waiting session must see that at once, not keep writing into nothing
            closed = true;
        }
        synchronized (output) {
            queuedOutput -= n;
        }
        serverOutput.add(-n);
        resumeWriter(!succeeded);
    }

    private void resumeWriter(boolean connectionClosed) {
        Runnable resume;
        synchronized (output) {
            if (whenWritable == null || (!connectionClosed && queuedOutput > OUTPUT_LOW_WATER)) {
                return;
            }
            resume = whenWritable;
            whenWritable = null;
        }
        resume.run();
    }

    @Override
    public boolean writeQueueFull() {
        synchronized (output) {
            return queuedOutput >= OUTPUT_HIGH_WATER;
        }
    }

    /** Bytes written by the session and not yet handed to the operating system. */
    public long queuedOutputBytes() {
        synchronized (output) {
            return queuedOutput;
        }
    }

    @Override
    public void continueWhenWritable(Runnable continuation) {
        Runnable resume = executor.continueLater(continuation);
        synchronized (output) {
            if (!closed && queuedOutput > OUTPUT_LOW_WATER) {
                whenWritable = resume;
                waitingSince = System.nanoTime();
                resume = null;
            }
        }
        if (resume != null) {
            resume.run();
            return;
        }
        context.runOnContext(v -> armStallTimer());
    }

    /**
     * A client that does not take half the high-water mark within the idle timeout is as idle as one that sends
     * nothing: while a session waits for it, the idle timer (which restarts on input only) cannot end the session,
     * so this one does. Any byte of progress would not do: the kernel keeps taking a trickle against a zero window.
     */
    private void armStallTimer() {
        if (stallTimerArmed || socketGone) {
            return;
        }
        long quietMs;
        synchronized (output) {
            if (whenWritable == null) {
                return;
            }
            quietMs = (System.nanoTime() - waitingSince) / 1_000_000;
        }
        if (quietMs >= idleTimeoutMs) {
            forceClose();
            return;
        }
        stallTimerArmed = true;
        vertx.setTimer(Math.max(1, idleTimeoutMs - quietMs), id -> {
            stallTimerArmed = false;
            armStallTimer();
        });
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            socket.end();
            // end() lets the queued output leave first; a client that never reads it must not keep the socket forever
            context.runOnContext(v -> vertx.setTimer(idleTimeoutMs, id -> forceClose()));
        }
    }

    /** Cuts the connection off at once, queued output or not (the end of a drain's grace period); any thread. */
    public void abort() {
        closed = true;
        context.runOnContext(v -> forceClose());
    }

    /** On the event loop. */
    private void forceClose() {
        if (!socketGone) {
            // NetSocket.close() and Channel.close() (which passes Vert.x's handler) wait for the queued output to leave,
            // which is what is not happening; closing from Vert.x's own handler context goes straight to Netty
            ((NetSocketInternal) socket).channelHandlerContext().close();
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

    /** The TLS session once TLS is up, else null; the event loop sets it, any thread may read it. */
    SSLSession sslSession() {
        return socket.isSsl() ? socket.sslSession() : null;
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

    @Override
    public String sessionId() {
        return executor.logField(SessionIo.SESSION_ID);
    }

    @Override
    public void logField(String key, String value) {
        executor.logField(key, value);
    }
}
