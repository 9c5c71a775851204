package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.RestartableS3;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.Test;

/** The object store goes down mid-session: the message gets 451 and leaves no event; after it returns, mail flows again. */
@QuarkusTest
@TestProfile(StoreOutageTest.PrivateS3.class)
class StoreOutageTest {

    public static final class PrivateS3 implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartableS3.class));
        }
    }

    @Inject
    SmtpServer server;

    private static String conversation(String sender, String finalReply) {
        return String.join("\n",
                "S: 220 *",
                "C: HELO outage.example.net",
                "S: 250 *",
                "C: MAIL FROM:<" + sender + ">",
                "S: 250 2.1.0 *",
                "C: RCPT TO:<alice@example.test>",
                "S: 250 2.1.5 *",
                "C: DATA",
                "S: 354 *",
                "C: Subject: outage test",
                "C:",
                "C: body",
                "C: .",
                "S: " + finalReply,
                "C: QUIT",
                "S: 221 *");
    }

    @Test
    void storeDownMeans451AndNoEventThenRecovery() throws Exception {
        SmtpTestSupport.publishDirectory(server);
        int port = server.port(Listener.MX);
        String before = "before-" + UUID.randomUUID() + "@example.net";
        Transcript.parse("before", conversation(before, "250 2.0.0 Ok: queued as *")).run("127.0.0.1", port);

        RestartableS3.down();
        String during = "during-" + UUID.randomUUID() + "@example.net";
        Transcript.parse("during", conversation(during, "451 4.3.0 *")).run("127.0.0.1", port);

        RestartableS3.up();
        String after = "after-" + UUID.randomUUID() + "@example.net";
        Transcript.parse("after", conversation(after, "250 2.0.0 Ok: queued as *")).run("127.0.0.1", port);

        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(before), 1, Duration.ofSeconds(30))).hasSize(1);
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(after), 1, Duration.ofSeconds(30))).hasSize(1);
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(during), 1, Duration.ofSeconds(5))).isEmpty();
    }
}
