package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mail.core.event.MailReceived;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The open-relay suite (issue 9): every classic trick to make an MX relay, unauthenticated, over a real socket, and the
 * submission listeners refusing mail without TLS and AUTH.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class OpenRelayTest {
    @Inject
    SmtpServer server;

    private static boolean directoryPublished;

    @BeforeEach
    void directory() throws Exception {
        if (!directoryPublished) {
            SmtpTestSupport.publishDirectory(server);
            directoryPublished = true;
        }
    }

    @Test
    void everyClassicRelayTrickIsRefusedAndOnlyTheLocalRecipientGetsTheMessage() {
        Transcript.load(Path.of("src/test/resources/transcripts", "mx-open-relay.txt")).run("127.0.0.1", server.port(Listener.MX));
        List<MailReceived> events = SmtpTestSupport.received(e -> "alice@example.test".equals(e.envelope().reversePath())
                && e.connection().heloName().equals("relay-tester.example.net"), 1, Duration.ofSeconds(30));
        assertThat(events).singleElement().satisfies(e ->
                assertThat(e.envelope().recipients()).extracting(r -> r.address()).containsExactly("alice@example.test"));
    }

    @Test
    void theSubmissionListenersRelayNothingWithoutTlsAndAuthentication() {
        Transcript.parse("submission without TLS", """
                S: 220 *
                C: HELO relay-tester.example.net
                S: 250 *
                C: MAIL FROM:<alice@example.test>
                S: 530 5.7.0 *
                C: RCPT TO:<victim@elsewhere.example>
                S: 5* *
                C: AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABwYXNz
                S: 5* *
                C: QUIT
                S: 221 *
                CLOSED
                """).run("127.0.0.1", server.port(Listener.SUBMISSION));
    }
}
