package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import mail.core.event.MailReceived;
import mail.core.event.ReceivedProtocol;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authenticated submission with a real client library (Angus Mail) and real Keycloak credentials and tokens. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class SubmissionTest {
    private static final String PASSWORD = "alice-Secret-123";
    private static boolean prepared;

    @Inject
    SmtpServer server;

    @BeforeEach
    void prepare() throws Exception {
        if (!prepared) {
            SmtpTestSupport.publishDirectory(server);
            new KeycloakUsers(SharedInfra.require("keycloak")).ensureMailUser("alice@example.test", PASSWORD);
            prepared = true;
        }
    }

    private Properties props(String protocol, Listener listener) {
        Properties p = new Properties();
        String pre = "mail." + protocol + ".";
        p.put(pre + "host", "127.0.0.1");
        p.put(pre + "port", String.valueOf(server.port(listener)));
        p.put(pre + "auth", "true");
        // the gateway's certificate is the self-signed one generated for local runs
        p.put(pre + "ssl.trust", "*");
        p.put(pre + "ssl.checkserveridentity", "false");
        p.put(pre + "connectiontimeout", "10000");
        p.put(pre + "timeout", "20000");
        if ("smtp".equals(protocol)) {
            p.put(pre + "starttls.enable", "true");
            p.put(pre + "starttls.required", "true");
        }
        return p;
    }

    private static MimeMessage message(Session s, String from, String subject, String... to) throws MessagingException {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(from));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
        }
        m.setSubject(subject);
        m.setText("Hello from the submission test.\n");
        return m;
    }

    @Test
    void starttlsWithAuthPlainDeliversLocallyAndQueuesRemoteRecipients() throws Exception {
        String subject = "starttls " + UUID.randomUUID();
        Session s = Session.getInstance(props("smtp", Listener.SUBMISSION));
        try (Transport t = s.getTransport("smtp")) {
            t.connect("alice@example.test", PASSWORD);
            t.sendMessage(message(s, "alice@example.test", subject, "bob@example.test", "friend@elsewhere.example"),
                    new InternetAddress[] {new InternetAddress("bob@example.test"), new InternetAddress("friend@elsewhere.example")});
        }
        MailReceived e = SmtpTestSupport.received(x -> "alice@example.test".equals(x.envelope().reversePath())
                && x.envelope().recipients().stream().anyMatch(r -> r.address().equals("friend@elsewhere.example")), 1, Duration.ofSeconds(30)).get(0);
        assertThat(e.connection().authenticatedUser()).isEqualTo("alice@example.test");
        assertThat(e.connection().protocol()).isEqualTo(ReceivedProtocol.ESMTPSA);
        assertThat(e.connection().tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
        assertThat(e.envelope().recipients()).extracting(r -> r.address()).containsExactly("bob@example.test", "friend@elsewhere.example");
    }

    @Test
    void implicitTlsWithXoauth2AndARealKeycloakToken() throws Exception {
        String token = new KeycloakUsers(SharedInfra.require("keycloak")).accessToken("alice@example.test", PASSWORD);
        Properties p = props("smtps", Listener.SUBMISSIONS);
        p.put("mail.smtps.auth.mechanisms", "XOAUTH2");
        Session s = Session.getInstance(p);
        String subject = "xoauth2 " + UUID.randomUUID();
        try (Transport t = s.getTransport("smtps")) {
            t.connect("alice@example.test", token);
            t.sendMessage(message(s, "alice@example.test", subject, "bob@example.test"), new InternetAddress[] {new InternetAddress("bob@example.test")});
        }
        assertThat(SmtpTestSupport.received(x -> "alice@example.test".equals(x.envelope().reversePath())
                && x.connection().tlsProtocol() != null && x.envelope().recipients().size() == 1, 1, Duration.ofSeconds(30))).isNotEmpty();
    }

    @Test
    void wrongPasswordIsRefused() {
        Session s = Session.getInstance(props("smtp", Listener.SUBMISSION));
        assertThatThrownBy(() -> {
            try (Transport t = s.getTransport("smtp")) {
                t.connect("alice@example.test", "not-her-password");
            }
        }).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void senderMustBelongToTheAuthenticatedAccount() throws Exception {
        Session s = Session.getInstance(props("smtp", Listener.SUBMISSION));
        try (Transport t = s.getTransport("smtp")) {
            t.connect("alice@example.test", PASSWORD);
            assertThatThrownBy(() -> t.sendMessage(message(s, "bob@example.test", "spoof", "bob@example.test"),
                    new InternetAddress[] {new InternetAddress("bob@example.test")}))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("553");
        }
    }

    @Test
    void fromHeaderMustBelongToTheAuthenticatedAccount() throws Exception {
        Properties p = props("smtp", Listener.SUBMISSION);
        p.put("mail.smtp.from", "alice@example.test");
        Session s = Session.getInstance(p);
        try (Transport t = s.getTransport("smtp")) {
            t.connect("alice@example.test", PASSWORD);
            // envelope sender is hers, the From: header claims Bob
            assertThatThrownBy(() -> t.sendMessage(message(s, "Bob <bob@example.test>", "header spoof", "bob@example.test"),
                    new InternetAddress[] {new InternetAddress("bob@example.test")}))
                    .isInstanceOf(MessagingException.class).hasMessageContaining("553");
        }
    }

    /** OAUTHBEARER (RFC 7628) over implicit TLS, spoken directly: a good token, then a forged one. */
    @Test
    void oauthbearerOverImplicitTls() throws Exception {
        String token = new KeycloakUsers(SharedInfra.require("keycloak")).accessToken("alice@example.test", PASSWORD);
        String good = b64("n,a=alice@example.test,\u0001auth=Bearer " + token + "\u0001\u0001");
        String forged = b64("n,a=alice@example.test,\u0001auth=Bearer " + token.substring(0, token.length() - 4) + "AAAA\u0001\u0001");
        String script = String.join("\n",
                "S: 220 *",
                "C: EHLO laptop.example.test",
                "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*",
                "S: 250 AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2",
                "C: AUTH OAUTHBEARER " + forged,
                "S: 334 *",
                "C: AQ==",
                "S: 535 5.7.8 *",
                "C: AUTH OAUTHBEARER " + good,
                "S: 235 2.7.0 *",
                "C: AUTH PLAIN " + b64("\u0000alice@example.test\u0000" + PASSWORD),
                "S: 503 5.5.1 *",
                "C: QUIT",
                "S: 221 *");
        try (SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1", server.port(Listener.SUBMISSIONS))) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
            try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                Transcript.parse("oauthbearer", script).run(in, out);
            }
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
