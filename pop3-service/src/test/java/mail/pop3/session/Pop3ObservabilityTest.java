package mail.pop3.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import mail.pop3.server.Pop3Server;
import mail.testsupport.InfraTestResource;
import mail.testsupport.LogCapture;
import mail.testsupport.TrustingTls;
import org.junit.jupiter.api.Test;

/**
 * POP3 as an operator sees it, over a real TLS socket against the real Keycloak: commands by verb and +OK/-ERR on
 * /q/metrics, and log lines that carry the session id and never the password given to PASS or AUTH PLAIN.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class Pop3ObservabilityTest {

    @Inject
    Pop3Server server;

    @Test
    void passLogsNoPasswordSessionLinesCarryTheirIdAndCommandsAreCounted() throws Exception {
        Pop3TestSupport.TestAccount a = Pop3TestSupport.account(server, "obs");
        Map<String, Double> before = scrape();
        List<LogCapture.Line> lines;
        try (LogCapture capture = new LogCapture("mail.pop3", "mail.protocol", "mail.core")) {
            try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                    server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
                s.setSoTimeout(15_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                assertThat(in.readLine()).startsWith("+OK");
                assertThat(send(in, out, "USER " + a.address())).startsWith("+OK");
                assertThat(send(in, out, "PASS " + Pop3TestSupport.PASSWORD + "x")).startsWith("-ERR");
                assertThat(send(in, out, "AUTH PLAIN " + a.plainB64())).startsWith("+OK");
                assertThat(send(in, out, "FROB-" + UUID.randomUUID())).startsWith("-ERR");
                assertThat(send(in, out, "STAT")).startsWith("+OK");
                assertThat(send(in, out, "QUIT")).startsWith("+OK");
            }
            lines = capture.lines();
        }
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.text() + " " + l.mdc())
                .doesNotContain(Pop3TestSupport.PASSWORD).doesNotContain(a.plainB64()));
        List<LogCapture.Line> session = lines.stream().filter(l -> l.thread().startsWith("pop3-worker-")).toList();
        assertThat(session).isNotEmpty().allSatisfy(l -> assertThat(l.mdc().get("sessionId")).matches("[0-9a-f]{12}"));
        // from the login on, the session's lines name the account
        assertThat(session).anySatisfy(l -> {
            assertThat(l.text()).startsWith("logged in");
            assertThat(l.mdc()).containsEntry("account", a.address());
        });

        Map<String, Double> after = scrape();
        assertThat(delta(before, after, "mail_pop3_commands_total{command=\"USER\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_pop3_commands_total{command=\"PASS\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_pop3_commands_total{command=\"AUTH\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_pop3_commands_total{command=\"other\"}")).isEqualTo(1);
        assertThat(delta(before, after, "mail_pop3_replies_total{status=\"ERR\"}")).isEqualTo(2);
        // greeting, USER, AUTH, STAT, QUIT
        assertThat(delta(before, after, "mail_pop3_replies_total{status=\"OK\"}")).isEqualTo(5);
        assertThat(after.keySet()).noneMatch(k -> k.contains("FROB"));
    }

    private static String send(BufferedReader in, OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
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
