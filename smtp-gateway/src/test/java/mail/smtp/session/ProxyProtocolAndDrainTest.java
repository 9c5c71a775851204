package mail.smtp.session;

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
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mail.core.blob.BlobStore;
import mail.core.event.MailReceived;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.ProxyHeaders;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The MX behind a load balancer that sends PROXY protocol headers (written here byte by byte, v2 and v1): the client
 * named in the header is the one in the event and the Received: field; denied networks get 554 5.7.1; the shutdown
 * delay turns readiness DOWN while sessions are still greeted; and the drain (last, it ends this gateway's service)
 * lets a message in DATA finish while idle and new sessions hear 421 4.3.2.
 */
@QuarkusTest
@TestProfile(ProxyProtocolAndDrainTest.BehindProxy.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyProtocolAndDrainTest {

    public static final class BehindProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InfraTestResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mail.smtp.mx.proxy-protocol", "true",
                    "mail.smtp.mx.deny", "203.0.113.0/24,2001:db8:bad::/48",
                    // the submission listener takes no PROXY header: the test's own loopback address is denied there
                    "mail.smtp.submission.deny", "127.0.0.0/8");
        }
    }

    @Inject
    SmtpServer server;
    @Inject
    BlobStore blobs;
    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdownDelay;

    /** A line client that may start with a PROXY header. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(int port, byte[] header) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
            if (header != null) {
                out.write(header);
                out.flush();
            }
        }

        /** One whole reply (continuation lines joined), or null once the server has closed. */
        String reply() throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                String l = in.readLine();
                if (l == null) {
                    return b.length() == 0 ? null : b.toString();
                }
                b.append(l);
                if (l.length() < 4 || l.charAt(3) != '-') {
                    return b.toString();
                }
                b.append('\n');
            }
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        String command(String line) throws IOException {
            send(line);
            return reply();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private void sendMessage(Client c, String sender) throws IOException {
        assertThat(c.reply()).startsWith("220 ");
        assertThat(c.command("EHLO proxied.example.net")).startsWith("250");
        assertThat(c.command("MAIL FROM:<" + sender + ">")).startsWith("250");
        assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250");
        assertThat(c.command("DATA")).startsWith("354");
        c.send("Subject: behind a proxy");
        c.send("");
        c.send("body");
        assertThat(c.command(".")).startsWith("250 2.0.0");
        assertThat(c.command("QUIT")).startsWith("221");
    }

    private String stored(MailReceived e) throws IOException {
        try (InputStream in = blobs.get(e.message())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static MailReceived event(String sender) {
        List<MailReceived> events = SmtpTestSupport.received(e -> sender.equals(e.envelope().reversePath()), 1,
                Duration.ofSeconds(30));
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    @Test
    @Order(1)
    void aProxyV2HeaderMakesTheProxiedClientTheOneInTheEventAndTheReceivedField() throws Exception {
        SmtpTestSupport.publishDirectory(server);
        String sender = "v2-" + UUID.randomUUID() + "@example.net";
        try (Client c = new Client(server.port(Listener.MX), ProxyHeaders.v2("198.51.100.23", 40123, "192.0.2.25", 25))) {
            sendMessage(c, sender);
        }
        MailReceived e = event(sender);
        assertThat(e.connection().clientIp()).isEqualTo("198.51.100.23");
        assertThat(stored(e)).startsWith("Received: from proxied.example.net").contains("[198.51.100.23]")
                .doesNotContain("127.0.0.1");
    }

    @Test
    @Order(2)
    void aProxyV1HeaderWithAnIpv6ClientWorksTheSameWay() throws Exception {
        SmtpTestSupport.publishDirectory(server);
        String sender = "v1-" + UUID.randomUUID() + "@example.net";
        try (Client c = new Client(server.port(Listener.MX), ProxyHeaders.v1("2001:db8:25::7", 40000, "2001:db8::25", 25))) {
            sendMessage(c, sender);
        }
        MailReceived e = event(sender);
        assertThat(InetAddress.getByName(e.connection().clientIp())).isEqualTo(InetAddress.getByName("2001:db8:25::7"));
        assertThat(stored(e)).containsIgnoringCase("IPv6:2001:db8:25:");
    }

    @Test
    @Order(3)
    void aClientWithoutTheHeaderIsClosedWithoutAGreeting() throws Exception {
        try (Client c = new Client(server.port(Listener.MX), "EHLO direct.example.net\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(c.reply()).isNull();
        }
    }

    @Test
    @Order(4)
    void deniedNetworksGet554AndAreClosed() throws Exception {
        try (Client c = new Client(server.port(Listener.MX), ProxyHeaders.v2("203.0.113.9", 40000, "192.0.2.25", 25))) {
            assertThat(c.reply()).startsWith("554 5.7.1 ");
            assertThat(c.reply()).isNull();
        }
        try (Client c = new Client(server.port(Listener.MX), ProxyHeaders.v1("2001:db8:bad::9", 40000, "2001:db8::25", 25))) {
            assertThat(c.reply()).startsWith("554 5.7.1 ");
            assertThat(c.reply()).isNull();
        }
        try (Client c = new Client(server.port(Listener.SUBMISSION), null)) {
            assertThat(c.reply()).startsWith("554 5.7.1 ");
            assertThat(c.reply()).isNull();
        }
        // a denied connection counts towards no limit and leaves no session behind
        assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void theShutdownDelayTurnsReadinessDownWhileTheListenersStillGreet() throws Exception {
        // what Quarkus fires on SIGTERM when quarkus.shutdown.delay is set, before the drain starts
        shutdownDelay.fire(new ShutdownDelayInitiatedEvent());
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'smtp-listeners' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'smtp-listeners' }.data.state", equalTo("leaving"));
        assertThat(server.draining()).isFalse();
        try (Client c = new Client(server.port(Listener.MX), ProxyHeaders.v2("198.51.100.30", 40000, "192.0.2.25", 25))) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO leaving.example.net")).startsWith("250");
            assertThat(c.command("QUIT")).startsWith("221");
        }
    }

    @Test
    @Order(6)
    void drainFinishesTheMessageInDataSaysGoodbyeToIdleSessionsAndTurnsNewOnesAway() throws Exception {
        SmtpTestSupport.publishDirectory(server);
        String sender = "drain-" + UUID.randomUUID() + "@example.net";
        int port = server.port(Listener.MX);
        try (Client idle = new Client(port, ProxyHeaders.v2("198.51.100.40", 40000, "192.0.2.25", 25));
             Client busy = new Client(port, ProxyHeaders.v2("198.51.100.41", 40000, "192.0.2.25", 25))) {
            assertThat(idle.reply()).startsWith("220 ");
            assertThat(idle.command("EHLO idle.example.net")).startsWith("250");
            assertThat(busy.reply()).startsWith("220 ");
            assertThat(busy.command("EHLO busy.example.net")).startsWith("250");
            assertThat(busy.command("MAIL FROM:<" + sender + ">")).startsWith("250");
            assertThat(busy.command("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(busy.command("DATA")).startsWith("354");
            busy.send("Subject: sent while the gateway drains");
            busy.send("");

            CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> server.drain(Duration.ofSeconds(60)));
            assertThat(idle.reply()).startsWith("421 4.3.2 ");
            assertThat(idle.reply()).isNull();
            assertThat(server.draining()).isTrue();
            given().get("/q/health/ready").then().statusCode(503);

            try (Client late = new Client(port, ProxyHeaders.v2("198.51.100.42", 40000, "192.0.2.25", 25))) {
                assertThat(late.reply()).startsWith("421 4.3.2 ");
                assertThat(late.reply()).isNull();
            }

            busy.send("the rest of the body");
            assertThat(busy.command(".")).startsWith("250 2.0.0");
            assertThat(busy.command("MAIL FROM:<" + sender + ">")).startsWith("421 4.3.2 ");
            assertThat(busy.reply()).isNull();
            assertThat(drain.get(60, TimeUnit.SECONDS)).isZero();
        }
        MailReceived e = event(sender);
        assertThat(e.connection().clientIp()).isEqualTo("198.51.100.41");
        assertThat(stored(e)).endsWith("Subject: sent while the gateway drains\r\n\r\nthe rest of the body\r\n");
    }
}
