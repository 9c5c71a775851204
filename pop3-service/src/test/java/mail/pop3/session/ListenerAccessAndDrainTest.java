package mail.pop3.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import mail.core.blob.BlobStore;
import mail.pop3.server.Pop3Server;
import mail.pop3.session.Pop3TestSupport.TestAccount;
import mail.store.MailStore;
import mail.store.StoredMessage;
import mail.testsupport.InfraTestResource;
import mail.testsupport.ProxyHeaders;
import mail.testsupport.TrustingTls;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The STLS listener behind a load balancer sending PROXY headers (written here byte by byte): allow and deny judge
 * the proxied client, refused ones hear -ERR; the shutdown delay turns readiness DOWN while clients are still
 * greeted; and the drain (last, it ends this service) ends a session in
 * TRANSACTION without deleting what it marked, and turns idle and new sessions away, with readiness DOWN meanwhile.
 */
@QuarkusTest
@TestProfile(ListenerAccessAndDrainTest.BehindProxy.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListenerAccessAndDrainTest {

    public static final class BehindProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InfraTestResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mail.pop3.listener.proxy-protocol", "true",
                    "mail.pop3.listener.allow", "198.51.100.0/24,2001:db8::/32",
                    "mail.pop3.listener.deny", "198.51.100.128/25,2001:db8:bad::/48");
        }
    }

    @Inject
    Pop3Server server;
    @Inject
    MailStore store;
    @Inject
    BlobStore blobs;
    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdownDelay;

    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(Socket socket, byte[] header) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            if (header != null) {
                out.write(header);
                out.flush();
            }
        }

        Client(int port, byte[] header) throws IOException {
            this(new Socket("127.0.0.1", port), header);
        }

        String line() throws IOException {
            return in.readLine();
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private int plainPort() {
        return server.port(Pop3Server.Listener.PLAIN);
    }

    @Test
    @Order(1)
    void allowedProxiedClientsAreGreetedOverV2AndV1() throws Exception {
        try (Client c = new Client(plainPort(), ProxyHeaders.v2("198.51.100.5", 40000, "192.0.2.110", 110))) {
            assertThat(c.line()).startsWith("+OK ");
            assertThat(c.command("NOOP")).startsWith("-ERR");
            assertThat(c.command("QUIT")).startsWith("+OK");
        }
        try (Client c = new Client(plainPort(), ProxyHeaders.v1("2001:db8::5", 40000, "2001:db8::110", 110))) {
            assertThat(c.line()).startsWith("+OK ");
        }
    }

    @Test
    @Order(2)
    void deniedAndNotAllowedProxiedClientsHearErrAndAreClosed() throws Exception {
        for (byte[] header : List.of(ProxyHeaders.v2("198.51.100.200", 40000, "192.0.2.110", 110), ProxyHeaders.v2("192.0.2.77", 40000, "192.0.2.110", 110),
                ProxyHeaders.v1("2001:db8:bad::1", 40000, "2001:db8::110", 110), ProxyHeaders.v1("2001:db9::1", 40000, "2001:db8::110", 110))) {
            try (Client c = new Client(plainPort(), header)) {
                assertThat(c.line()).isEqualTo("-ERR Access denied for your network");
                assertThat(c.line()).isNull();
            }
        }
        try (Client c = new Client(plainPort(), "CAPA\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(c.line()).isNull();
        }
    }

    @Test
    @Order(3)
    void theShutdownDelayTurnsReadinessDownWhileTheListenerStillGreets() throws Exception {
        // what Quarkus fires on SIGTERM when quarkus.shutdown.delay is set, before the drain starts
        shutdownDelay.fire(new ShutdownDelayInitiatedEvent());
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'pop3-listeners' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'pop3-listeners' }.data.state", equalTo("leaving"));
        assertThat(server.draining()).isFalse();
        try (Client c = new Client(plainPort(), ProxyHeaders.v2("198.51.100.8", 40000, "192.0.2.110", 110))) {
            assertThat(c.line()).startsWith("+OK ");
            assertThat(c.command("QUIT")).startsWith("+OK");
        }
    }

    @Test
    @Order(4)
    void drainEndsATransactionWithoutDeletingAndTurnsIdleAndNewSessionsAway() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "drain");
        StoredMessage m1 = Pop3TestSupport.deliver(store, blobs, a, "Subject: 1\r\n\r\none\r\n");
        Pop3TestSupport.deliver(store, blobs, a, "Subject: 2\r\n\r\ntwo\r\n");
        SSLSocket tls = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                server.port(Pop3Server.Listener.IMPLICIT_TLS));
        tls.startHandshake();
        try (Client transaction = new Client(tls, null);
             Client idle = new Client(plainPort(), ProxyHeaders.v2("198.51.100.6", 40000, "192.0.2.110", 110))) {
            assertThat(transaction.line()).startsWith("+OK ");
            assertThat(transaction.command("AUTH PLAIN " + a.plainB64())).startsWith("+OK Maildrop locked and ready, 2 messages");
            assertThat(transaction.command("DELE 1")).startsWith("+OK");
            assertThat(idle.line()).startsWith("+OK ");

            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> server.drain(Duration.ofSeconds(60)));
            assertThat(transaction.line()).startsWith("-ERR [SYS/TEMP] Server shutting down, nothing deleted");
            assertThat(transaction.line()).isNull();
            assertThat(idle.line()).startsWith("-ERR [SYS/TEMP] Server shutting down");
            assertThat(idle.line()).isNull();
            assertThat(server.draining()).isTrue();
            given().get("/q/health/ready").then().statusCode(503);
            try (Client late = new Client(plainPort(), ProxyHeaders.v2("198.51.100.7", 40000, "192.0.2.110", 110))) {
                assertThat(late.line()).startsWith("-ERR [SYS/TEMP] Server shutting down");
                assertThat(late.line()).isNull();
            }
            assertThat(drain.get(60, TimeUnit.SECONDS)).isZero();
        }
        // no UPDATE state: the message marked deleted is still there
        assertThat(store.messages().list(m1.mailboxId())).hasSize(2);
    }
}
