package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Conversations that need TLS on the socket: command injection across STARTTLS, and AUTH guessing. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class SubmissionSecurityTest {
    private static final String PASSWORD = "alice-Secret-123";
    private static boolean prepared;

    /** The EHLO reply of a TLS-protected submission session: no STARTTLS any more, AUTH now offered. */
    private static final String EHLO_AFTER_TLS = String.join("\n",
            "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*",
            "S: 250 AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2");

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

    /**
     * RFC 3207 §5 / CVE-2011-0411: a man in the middle appends commands to the client's STARTTLS in clear text. They
     * must not run inside the TLS session, where the client would take their replies for answers to its own commands.
     */
    @Test
    void commandsPipelinedAfterStartTlsAreNotExecuted() throws Exception {
        int port = server.port(Listener.SUBMISSION);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(15_000);
            Transcript.parse("before TLS", String.join("\n",
                    "S: 220 *",
                    "C: EHLO victim.example.net",
                    "S: 250-mx.test.local Hello victim.example.net",
                    "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*", "S~ 250-.*",
                    "S: 250 STARTTLS",
                    "C+ STARTTLS",
                    "C+ EHLO injected.example.org",
                    "C: MAIL FROM:<alice@example.test>",
                    "S: 220 2.0.0 *")).run(plain.getInputStream(), plain.getOutputStream());

            try (SSLSocket tls = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
                tls.setSoTimeout(15_000);
                tls.startHandshake();
                // the first reply inside TLS answers our EHLO; an executed injection would have answered first
                Transcript.parse("after TLS", String.join("\n",
                        "C: EHLO victim.example.net",
                        "S: 250-mx.test.local Hello victim.example.net",
                        EHLO_AFTER_TLS,
                        // the injected MAIL did not open a transaction either: RCPT is out of sequence
                        "C: RCPT TO:<bob@example.test>",
                        "S: 503 5.5.1 *",
                        "C: QUIT",
                        "S: 221 *")).run(tls.getInputStream(), tls.getOutputStream());
            }
        }
    }

    /**
     * Three failed AUTH attempts end the session with 421, after growing delays; a later correct login from the same
     * address still works. The guesses name an account that does not exist: Keycloak's own brute-force detection
     * would otherwise lock a real account for a minute after two quick failures, which is not what this test is about.
     */
    @Test
    void connectionClosedAfterThreeAuthFailures() throws Exception {
        String wrong = b64("\u0000nobody@example.test\u0000not-the-password");
        String script = String.join("\n",
                "S: 220 *",
                "C: EHLO guesser.example.net",
                "S: 250-mx.test.local Hello guesser.example.net",
                EHLO_AFTER_TLS,
                "C: AUTH PLAIN " + wrong,
                "S: 535 5.7.8 *",
                "C: AUTH LOGIN",
                "S: 334 VXNlcm5hbWU6",
                "C: " + b64("nobody@example.test"),
                "S: 334 UGFzc3dvcmQ6",
                "C: " + b64("still-wrong"),
                "S: 535 5.7.8 *",
                "C: AUTH PLAIN " + wrong,
                "S: 421 4.7.0 * Too many authentication failures*",
                "CLOSED");
        runOverImplicitTls("guessing", script);

        // a new session with the right password still gets in: the throttle delays, it does not lock the account
        runOverImplicitTls("after guessing", String.join("\n",
                "S: 220 *",
                "C: EHLO laptop.example.test",
                "S: 250-mx.test.local Hello laptop.example.test",
                EHLO_AFTER_TLS,
                "C: AUTH PLAIN " + b64("\u0000alice@example.test\u0000" + PASSWORD),
                "S: 235 2.7.0 *",
                "C: QUIT",
                "S: 221 *"));
    }

    /** Input pipelined behind a failing AUTH waits for its delayed reply and is answered in order afterwards. */
    @Test
    void pipelinedCommandsWaitForTheDelayedAuthReply() throws Exception {
        String wrong = b64("\u0000nobody@example.test\u0000wrong-again");
        runOverImplicitTls("pipelined", String.join("\n",
                "S: 220 *",
                "C: EHLO pipeliner.example.net",
                "S: 250-mx.test.local Hello pipeliner.example.net",
                EHLO_AFTER_TLS,
                "C+ AUTH PLAIN " + wrong,
                "C+ NOOP",
                "C+ AUTH PLAIN " + wrong,
                "C: NOOP",
                "S: 535 5.7.8 *",
                "S: 250 2.0.0 *",
                "S: 535 5.7.8 *",
                "S: 250 2.0.0 *",
                "C: QUIT",
                "S: 221 *"));
    }

    /**
     * A password change (a new credentials version in directory.changes) ends a logged-in session within seconds,
     * while a change that does not touch the credentials (the display name) leaves it alone.
     */
    @Test
    void passwordChangeClosesTheUsersLiveSessions() throws Exception {
        String user = "dave-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String password = "dave-Secret-456";
        new KeycloakUsers(SharedInfra.require("keycloak")).ensureMailUser(user, password);
        publish(new DirectorySnapshot.Account(user, "acc-" + user, "Dave", 0, true, 1L, null), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> server.directory().account(user).isPresent());

        try (SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1", server.port(Listener.SUBMISSIONS))) {
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Transcript.parse("login", String.join("\n",
                    "S: 220 *",
                    "C: EHLO dave.example.test",
                    "S: 250-mx.test.local Hello dave.example.test",
                    EHLO_AFTER_TLS,
                    "C: AUTH PLAIN " + b64("\u0000" + user + "\u0000" + password),
                    "S: 235 2.7.0 *")).run(in, out);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.sessions().count(user) == 1);

            publish(new DirectorySnapshot.Account(user, "acc-" + user, "Dave Renamed", 0, true, 1L, null), 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.directory().account(user)
                    .map(a -> a.displayName().equals("Dave Renamed")).orElse(false));
            Transcript.parse("still logged in", "C: NOOP\nS: 250 2.0.0 *").run(in, out);

            publish(new DirectorySnapshot.Account(user, "acc-" + user, "Dave Renamed", 0, true, 2L, null), 3);
            // no command from the client: the server speaks first, then hangs up
            Transcript.parse("revoked", "S: 421 4.7.0 * Account credentials changed*\nCLOSED").run(in, out);
            assertThat(server.sessions().count(user)).isZero();
        }
    }

    private static void publish(DirectorySnapshot snapshot, long revision) throws Exception {
        DirectoryChanged e = DirectoryChanged.upserted("smtp-test", revision, snapshot);
        try (KafkaEventPublisher p = KafkaEventPublisher.create(SmtpTestSupport.bootstrap(), "smtp-test", Duration.ofSeconds(20))) {
            p.publish(Topics.DIRECTORY_CHANGES, e.compactionKey(), e).get(20, TimeUnit.SECONDS);
        }
    }

    private void runOverImplicitTls(String name, String script) throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1", server.port(Listener.SUBMISSIONS))) {
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                Transcript.parse(name, script).run(in, out);
            }
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
