package mail.smtp.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.LogCapture;
import mail.testsupport.SharedInfra;
import mail.testsupport.TrustingTls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of SMTP sessions, over real sockets against the real Keycloak: commands by verb and replies
 * by code on /q/metrics, connections per listener, and log lines that carry the session id and never a credential.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class SmtpObservabilityTest {
    private static final String USER = "obs-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    private static final String PASSWORD = "Obs-Secret-" + UUID.randomUUID().toString().substring(0, 8);
    private static boolean prepared;

    private static final String OPEN_MX = "mail_connections_current{listener=\"SMTP MX\",protocol=\"smtp\"}";

    @Inject
    SmtpServer server;

    @BeforeEach
    void prepare() throws Exception {
        if (!prepared) {
            SmtpTestSupport.publishDirectory(server);
            new KeycloakUsers(SharedInfra.require("keycloak")).ensureMailUser(USER, PASSWORD);
            prepared = true;
        }
    }

    @Test
    void commandsRepliesAndConnectionsAreCountedWithBoundedTags() throws Exception {
        Metrics before = Metrics.scrape();
        try (Client c = Client.connect(server.port(Listener.MX), false)) {
            assertThat(c.greeting).startsWith("220");
            assertThat(c.command("EHLO client.example.net")).startsWith("250");
            assertThat(c.command("NOOP")).startsWith("250");
            // made-up verbs share one series, whatever they are
            assertThat(c.command("XYZZY-" + UUID.randomUUID())).startsWith("500");
            assertThat(c.command("FROB")).startsWith("500");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("503");
            assertThat(Metrics.scrape().values().get(OPEN_MX)).as("this connection is open").isNotNull().isGreaterThanOrEqualTo(1.0);
            assertThat(c.command("QUIT")).startsWith("221");
        }
        double openBefore = before.values().getOrDefault(OPEN_MX, 0.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.scrape().values().getOrDefault(OPEN_MX, -1.0) <= openBefore);
        Metrics after = Metrics.scrape();
        assertThat(after.delta(before, "mail_smtp_commands_total{command=\"EHLO\"}")).isEqualTo(1);
        assertThat(after.delta(before, "mail_smtp_commands_total{command=\"NOOP\"}")).isEqualTo(1);
        assertThat(after.delta(before, "mail_smtp_commands_total{command=\"RCPT\"}")).isEqualTo(1);
        assertThat(after.delta(before, "mail_smtp_commands_total{command=\"other\"}")).isEqualTo(2);
        assertThat(after.delta(before, "mail_smtp_replies_total{class=\"2xx\",code=\"220\"}")).isEqualTo(1);
        assertThat(after.delta(before, "mail_smtp_replies_total{class=\"5xx\",code=\"500\"}")).isEqualTo(2);
        assertThat(after.delta(before, "mail_smtp_replies_total{class=\"5xx\",code=\"503\"}")).isEqualTo(1);
        assertThat(after.delta(before, "mail_smtp_replies_total{class=\"2xx\",code=\"221\"}")).isEqualTo(1);
        assertThat(after.delta(before,
                "mail_connections_total{listener=\"SMTP MX\",outcome=\"accepted\",protocol=\"smtp\"}")).isEqualTo(1);
        assertThat(after.names()).noneMatch(n -> n.contains("XYZZY") || n.contains("FROB"));
    }

    @Test
    void authLogsNeitherThePasswordNorItsBase64AndSessionLinesCarryTheSessionId() throws Exception {
        String plain = Base64.getEncoder().encodeToString(("\u0000" + USER + "\u0000" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String wrongPlain = Base64.getEncoder().encodeToString(("\u0000" + USER + "\u0000" + PASSWORD + "x").getBytes(StandardCharsets.UTF_8));
        String loginUser = Base64.getEncoder().encodeToString(USER.getBytes(StandardCharsets.UTF_8));
        String loginPass = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        List<LogCapture.Line> lines;
        try (LogCapture capture = new LogCapture("mail.smtp", "mail.protocol", "mail.core")) {
            try (Client c = Client.connect(server.port(Listener.SUBMISSIONS), true)) {
                assertThat(c.command("EHLO client.example.net")).startsWith("250");
                assertThat(c.command("AUTH PLAIN " + wrongPlain)).startsWith("535");
                assertThat(c.command("AUTH PLAIN " + plain)).startsWith("235");
                // a message, so that the session logs its acceptance (DEBUG) with the message and the account
                assertThat(c.command("MAIL FROM:<" + USER + ">")).isNotNull();
                assertThat(c.command("QUIT")).startsWith("221");
            }
            try (Client c = Client.connect(server.port(Listener.SUBMISSIONS), true)) {
                assertThat(c.command("EHLO client.example.net")).startsWith("250");
                assertThat(c.command("AUTH LOGIN")).startsWith("334");
                assertThat(c.command(loginUser)).startsWith("334");
                assertThat(c.command(loginPass)).startsWith("235");
                assertThat(c.command("QUIT")).startsWith("221");
            }
            // a message over the MX: its acceptance is logged (DEBUG) on the session's thread
            String queued;
            try (Client c = Client.connect(server.port(Listener.MX), false)) {
                assertThat(c.command("EHLO client.example.net")).startsWith("250");
                assertThat(c.command("MAIL FROM:<someone@remote.example>")).startsWith("250");
                assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                queued = c.command("Subject: observability\r\n\r\nhello\r\n.");
                assertThat(queued).startsWith("250");
                assertThat(c.command("QUIT")).startsWith("221");
            }
            String id = queued.substring(queued.lastIndexOf(' ') + 1);
            lines = capture.lines();
            assertThat(lines).anySatisfy(l -> {
                assertThat(l.text()).startsWith("accepted " + id);
                assertThat(l.mdc()).containsEntry("messageId", id).containsKey("sessionId");
            });
        }
        assertThat(lines).isNotEmpty();
        for (LogCapture.Line l : lines) {
            String all = l.text() + " " + l.mdc();
            assertThat(all).doesNotContain(PASSWORD).doesNotContain(plain).doesNotContain(wrongPlain).doesNotContain(loginPass);
        }
        // the session's own lines (logged on its worker threads) carry its id
        List<LogCapture.Line> session = lines.stream().filter(l -> l.thread().startsWith("smtp-worker-")).toList();
        assertThat(session).isNotEmpty();
        assertThat(session).allSatisfy(l -> assertThat(l.mdc().get("sessionId")).matches("[0-9a-f]{12}"));
    }

    /** A line client over plain TCP or implicit TLS. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;
        final String greeting;

        private Client(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = socket.getOutputStream();
            greeting = reply();
        }

        static Client connect(int port, boolean tls) throws Exception {
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            if (!tls) {
                return new Client(plain);
            }
            SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            return new Client(s);
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return reply();
        }

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

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** /q/metrics as series name with labels -> value. */
    private record Metrics(java.util.Map<String, Double> values) {
        static Metrics scrape() {
            String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
            java.util.Map<String, Double> m = new java.util.HashMap<>();
            for (String line : body.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                // OpenMetrics: "name{labels} value" optionally followed by " # {exemplar} ..."
                String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
                int sp = sample.lastIndexOf(' ');
                m.put(sample.substring(0, sp), Double.parseDouble(sample.substring(sp + 1)));
            }
            return new Metrics(m);
        }

        double delta(Metrics before, String series) {
            return values.getOrDefault(series, 0.0) - before.values.getOrDefault(series, 0.0);
        }

        boolean has(String series) {
            return values.containsKey(series);
        }

        java.util.Set<String> names() {
            return values.keySet();
        }
    }
}
