package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import mail.core.abuse.AuthFailureLedger;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import mail.testsupport.TrustingTls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocks shared by every SMTP, IMAP and POP3 instance, on submission: a block in the MongoDB ledger (as another
 * instance or protocol writes it) refuses AUTH with the right password with 454 4.7.0, only for the blocked account or
 * client address, until it is lifted; the gateway's own failures are counted there.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class SharedAuthBlockTest {
    static final String PASSWORD = "blocked-Secret-123";
    static final AuthFailureLedger.Settings BLOCK_FAST = new AuthFailureLedger.Settings(Duration.ofMinutes(15), 2, 2, Duration.ofMinutes(15));
    private static boolean prepared;

    @Inject
    SmtpServer server;
    @Inject
    MongoDatabase db;

    @BeforeEach
    void prepare() throws Exception {
        if (!prepared) {
            SmtpTestSupport.publishDirectory(server);
            KeycloakUsers users = new KeycloakUsers(SharedInfra.require("keycloak"));
            users.ensureMailUser("alice@example.test", PASSWORD);
            users.ensureMailUser("bob@example.test", PASSWORD);
            prepared = true;
        }
    }

    @Test
    void aBlockedAccountIsRefusedWithATemporaryErrorUntilLifted() throws Exception {
        AuthFailureLedger ledger = new AuthFailureLedger(db, BLOCK_FAST);
        ledger.failure("198.51.100.30", "alice@example.test", Instant.now());
        ledger.failure("198.51.100.31", "alice@example.test", Instant.now());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> auth("127.0.0.1", "alice@example.test", PASSWORD).startsWith("454 4.7.0"));
            assertThat(auth("127.0.0.1", "bob@example.test", PASSWORD)).startsWith("235 ");
        } finally {
            ledger.lift(AuthFailureLedger.accountKey("alice@example.test"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> auth("127.0.0.1", "alice@example.test", PASSWORD).startsWith("235 "));
    }

    @Test
    void aBlockedClientAddressIsRefusedWhileOthersAuthenticate() throws Exception {
        AuthFailureLedger ledger = new AuthFailureLedger(db, BLOCK_FAST);
        ledger.failure("127.0.0.21", null, Instant.now());
        ledger.failure("127.0.0.21", null, Instant.now());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> auth("127.0.0.21", "bob@example.test", PASSWORD).startsWith("454 4.7.0"));
            assertThat(auth("127.0.0.1", "bob@example.test", PASSWORD)).startsWith("235 ");
        } finally {
            ledger.lift(AuthFailureLedger.clientKey("127.0.0.21"));
        }
    }

    @Test
    void failedAuthIsCountedInTheSharedLedger() throws Exception {
        AuthFailureLedger ledger = new AuthFailureLedger(db, AuthFailureLedger.Settings.defaults());
        assertThat(auth("127.0.0.22", "bob@example.test", "wrong-password")).startsWith("535 5.7.8");
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.entry(AuthFailureLedger.clientKey("127.0.0.22")).isPresent()
                && ledger.entry(AuthFailureLedger.accountKey("bob@example.test")).isPresent());
        ledger.lift(AuthFailureLedger.clientKey("127.0.0.22"));
        ledger.lift(AuthFailureLedger.accountKey("bob@example.test"));
    }

    /** EHLO and AUTH PLAIN over implicit TLS (port 465 style) from a chosen loopback address; the reply to AUTH. */
    private String auth(String from, String user, String password) throws Exception {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(from, 0));
        int port = server.port(Listener.SUBMISSIONS);
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            s.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO client.example.net\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line != null && line.startsWith("250-"));
            String plainAuth = Base64.getEncoder().encodeToString(("\u0000" + user + "\u0000" + password).getBytes(StandardCharsets.UTF_8));
            out.write(("AUTH PLAIN " + plainAuth + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = in.readLine();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return answer;
        }
    }
}
