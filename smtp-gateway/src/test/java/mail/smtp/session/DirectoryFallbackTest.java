package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import mail.smtp.directory.DirectoryServiceClient;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.Test;

/**
 * RCPT and sender checks while the directory cache is not loaded (held off for this test): answered through
 * directory-service's lookup API with a real client-credentials token, cached briefly, and 451 4.4.3 when
 * directory-service cannot be reached or is too slow, never accepting an unknown local recipient.
 */
@QuarkusTest
@QuarkusTestResource(value = LookupServerResource.class, restrictToAnnotatedClass = true)
class DirectoryFallbackTest {
    private static final String D = LookupServer.DOMAIN;

    @Inject
    SmtpServer server;

    private DirectoryServiceClient client() {
        return server.lookupClient().orElseThrow();
    }

    private void mx(String name, String... lines) {
        Transcript.parse(name, String.join("\n", "S: 220 *", "C: EHLO fallback.example.net", "S~ 250-.*",
                "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*",
                "S~ 250 .*", String.join("\n", lines), "C: QUIT", "S: 221 *")).run("127.0.0.1", server.port(Listener.MX));
    }

    @Test
    void recipientsAreCheckedThroughDirectoryServiceWhileTheCacheIsNotLoaded() {
        assertThat(server.directoryLoaded()).isFalse();
        String sender = "fb-" + UUID.randomUUID() + "@example.net";
        mx("fallback rcpt",
                "C: MAIL FROM:<" + sender + ">", "S: 250 2.1.0 *",
                "C: RCPT TO:<alice@" + D + ">", "S: 250 2.1.5 *",
                "C: RCPT TO:<Alice+news@fallback-alias.test>", "S: 250 2.1.5 *",
                "C: RCPT TO:<nobody@" + D + ">", "S: 550 5.1.1 *",
                "C: RCPT TO:<info@" + D + ">", "S: 250 2.1.5 *",
                "C: RCPT TO:<team@" + D + ">", "S: 250 2.1.5 *",
                "C: RCPT TO:<carol@" + D + ">", "S: 550 5.2.1 *",
                "C: RCPT TO:<empty@" + D + ">", "S: 550 5.1.1 *",
                "C: RCPT TO:<someone@elsewhere.example>", "S: 554 5.7.1 *",
                "C: DATA", "S: 354 *",
                "C: Subject: fallback", "C:", "C: accepted while the cache loads", "C: .",
                "S: 250 2.0.0 Ok: queued as *");
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(sender), 1, Duration.ofSeconds(30)))
                .singleElement().satisfies(e -> assertThat(e.envelope().recipients()).extracting(r -> r.address())
                        .containsExactly("alice@" + D, "Alice+news@fallback-alias.test", "info@" + D, "team@" + D));
    }

    @Test
    void answersAndTheServiceTokenAreCached() {
        mx("warm", "C: MAIL FROM:<warm@example.net>", "S: 250 *",
                "C: RCPT TO:<bob@" + D + ">", "S: 250 2.1.5 *",
                "C: RCPT TO:<ghost@" + D + ">", "S: 550 5.1.1 *", "C: RSET", "S: 250 *");
        int before = LookupServerResource.server.requests();
        mx("cached", "C: MAIL FROM:<cached@example.net>", "S: 250 *",
                "C: RCPT TO:<BOB@" + D + ">", "S: 250 2.1.5 *",
                "C: RCPT TO:<ghost@" + D + ">", "S: 550 5.1.1 *", "C: RSET", "S: 250 *");
        assertThat(LookupServerResource.server.requests()).isEqualTo(before);
        // one token for all lookups so far, and it carried realm role mail-service (the server checked)
        assertThat(client().tokensFetched()).isEqualTo(1);
        assertThat(LookupServerResource.server.tokensSeen()).hasSize(1);
    }

    @Test
    void directoryServiceDownOrTooSlowMeans451AndNeverAnAcceptedUnknownRecipient() throws Exception {
        LookupServerResource.server.stop();
        try {
            mx("down", "C: MAIL FROM:<down@example.net>", "S: 250 *",
                    "C: RCPT TO:<down-unknown-" + UUID.randomUUID() + "@" + D + ">", "S: 451 4.4.3 *",
                    "C: RCPT TO:<not-cached-" + UUID.randomUUID() + "@" + D + ">", "S: 451 4.4.3 *",
                    "C: DATA", "S: 554 5.5.1 *", "C: RSET", "S: 250 *");
        } finally {
            LookupServerResource.server.start();
        }
        LookupServerResource.server.hang(true);
        try {
            mx("slow", "C: MAIL FROM:<slow@example.net>", "S: 250 *",
                    "C: RCPT TO:<slow-" + UUID.randomUUID() + "@" + D + ">", "S: 451 4.4.3 *", "C: RSET", "S: 250 *");
        } finally {
            LookupServerResource.server.hang(false);
        }
        // failures are not cached: once directory-service answers, so does the gateway
        String back = "back-" + UUID.randomUUID() + "@" + D;
        mx("back", "C: MAIL FROM:<back@example.net>", "S: 250 *",
                "C: RCPT TO:<" + back + ">", "S: 550 5.1.1 *",
                "C: RCPT TO:<alice@" + D + ">", "S: 250 2.1.5 *", "C: RSET", "S: 250 *");
    }

    @Test
    void submissionSendersAreCheckedThroughDirectoryServiceToo() throws Exception {
        String password = "Fallback-alice-1";
        new KeycloakUsers(SharedInfra.require("keycloak")).ensureMailUser("alice@" + D, password);
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(server.port(Listener.SUBMISSION)));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.timeout", "20000");
        Session s = Session.getInstance(p);
        String subject = "fallback submission " + UUID.randomUUID();
        try (Transport t = s.getTransport("smtp")) {
            t.connect("alice@" + D, password);
            t.sendMessage(message(s, "info@" + D, subject), new InternetAddress[] {new InternetAddress("bob@" + D)});
            assertThatThrownBy(() -> t.sendMessage(message(s, "bob@" + D, "spoof"), new InternetAddress[] {new InternetAddress("bob@" + D)}))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("553");
        }
        assertThat(SmtpTestSupport.received(e -> ("info@" + D).equals(e.envelope().reversePath()), 1, Duration.ofSeconds(30)))
                .isNotEmpty();
    }

    private static MimeMessage message(Session s, String from, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(from));
        m.addRecipient(Message.RecipientType.TO, new InternetAddress("bob@" + D));
        m.setSubject(subject);
        m.setText("Sent while the directory cache loads.\n");
        return m;
    }
}
