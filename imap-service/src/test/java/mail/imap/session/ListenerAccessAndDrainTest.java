package mail.imap.session;

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
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.InfraTestResource;
import mail.testsupport.ProxyHeaders;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The STARTTLS listener behind a load balancer sending PROXY headers (written here byte by byte): allow and deny
 * judge the proxied client, refused ones hear BYE; and at shutdown (last, it ends this service) the shutdown delay
 * turns readiness DOWN while clients are still greeted, then the drain says BYE to an IDLE-ing session, an idle one
 * and a new one.
 */
@QuarkusTest
@TestProfile(ListenerAccessAndDrainTest.BehindProxy.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ListenerAccessAndDrainTest {
    private static final String USER = "imap-drain@example.test";
    private static final String PASSWORD = "imap-Drain-123";

    public static final class BehindProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InfraTestResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mail.imap.listener.proxy-protocol", "true",
                    "mail.imap.listener.allow", "198.51.100.0/24,2001:db8::/32",
                    "mail.imap.listener.deny", "198.51.100.128/25,2001:db8:bad::/48");
        }
    }

    @Inject
    ImapServer server;
    @Inject
    MailStore store;
    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdownDelay;

    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(int port, byte[] header) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            if (header != null) {
                out.write(header);
                out.flush();
            }
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

    @Test
    @Order(1)
    void allowedProxiedClientsAreGreetedOverV2AndV1() throws Exception {
        try (Client c = new Client(server.port(), ProxyHeaders.v2("198.51.100.5", 40000, "192.0.2.143", 143))) {
            assertThat(c.line()).startsWith("* OK ");
            assertThat(c.command("a1 NOOP")).isEqualTo("a1 OK NOOP completed");
        }
        try (Client c = new Client(server.port(), ProxyHeaders.v1("2001:db8::5", 40000, "2001:db8::143", 143))) {
            assertThat(c.line()).startsWith("* OK ");
        }
    }

    @Test
    @Order(2)
    void deniedAndNotAllowedProxiedClientsHearByeAndAreClosed() throws Exception {
        for (byte[] header : List.of(ProxyHeaders.v2("198.51.100.200", 40000, "192.0.2.143", 143), ProxyHeaders.v2("192.0.2.77", 40000, "192.0.2.143", 143),
                ProxyHeaders.v1("2001:db8:bad::1", 40000, "2001:db8::143", 143), ProxyHeaders.v1("2001:db9::1", 40000, "2001:db8::143", 143))) {
            try (Client c = new Client(server.port(), header)) {
                assertThat(c.line()).isEqualTo("* BYE Access denied for your network");
                assertThat(c.line()).isNull();
            }
        }
        // the TCP peer is loopback, which the allow list does not name: only the proxied address counts
        try (Client c = new Client(server.port(), "a1 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(c.line()).isNull();
        }
    }

    @Test
    @Order(3)
    void theShutdownDelayTurnsReadinessDownThenTheDrainSaysByeToIdlingIdleAndNewSessions() throws Exception {
        TestAccounts.prepare(server, store, PASSWORD, List.of(TestAccounts.account(USER, "acc-imap-drain")));
        // SIGTERM with quarkus.shutdown.delay set: readiness DOWN at once while the listener still greets
        shutdownDelay.fire(new ShutdownDelayInitiatedEvent());
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'imap-listeners' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'imap-listeners' }.data.state", equalTo("leaving"));
        assertThat(server.draining()).isFalse();
        try (Client c = new Client(server.port(), ProxyHeaders.v2("198.51.100.8", 40000, "192.0.2.143", 143))) {
            assertThat(c.line()).startsWith("* OK ");
            assertThat(c.command("a1 NOOP")).isEqualTo("a1 OK NOOP completed");
        }
        // then the drain
        try (TestImapClient idling = TestImapClient.login(server.tlsPort(), USER, PASSWORD);
             Client idle = new Client(server.port(), ProxyHeaders.v2("198.51.100.6", 40000, "192.0.2.143", 143))) {
            idling.ok("SELECT INBOX");
            idling.write("i1 IDLE\r\n");
            assertThat(idling.readLine()).isEqualTo("+ idling");
            assertThat(idle.line()).startsWith("* OK ");

            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> server.drain(Duration.ofSeconds(60)));
            assertThat(idling.readLine()).startsWith("* BYE ").contains("shutting down");
            assertThat(idling.readLine()).isNull();
            assertThat(idle.line()).startsWith("* BYE ").contains("shutting down");
            assertThat(idle.line()).isNull();
            assertThat(server.draining()).isTrue();
            given().get("/q/health/ready").then().statusCode(503);
            try (Client late = new Client(server.port(), ProxyHeaders.v2("198.51.100.7", 40000, "192.0.2.143", 143))) {
                assertThat(late.line()).startsWith("* BYE ").contains("shutting down");
                assertThat(late.line()).isNull();
            }
            assertThat(drain.get(60, TimeUnit.SECONDS)).isZero();
        }
    }
}
