package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.RestartableKafka;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.Test;

/**
 * Kafka goes down mid-session: the message gets 451 once the publish has failed for sure, the session goes on, and
 * no event appears later; after the broker returns, mail flows again on the same gateway.
 */
@QuarkusTest
@TestProfile(KafkaOutageTest.PrivateKafka.class)
class KafkaOutageTest {

    public static final class PrivateKafka implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartableKafka.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // the 451 must come before the test profile's 5 s idle timeout; production keeps 30 s / 40 s
            return Map.of("mail.kafka.delivery-timeout", "3s", "mail.smtp.handoff-timeout", "6s");
        }
    }

    @Inject
    SmtpServer server;

    private static String message(String sender, String finalReply, String afterwards) {
        return String.join("\n",
                "C: MAIL FROM:<" + sender + ">",
                "S: 250 2.1.0 *",
                "C: RCPT TO:<alice@example.test>",
                "S: 250 2.1.5 *",
                "C: DATA",
                "S: 354 *",
                "C: Subject: kafka outage test",
                "C:",
                "C: body",
                "C: .",
                "S: " + finalReply,
                afterwards);
    }

    @Test
    void kafkaDownMeans451AndNoEventThenRecovery() throws Exception {
        SmtpTestSupport.publishDirectory(server);
        int port = server.port(Listener.MX);
        String before = "before-" + UUID.randomUUID() + "@example.net";
        Transcript.parse("before", String.join("\n", "S: 220 *", "C: HELO outage.example.net", "S: 250 *",
                message(before, "250 2.0.0 Ok: queued as *", "C: QUIT\nS: 221 *"))).run("127.0.0.1", port);

        RestartableKafka.down();
        String during = "during-" + UUID.randomUUID() + "@example.net";
        // the session survives the failure: RSET and NOOP still answer, the client may simply retry later
        Transcript.parse("during", String.join("\n", "S: 220 *", "C: HELO outage.example.net", "S: 250 *",
                message(during, "451 4.3.0 *", "C: RSET\nS: 250 *\nC: NOOP\nS: 250 *\nC: QUIT\nS: 221 *"))).run("127.0.0.1", port);

        RestartableKafka.up();
        String after = "after-" + UUID.randomUUID() + "@example.net";
        awaitAccepted(port, after);

        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(before), 1, Duration.ofSeconds(30))).hasSize(1);
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(after), 1, Duration.ofSeconds(30))).hasSize(1);
        // read from the beginning, after the broker is back: the refused message did not slip through late
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(during), 1, Duration.ofSeconds(5))).isEmpty();
    }

    /** The producer needs a moment to reconnect after the broker is back; until then the answer is 451, never a loss. */
    private static void awaitAccepted(int port, String sender) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        AssertionError last = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                Transcript.parse("after", String.join("\n", "S: 220 *", "C: HELO outage.example.net", "S: 250 *",
                        message(sender, "250 2.0.0 Ok: queued as *", "C: QUIT\nS: 221 *"))).run("127.0.0.1", port);
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(1000);
            }
        }
        throw last;
    }
}
