package mail.pop3.session;

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
import javax.net.ssl.SSLSocket;
import mail.core.abuse.AuthFailureLedger;
import mail.pop3.server.Pop3Server;
import mail.pop3.session.Pop3TestSupport.TestAccount;
import mail.testsupport.InfraTestResource;
import mail.testsupport.TrustingTls;
import org.junit.jupiter.api.Test;

/**
 * Blocks shared by every SMTP, IMAP and POP3 instance: a block written into the MongoDB ledger (as another instance
 * or protocol would after repeated failures) refuses POP3 logins here with the right password too, only for the
 * blocked account or client address, and ends when an administrator lifts it. POP3's own failures are counted there.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class SharedAuthBlockTest {
    /** The writing side's thresholds decide when a key is blocked; these block at once. */
    static final AuthFailureLedger.Settings BLOCK_FAST = new AuthFailureLedger.Settings(Duration.ofMinutes(15), 2, 2, Duration.ofMinutes(15));

    @Inject
    Pop3Server server;
    @Inject
    MongoDatabase db;

    @Test
    void aBlockedAccountCannotLogInFromAnywhereUntilTheBlockIsLifted() throws Exception {
        TestAccount victim = Pop3TestSupport.account(server, "victim");
        TestAccount bystander = Pop3TestSupport.account(server, "bystander");
        assertThat(login("127.0.0.1", victim)).startsWith("+OK");
        AuthFailureLedger ledger = new AuthFailureLedger(db, BLOCK_FAST);
        ledger.failure("198.51.100.20", victim.address(), Instant.now());
        ledger.failure("198.51.100.21", victim.address(), Instant.now());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> login("127.0.0.1", victim).startsWith("-ERR [SYS/TEMP] Too many authentication failures"));
            assertThat(login("127.0.0.1", bystander)).startsWith("+OK");
        } finally {
            ledger.lift(AuthFailureLedger.accountKey(victim.address()));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> login("127.0.0.1", victim).startsWith("+OK"));
    }

    @Test
    void aBlockedClientAddressCannotLogInAtAllWhileOthersCan() throws Exception {
        TestAccount user = Pop3TestSupport.account(server, "blockedip");
        AuthFailureLedger ledger = new AuthFailureLedger(db, BLOCK_FAST);
        ledger.failure("127.0.0.9", null, Instant.now());
        ledger.failure("127.0.0.9", null, Instant.now());
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> login("127.0.0.9", user).startsWith("-ERR [SYS/TEMP]"));
            assertThat(login("127.0.0.1", user)).startsWith("+OK");
        } finally {
            ledger.lift(AuthFailureLedger.clientKey("127.0.0.9"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> login("127.0.0.9", user).startsWith("+OK"));
    }

    @Test
    void failedPop3LoginsAreCountedInTheSharedLedgerForTheAddressAndTheAccount() throws Exception {
        TestAccount user = Pop3TestSupport.account(server, "counted");
        AuthFailureLedger ledger = new AuthFailureLedger(db, AuthFailureLedger.Settings.defaults());
        assertThat(login("127.0.0.10", new TestAccount(user.address(), user.accountId()), "wrong-password")).startsWith("-ERR [AUTH]");
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.entry(AuthFailureLedger.accountKey(user.address())).isPresent()
                && ledger.entry(AuthFailureLedger.clientKey("127.0.0.10")).isPresent());
        assertThat(ledger.entry(AuthFailureLedger.accountKey(user.address())).get().failures()).isEqualTo(1);
        // a good login forgets the account's failures, not the address's
        assertThat(login("127.0.0.10", user)).startsWith("+OK");
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.entry(AuthFailureLedger.accountKey(user.address())).isEmpty());
        assertThat(ledger.entry(AuthFailureLedger.clientKey("127.0.0.10"))).isPresent();
    }

    private String login(String from, TestAccount a) throws Exception {
        return login(from, a, Pop3TestSupport.PASSWORD);
    }

    /** USER/PASS over implicit TLS from a chosen loopback address; the answer to PASS. */
    private String login(String from, TestAccount a, String password) throws Exception {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(from, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", server.port(Pop3Server.Listener.IMPLICIT_TLS)), 5_000);
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true)) {
            s.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("+OK");
            out.write(("USER " + a.address() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("+OK");
            out.write(("PASS " + password + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = in.readLine();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return answer;
        }
    }
}
