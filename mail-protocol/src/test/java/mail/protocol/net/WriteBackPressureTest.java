package mail.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import mail.protocol.tls.TlsMaterial;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session streams a reply far larger than any buffer to a client that stops reading: the server's queued output
 * stays under the high-water mark plus one chunk, the session waits without a thread, and everything arrives intact
 * once the client reads again. A client that never reads again is disconnected after the idle timeout.
 */
class WriteBackPressureTest {
    private static final int CHUNK = 16 * 1024;
    private static final long TOTAL = 48L * 1024 * 1024;

    private Vertx vertx;
    private ProtocolServer server;
    @TempDir
    Path certificates;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong maxQueued = new AtomicLong();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicBoolean sawClosedOnResume = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Writes TOTAL bytes (byte i is i % 251) when it receives a line, the way RETR and FETCH stream a message. */
    private final class Streamer implements ProtocolServer.Session {
        private final SessionIo io;
        private long sent;

        Streamer(SessionIo io) {
            this.io = io;
        }

        @Override
        public void greet() {
        }

        @Override
        public void refuse(boolean perAddressLimit) {
            io.close();
        }

        @Override
        public void input(byte[] bytes) {
            pump();
        }

        private void pump() {
            parked.set(false);
            if (!io.isOpen()) {
                sawClosedOnResume.set(true);
                return;
            }
            while (sent < TOTAL) {
                byte[] chunk = new byte[(int) Math.min(CHUNK, TOTAL - sent)];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) ((sent + i) % 251);
                }
                io.write(chunk);
                sent += chunk.length;
                produced.set(sent);
                maxQueued.accumulateAndGet(server.queuedOutputBytes(), Math::max);
                if (io.writeQueueFull()) {
                    waits.incrementAndGet();
                    parked.set(true);
                    io.continueWhenWritable(this::pump);
                    return;
                }
            }
            finished.countDown();
        }

        @Override
        public void idleTimeout() {
            io.close();
        }

        @Override
        public void closed() {
            closed.countDown();
        }
    }

    private int listen(Duration idleTimeout) throws Exception {
        server = new ProtocolServer(vertx, new ProtocolServer.Settings("test", "127.0.0.1", 2, 10, 10, List.of(), idleTimeout));
        return server.listen("test", 0, false, TlsMaterial.ensureSelfSigned(certificates, "localhost").keyManagerFactory(),
                Streamer::new);
    }

    private static Socket slowClient(int port) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(8 * 1024);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(30_000);
        return s;
    }

    /** Waits until the session has parked and its output has stopped growing: the client is not reading. */
    private void awaitStalled() throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 300; i++) {
            long now = produced.get();
            if (parked.get() && now == last) {
                return;
            }
            last = now;
            Thread.sleep(100);
        }
        throw new AssertionError("the session never stalled: produced " + produced.get() + " of " + TOTAL);
    }

    @Test
    void queuedOutputStaysBoundedWhileTheClientDoesNotReadAndEverythingArrivesAfterwards() throws Exception {
        int port = listen(Duration.ofMinutes(10));
        try (Socket s = slowClient(port); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            out.write("SEND\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitStalled();
            // without back-pressure all 48 MiB would sit in the server's queue by now
            assertThat(produced.get()).isLessThan(TOTAL / 2);
            assertThat(server.queuedOutputBytes()).isLessThanOrEqualTo(Connection.OUTPUT_HIGH_WATER + CHUNK);

            byte[] buf = new byte[64 * 1024];
            long received = 0;
            int r;
            while (received < TOTAL && (r = in.read(buf)) >= 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] != (byte) ((received + i) % 251)) {
                        throw new AssertionError("byte " + (received + i) + " differs");
                    }
                }
                received += r;
            }
            assertThat(received).isEqualTo(TOTAL);
        }
        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(waits.get()).isPositive();
        assertThat(maxQueued.get()).isLessThanOrEqualTo(Connection.OUTPUT_HIGH_WATER + CHUNK);
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.queuedOutputBytes()).isZero();
    }

    @Test
    void aClientHangingUpWhileTheSessionWaitsEndsTheSession() throws Exception {
        int port = listen(Duration.ofMinutes(10));
        try (Socket s = slowClient(port); OutputStream out = s.getOutputStream()) {
            out.write("SEND\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitStalled();
        }
        assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sawClosedOnResume.get()).isTrue();
        assertThat(finished.getCount()).isEqualTo(1);
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAfterTheIdleTimeout() throws Exception {
        int port = listen(Duration.ofMillis(1500));
        try (Socket s = slowClient(port); OutputStream out = s.getOutputStream()) {
            out.write("SEND\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the client keeps the connection open and reads nothing: the server ends it on its own
            assertThat(closed.await(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(sawClosedOnResume.get()).isTrue();
        assertThat(finished.getCount()).isEqualTo(1);
    }
}
