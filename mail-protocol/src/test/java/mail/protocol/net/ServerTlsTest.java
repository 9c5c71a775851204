package mail.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import mail.protocol.tls.TlsMaterial;
import mail.protocol.tls.TrustingClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener's TLS context is built when it starts, not at the first handshake: key material that cannot serve fails
 * the start, and STARTTLS and implicit TLS over real sockets run on that one context.
 */
class ServerTlsTest {
    private static TlsMaterial material;
    private Vertx vertx;
    private ProtocolServer server;

    @BeforeAll
    static void certificate() throws IOException {
        material = TlsMaterial.ensureSelfSigned(Files.createTempDirectory("server-tls-test"), "localhost");
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = new ProtocolServer(vertx, new ProtocolServer.Settings("tls-test", "127.0.0.1", 2, 10, 10, List.of(),
                Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Greets; "STARTTLS" upgrades the connection and reports the TLS session the server side got. */
    private static final class StartTlsSession implements ProtocolServer.Session {
        private final Connection io;
        private final CompletableFuture<SSLSession> upgraded;

        StartTlsSession(Connection io, CompletableFuture<SSLSession> upgraded) {
            this.io = io;
            this.upgraded = upgraded;
        }

        @Override
        public void greet() {
            io.write("READY\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void refuse(boolean perAddressLimit) {
            io.close();
        }

        @Override
        public void input(byte[] bytes) {
            if (new String(bytes, StandardCharsets.US_ASCII).startsWith("STARTTLS")) {
                io.startTls("GO AHEAD\r\n".getBytes(StandardCharsets.US_ASCII), () -> {
                    upgraded.complete(io.sslSession());
                    io.write(("SECURE " + io.tlsProtocol() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }, () -> upgraded.completeExceptionally(new IOException("handshake failed")));
            }
        }

        @Override
        public void idleTimeout() {
            io.close();
        }

        @Override
        public void closed() {
        }
    }

    @Test
    void keyMaterialThatCannotServeFailsTheListenersStartNotTheFirstHandshake() throws Exception {
        KeyManagerFactory uninitialised = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        assertThatThrownBy(() -> server.listen("TEST STARTTLS", 0, false, uninitialised, c -> new StartTlsSession(c, new CompletableFuture<>())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start TEST STARTTLS: TLS: no server certificate and key");

        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        KeyManagerFactory noKey = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        noKey.init(empty, new char[0]);
        assertThatThrownBy(() -> server.listen("TEST TLS", 0, true, noKey, c -> new StartTlsSession(c, new CompletableFuture<>())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start TEST TLS: TLS: no server certificate and key in the key material");
        assertThat(server.tlsContext(uninitialised)).isNull();
        assertThat(server.tlsContext(noKey)).isNull();
    }

    @Test
    void startTlsAndImplicitTlsUseTheOneContextBuiltWhenTheListenersStarted() throws Exception {
        KeyManagerFactory keys = material.keyManagerFactory();
        CompletableFuture<SSLSession> upgraded = new CompletableFuture<>();
        int plain = server.listen("TEST STARTTLS", 0, false, keys, c -> new StartTlsSession(c, upgraded));
        ServerTls built = server.tlsContext(keys);
        assertThat(built).as("built by the listener's start, before any client").isNotNull();
        int implicit = server.listen("TEST TLS", 0, true, keys, c -> new StartTlsSession(c, new CompletableFuture<>()));
        assertThat(server.tlsContext(keys)).as("the second listener reuses it").isSameAs(built);

        SSLContext client = TrustingClient.trusting(material.certificateChain().get(0));
        try (Socket s = new Socket("127.0.0.1", plain)) {
            s.setSoTimeout(30_000);
            BufferedReader in = reader(s);
            assertThat(in.readLine()).isEqualTo("READY");
            send(s.getOutputStream(), "STARTTLS");
            assertThat(in.readLine()).isEqualTo("GO AHEAD");
            try (SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(s, "localhost", plain, false)) {
                tls.startHandshake();
                assertThat(reader(tls).readLine()).startsWith("SECURE TLSv1.");
            }
        }
        SSLSession serverSide = upgraded.get(30, TimeUnit.SECONDS);
        assertThat(serverSide.getSessionContext()).as("the handshake ran on the context built at start")
                .isSameAs(built.context().sessionContext());

        try (SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", implicit)) {
            tls.setSoTimeout(30_000);
            tls.startHandshake();
            assertThat(reader(tls).readLine()).isEqualTo("READY");
            assertThat(tls.getSession().getProtocol()).startsWith("TLSv1.");
        }
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
