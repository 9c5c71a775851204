package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;

/**
 * The span of an SMTP transaction, read from the real OpenTelemetry SDK through an in-process exporter: it names the
 * session, the message (the event id), the listener, TLS and the final reply, and nothing a trace backend must not
 * keep: no address of the envelope, no AUTH credential, no content. Real sockets, real Keycloak and Kafka.
 */
@QuarkusTest
@TestProfile(SmtpTransactionSpanTest.Tracing.class)
class SmtpTransactionSpanTest {
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "alice-Secret-123";
    private static final AttributeKey<String> SESSION = AttributeKey.stringKey("mail.session.id");
    private static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("mail.message.id");
    private static final AttributeKey<String> LISTENER = AttributeKey.stringKey("mail.smtp.listener");
    private static final AttributeKey<Boolean> TLS = AttributeKey.booleanKey("mail.smtp.tls");
    private static final AttributeKey<Boolean> AUTHENTICATED = AttributeKey.booleanKey("mail.smtp.authenticated");
    private static final AttributeKey<Long> REPLY = AttributeKey.longKey("mail.smtp.reply.code");

    public static final class Tracing implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(InfraTestResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @Inject
    SmtpServer server;
    @Inject
    InMemorySpanExporter spans;

    @Test
    void theTransactionSpanNamesSessionMessageListenerTlsAndReplyButNoAddressCredentialOrContent() throws Exception {
        SmtpTestSupport.publishDirectory(server);
        new KeycloakUsers(SharedInfra.require("keycloak")).ensureMailUser(USER, PASSWORD);
        String secretSubject = "span-subject-" + UUID.randomUUID();
        String remoteSender = "span-" + UUID.randomUUID().toString().substring(0, 8) + "@remote.example";
        String plain = Base64.getEncoder().encodeToString(("\u0000" + USER + "\u0000" + PASSWORD).getBytes(StandardCharsets.UTF_8));

        String submitted;
        try (LineClient c = LineClient.submitter("127.0.0.1", server.port(Listener.SUBMISSIONS), USER, PASSWORD)) {
            RawSmtp.expect(c.command("MAIL FROM:<" + USER + ">"), "250");
            RawSmtp.expect(c.command("RCPT TO:<bob@example.test>"), "250");
            submitted = RawSmtp.expect(c.data(USER, secretSubject), "250");
            RawSmtp.expect(c.command("QUIT"), "221");
        }
        String received;
        try (LineClient c = LineClient.connect("127.0.0.1", server.port(Listener.MX), false)) {
            RawSmtp.expect(c.command("EHLO client.example.net"), "250");
            RawSmtp.expect(c.command("MAIL FROM:<" + remoteSender + ">"), "250");
            RawSmtp.expect(c.command("RCPT TO:<alice@example.test>"), "250");
            received = RawSmtp.expect(c.data(remoteSender, secretSubject), "250");
            RawSmtp.expect(c.command("QUIT"), "221");
        }
        String submittedId = submitted.substring(submitted.lastIndexOf(' ') + 1);
        String receivedId = received.substring(received.lastIndexOf(' ') + 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> span(submittedId).isPresent() && span(receivedId).isPresent());
        SpanData sub = span(submittedId).orElseThrow();
        assertThat(sub.getAttributes().get(SESSION)).matches("[0-9a-f]{12}");
        assertThat(sub.getAttributes().get(LISTENER)).isEqualTo(Listener.SUBMISSIONS.name());
        assertThat(sub.getAttributes().get(TLS)).isTrue();
        assertThat(sub.getAttributes().get(AUTHENTICATED)).isTrue();
        assertThat(sub.getAttributes().get(REPLY)).isEqualTo(250L);
        SpanData mx = span(receivedId).orElseThrow();
        assertThat(mx.getAttributes().get(SESSION)).matches("[0-9a-f]{12}").isNotEqualTo(sub.getAttributes().get(SESSION));
        assertThat(mx.getAttributes().get(LISTENER)).isEqualTo(Listener.MX.name());
        assertThat(mx.getAttributes().get(TLS)).isFalse();
        assertThat(mx.getAttributes().get(AUTHENTICATED)).isFalse();
        assertThat(mx.getAttributes().get(REPLY)).isEqualTo(250L);

        for (SpanData s : List.of(sub, mx)) {
            assertThat(s.getAttributes().asMap()).isNotEmpty().allSatisfy((key, value) -> assertThat(String.valueOf(value))
                    .as("attribute %s", key)
                    .doesNotContain(USER).doesNotContain("bob@example.test").doesNotContain(remoteSender)
                    .doesNotContain("alice@example.test").doesNotContain(PASSWORD).doesNotContain(plain)
                    .doesNotContain(secretSubject).doesNotContain("rate limit test"));
        }
    }

    private Optional<SpanData> span(String messageId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("smtp transaction") && messageId.equals(s.getAttributes().get(MESSAGE)))
                .findFirst();
    }
}
