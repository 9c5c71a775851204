package mail.imap.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.InfraTestResource;
import mail.testsupport.LogCapture;
import org.junit.jupiter.api.Test;

/**
 * IMAP as an operator sees it, over real sockets against the real Keycloak: commands by name and tagged replies by
 * status on /q/metrics, and log lines that carry the session id (and the account after login) and never the password.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class ImapObservabilityTest {
    private static final String PASSWORD = "Imap-Obs-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    ImapServer server;

    @Inject
    MailStore store;

    @Test
    void loginLogsNoPasswordSessionLinesCarryTheirIdsAndCommandsAreCounted() throws Exception {
        String address = "obs-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        TestAccounts.prepare(server, store, PASSWORD, List.of(TestAccounts.account(address, "acc-" + address)));
        Map<String, Double> before = scrape();
        List<LogCapture.Line> lines;
        try (LogCapture capture = new LogCapture("mail.imap", "mail.protocol", "mail.core")) {
            try (TestImapClient c = new TestImapClient(server.tlsPort())) {
                assertThat(last(c.send("LOGIN \"" + address + "\" \"" + PASSWORD + "x\""))).contains(" NO ");
                assertThat(last(c.send("LOGIN \"" + address + "\" \"" + PASSWORD + "\""))).contains(" OK ");
                assertThat(last(c.send("FROBNICATE-" + UUID.randomUUID()))).contains(" BAD ");
                assertThat(last(c.send("NOOP"))).contains(" OK ");
                assertThat(last(c.send("SELECT INBOX"))).contains(" OK ");
                assertThat(last(c.send("LOGOUT"))).contains(" OK ");
            }
            lines = capture.lines();
        }
        String b64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
        assertThat(lines).isNotEmpty().allSatisfy(l ->
                assertThat(l.text() + " " + l.mdc()).doesNotContain(PASSWORD).doesNotContain(b64));
        List<LogCapture.Line> session = lines.stream().filter(l -> l.thread().startsWith("imap-worker-")).toList();
        assertThat(session).isNotEmpty().allSatisfy(l -> assertThat(l.mdc().get("sessionId")).matches("[0-9a-f]{12}"));
        // from the login on, the session's lines name the account
        assertThat(session).anySatisfy(l -> {
            assertThat(l.text()).isEqualTo("logged in");
            assertThat(l.mdc()).containsEntry("account", address);
        });

        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "mail_imap_commands_total{command=\"LOGIN\"}")).isEqualTo(2);
        assertThat(delta(before, after, "mail_imap_commands_total{command=\"other\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_imap_commands_total{command=\"SELECT\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_imap_replies_total{status=\"NO\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_imap_replies_total{status=\"BAD\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_imap_replies_total{status=\"OK\"}")).isEqualTo(4);
        assertThat(delta(before, after, "mail_connections_total{listener=\"IMAPS\",outcome=\"accepted\",protocol=\"imap\"}"))
                .isEqualTo(1);
        assertThat(after.keySet()).noneMatch(k -> k.contains("FROBNICATE"));
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    private static Map<String, Double> scrape() {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> m = new HashMap<>();
        for (String line : body.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                // OpenMetrics: "name{labels} value" optionally followed by " # {exemplar} ..."
                String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
                int sp = sample.lastIndexOf(' ');
                m.put(sample.substring(0, sp), Double.parseDouble(sample.substring(sp + 1)));
            }
        }
        return m;
    }
}
