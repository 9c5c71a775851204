package mail.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import javax.net.ssl.SSLSocket;
import mail.core.abuse.AuthFailureLedger;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.InfraTestResource;
import mail.testsupport.TrustingTls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocks shared by every SMTP, IMAP and POP3 instance, on IMAP: a block in the MongoDB ledger (as another instance or
 * protocol writes it) refuses LOGIN with the right password with NO [UNAVAILABLE], only for the blocked account or
 * client address, until it is lifted; IMAP's own failures are counted there.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class SharedAuthBlockTest {
    static final String PASSWORD = "imap-Blocked-123";
    static final String VICTIM = "imap-blocked@example.test";
    static final String BYSTANDER = "imap-bystander@example.test";
    static final AuthFailureLedger.Settings BLOCK_FAST = new AuthFailureLedger.Settings(Duration.ofMinutes(15), 2, 2, Duration.ofMinutes(15));
    private static boolean prepared;

    @Inject
    ImapServer server;
    @Inject
    MailStore store;
    @Inject
    MongoDatabase db;

    @BeforeEach
    void prepare() throws Exception {
        if (!prepared) {
            TestAccounts.prepare(server, store, PASSWORD, List.of(TestAccounts.account(VICTIM, "acc-imap-blocked"),
                    TestAccounts.account(BYSTANDER, "acc-imap-bystander")));
            prepared = true;
        }
    }

    @Test
    void aBlockedAccountIsRefusedAsUnavailableUntilLifted() throws Exception {
        AuthFailureLedger ledger = new AuthFailureLedger(db, BLOCK_FAST);
        ledger.failure("198.51.100.40", VICTIM, Instant.now());
        ledger.failure("198.51.100.41", VICTIM, Instant.now());
        try {
            until(() -> login("127.0.0.1", VICTIM, PASSWORD).startsWith("a1 NO [UNAVAILABLE]"));
            assertThat(login("127.0.0.1", BYSTANDER, PASSWORD)).startsWith("a1 OK");
        } finally {
            ledger.lift(AuthFailureLedger.accountKey(VICTIM));
        }
        until(() -> login("127.0.0.1", VICTIM, PASSWORD).startsWith("a1 OK"));
    }

    @Test
    void aBlockedClientAddressIsRefusedWhileOthersLogIn() throws Exception {
        AuthFailureLedger ledger = new AuthFailureLedger(db, BLOCK_FAST);
        ledger.failure("127.0.0.31", null, Instant.now());
        ledger.failure("127.0.0.31", null, Instant.now());
        try {
            until(() -> login("127.0.0.31", BYSTANDER, PASSWORD).startsWith("a1 NO [UNAVAILABLE]"));
            assertThat(login("127.0.0.1", BYSTANDER, PASSWORD)).startsWith("a1 OK");
        } finally {
            ledger.lift(AuthFailureLedger.clientKey("127.0.0.31"));
        }
    }

    @Test
    void failedLoginsAreCountedInTheSharedLedger() throws Exception {
        AuthFailureLedger ledger = new AuthFailureLedger(db, AuthFailureLedger.Settings.defaults());
        assertThat(login("127.0.0.32", BYSTANDER, "wrong-password")).startsWith("a1 NO [AUTHENTICATIONFAILED]");
        until(() -> ledger.entry(AuthFailureLedger.clientKey("127.0.0.32")).isPresent()
                && ledger.entry(AuthFailureLedger.accountKey(BYSTANDER)).isPresent());
        ledger.lift(AuthFailureLedger.clientKey("127.0.0.32"));
        ledger.lift(AuthFailureLedger.accountKey(BYSTANDER));
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds; the blocks reach the sessions within the ledger's refresh interval. */
    private static void until(Condition c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(200);
        }
    }

    /** LOGIN over implicit TLS from a chosen loopback address; the tagged reply. */
    private String login(String from, String user, String password) throws Exception {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(from, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", server.tlsPort()), 5_000);
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", server.tlsPort(), true)) {
            s.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("* OK");
            out.write(("a1 LOGIN \"" + user + "\" \"" + password + "\"\r\n").getBytes(StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
            } while (line != null && line.startsWith("* "));
            out.write("a2 LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII));
            return String.valueOf(line);
        }
    }
}
