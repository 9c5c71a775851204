package mail.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import mail.protocol.tls.TlsMaterial;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PROXY protocol v1/v2, trusted proxies, allow/deny networks and the drain, over real sockets against a tiny line
 * session that greets with the client address the server gave it.
 */
class ListenerAccessTest {
    private Vertx vertx;
    private ProtocolServer server;
    private static KeyManagerFactory keys;

    @BeforeAll
    static void certificate() throws Exception {
        // a plain listener still takes key material; one key pair for the class, generating one is slow
        keys = TlsMaterial.ensureSelfSigned(Files.createTempDirectory("listener-test"), "localhost").keyManagerFactory();
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = new ProtocolServer(vertx, new ProtocolServer.Settings("test", "127.0.0.1", 4, 100, 100, List.of(),
                Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Greets with "HELLO <client address>", echoes lines; "BUSY" starts work that a drain lets finish, "DONE" ends it.
     */
    private static final class EchoSession implements ProtocolServer.Session {
        private final SessionIo io;
        private final StringBuilder line = new StringBuilder();
        private boolean busy;
        private boolean draining;

        EchoSession(SessionIo io) {
            this.io = io;
        }

        @Override
        public void greet() {
            say("HELLO " + io.clientIp());
        }

        @Override
        public void refuse(boolean perAddressLimit) {
            say("LIMIT");
            io.close();
        }

        @Override
        public void denied() {
            say("DENIED " + io.clientIp());
            io.close();
        }

        @Override
        public void drain() {
            draining = true;
            if (!busy) {
                say("BYE");
                io.close();
            }
        }

        @Override
        public void input(byte[] bytes) {
            for (byte b : bytes) {
                if (b == '\n') {
                    command(line.toString().strip());
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }

        private void command(String c) {
            if (c.equals("BUSY")) {
                busy = true;
                say("WORKING");
            } else if (c.equals("DONE")) {
                busy = false;
                say("FINISHED");
                if (draining) {
                    say("BYE");
                    io.close();
                }
            } else {
                say("ECHO " + c);
            }
        }

        private void say(String s) {
            io.write((s + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void idleTimeout() {
            io.close();
        }

        @Override
        public void closed() {
        }
    }

    private int listen(ListenerAccess access) {
        return server.listen("test", 0, false, access, keys, EchoSession::new);
    }

    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(int port, byte[] first) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(15_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            if (first != null) {
                out.write(first);
                out.flush();
            }
        }

        String line() throws IOException {
            return in.readLine();
        }

        void send(String s) throws IOException {
            out.write((s + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A PROXY v2 header for a TCP connection from {@code source} (IPv4 or IPv6) to {@code destination}. */
    static byte[] proxyV2(String source, int sourcePort, String destination, int destinationPort) throws IOException {
        byte[] src = InetAddress.getByName(source).getAddress();
        byte[] dst = InetAddress.getByName(destination).getAddress();
        ByteBuffer b = ByteBuffer.allocate(16 + src.length * 2 + 4);
        b.put(V2_SIGNATURE);
        b.put((byte) 0x21); // version 2, PROXY command
        b.put((byte) (src.length == 4 ? 0x11 : 0x21)); // TCP over IPv4 / IPv6
        b.putShort((short) (src.length * 2 + 4));
        b.put(src).put(dst).putShort((short) sourcePort).putShort((short) destinationPort);
        return b.array();
    }

    static byte[] proxyV1(String source, int sourcePort, String destination, int destinationPort) {
        String family = source.contains(":") ? "TCP6" : "TCP4";
        return ("PROXY " + family + " " + source + " " + destination + " " + sourcePort + " " + destinationPort + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void withoutProxyProtocolTheSessionSeesTheTcpPeer() throws Exception {
        int port = listen(ListenerAccess.OPEN);
        try (Client c = new Client(port, null)) {
            assertThat(c.line()).isEqualTo("HELLO 127.0.0.1");
        }
    }

    @Test
    void aProxyV2HeaderGivesTheSessionTheProxiedClientAddress() throws Exception {
        int port = listen(new ListenerAccess(true, ListenerAccess.LOOPBACK, List.of(), List.of()));
        try (Client c = new Client(port, proxyV2("203.0.113.7", 40000, "192.0.2.1", 25))) {
            assertThat(c.line()).isEqualTo("HELLO 203.0.113.7");
            c.send("ping");
            assertThat(c.line()).isEqualTo("ECHO ping");
        }
        try (Client c = new Client(port, proxyV2("2001:db8::42", 40000, "2001:db8::1", 25))) {
            assertThat(InetAddress.getByName(c.line().substring(6))).isEqualTo(InetAddress.getByName("2001:db8::42"));
        }
    }

    @Test
    void aProxyV1HeaderGivesTheSessionTheProxiedClientAddress() throws Exception {
        int port = listen(new ListenerAccess(true, ListenerAccess.LOOPBACK, List.of(), List.of()));
        try (Client c = new Client(port, proxyV1("198.51.100.9", 4000, "192.0.2.1", 25))) {
            assertThat(c.line()).isEqualTo("HELLO 198.51.100.9");
        }
    }

    @Test
    void aProxyHeaderFromAnUntrustedSourceIsClosedWithoutAGreeting() throws Exception {
        // only 192.0.2.0/24 may send PROXY headers; the test connects from loopback
        int port = listen(new ListenerAccess(true, List.of("192.0.2.0/24"), List.of(), List.of()));
        try (Client c = new Client(port, proxyV2("203.0.113.7", 40000, "192.0.2.1", 25))) {
            assertThat(c.line()).isNull();
        }
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void aConnectionWithoutTheHeaderOnAProxyListenerIsClosed() throws Exception {
        int port = listen(new ListenerAccess(true, ListenerAccess.LOOPBACK, List.of(), List.of()));
        try (Client c = new Client(port, "EHLO client.example\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(c.line()).isNull();
        }
        try (Client c = new Client(port, "PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(c.line()).isNull();
        }
    }

    @Test
    void aDeniedProxiedAddressGetsTheRefusalAndIsClosed() throws Exception {
        int port = listen(new ListenerAccess(true, ListenerAccess.LOOPBACK, List.of(), List.of("203.0.113.0/24", "2001:db8:bad::/48")));
        try (Client c = new Client(port, proxyV2("203.0.113.7", 40000, "192.0.2.1", 25))) {
            assertThat(c.line()).isEqualTo("DENIED 203.0.113.7");
            assertThat(c.line()).isNull();
        }
        try (Client c = new Client(port, proxyV2("2001:db8:bad::1", 40000, "2001:db8::1", 25))) {
            assertThat(c.line()).startsWith("DENIED ");
            assertThat(c.line()).isNull();
        }
        // the proxy itself (loopback) is not denied, and neither is another client behind it
        try (Client c = new Client(port, proxyV2("198.51.100.9", 40000, "192.0.2.1", 25))) {
            assertThat(c.line()).isEqualTo("HELLO 198.51.100.9");
        }
        try (Client c = new Client(port, proxyV2("2001:db8:900d::1", 40000, "2001:db8::1", 25))) {
            assertThat(c.line()).startsWith("HELLO ");
        }
    }

    @Test
    void anAllowListAdmitsOnlyItsNetworksAndDenyWinsInsideIt() throws Exception {
        int port = listen(new ListenerAccess(true, ListenerAccess.LOOPBACK, List.of("10.0.0.0/8", "2001:db8::/32"),
                List.of("10.1.0.0/16")));
        try (Client c = new Client(port, proxyV1("10.2.3.4", 4000, "10.0.0.1", 25))) {
            assertThat(c.line()).isEqualTo("HELLO 10.2.3.4");
        }
        try (Client c = new Client(port, proxyV1("10.1.3.4", 4000, "10.0.0.1", 25))) {
            assertThat(c.line()).isEqualTo("DENIED 10.1.3.4");
        }
        try (Client c = new Client(port, proxyV1("198.51.100.9", 4000, "10.0.0.1", 25))) {
            assertThat(c.line()).isEqualTo("DENIED 198.51.100.9");
        }
        try (Client c = new Client(port, proxyV2("2001:db8::5", 4000, "2001:db8::1", 25))) {
            assertThat(c.line()).startsWith("HELLO ");
        }
    }

    @Test
    void withoutProxyProtocolTheTcpPeerIsCheckedAgainstTheLists() throws Exception {
        int port = listen(new ListenerAccess(false, ListenerAccess.LOOPBACK, List.of(), List.of("127.0.0.0/8")));
        try (Client c = new Client(port, null)) {
            assertThat(c.line()).isEqualTo("DENIED 127.0.0.1");
            assertThat(c.line()).isNull();
        }
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void aNetworkThatIsNotALiteralStopsTheListenerFromStarting() {
        assertThatThrownBy(() -> listen(new ListenerAccess(false, ListenerAccess.LOOPBACK, List.of("mail.example.com"), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mail.example.com");
        assertThatThrownBy(() -> listen(new ListenerAccess(true, List.of("10.0.0.0/33"), List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void drainSaysGoodbyeToIdleSessionsLetsBusyOnesFinishAndTurnsNewConnectionsAway() throws Exception {
        int port = listen(ListenerAccess.OPEN);
        try (Client idle = new Client(port, null); Client busy = new Client(port, null)) {
            assertThat(idle.line()).startsWith("HELLO");
            assertThat(busy.line()).startsWith("HELLO");
            busy.send("BUSY");
            assertThat(busy.line()).isEqualTo("WORKING");

            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> server.drain(Duration.ofSeconds(30)));
            assertThat(idle.line()).isEqualTo("BYE");
            assertThat(idle.line()).isNull();
            assertThat(server.draining()).isTrue();

            try (Client late = new Client(port, null)) {
                assertThat(late.line()).isEqualTo("BYE");
                assertThat(late.line()).isNull();
            }
            // the busy session goes on working until it is done
            busy.send("still here");
            assertThat(busy.line()).isEqualTo("ECHO still here");
            busy.send("DONE");
            assertThat(busy.line()).isEqualTo("FINISHED");
            assertThat(busy.line()).isEqualTo("BYE");
            assertThat(busy.line()).isNull();
            assertThat(drain.get(30, TimeUnit.SECONDS)).isZero();
        }
        assertThat(server.openSessions()).isZero();
    }

    @Test
    void aSessionStillBusyAfterTheGracePeriodIsCutOff() throws Exception {
        int port = listen(ListenerAccess.OPEN);
        try (Client busy = new Client(port, null)) {
            assertThat(busy.line()).startsWith("HELLO");
            busy.send("BUSY");
            assertThat(busy.line()).isEqualTo("WORKING");
            assertThat(server.drain(Duration.ofMillis(300))).isEqualTo(1);
            assertThat(busy.line()).isNull();
        }
    }
}
