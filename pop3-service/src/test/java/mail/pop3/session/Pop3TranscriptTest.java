package mail.pop3.session;

import static mail.pop3.session.Pop3TestSupport.b64;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import mail.core.blob.BlobStore;
import mail.pop3.server.Pop3Server;
import mail.pop3.session.Pop3TestSupport.TestAccount;
import mail.store.MailStore;
import mail.store.StoredMessage;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.Test;

/** C:/S: conversations with both listeners over real sockets, against the real infrastructure. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class Pop3TranscriptTest {
    @Inject
    Pop3Server server;
    @Inject
    MailStore store;
    @Inject
    BlobStore blobs;

    private static String load(String name, Map<String, String> vars) throws Exception {
        String text = Files.readString(Path.of("src/test/resources/transcripts", name), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> v : vars.entrySet()) {
            text = text.replace("${" + v.getKey() + "}", v.getValue());
        }
        return text;
    }

    private static Map<String, String> vars(TestAccount a) {
        return Map.of("USER", a.address(), "PASSWORD", Pop3TestSupport.PASSWORD, "PLAIN", a.plainB64(),
                "LONG", "NOOP " + "x".repeat(300), "WRONG", b64("\u0000nobody@example.test\u0000wrong-2"),
                "SASLLONG", "A".repeat(12289));
    }

    @Test
    void beforeTlsNoCredentialsAreAcceptedAndWrongStateCommandsAreRefused() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "plain");
        Transcript.parse("plain-before-tls.txt", load("plain-before-tls.txt", vars(a)))
                .run("127.0.0.1", server.port(Pop3Server.Listener.PLAIN));
    }

    @Test
    void everyTransactionCommandOverImplicitTls() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "trans");
        StoredMessage m1 = Pop3TestSupport.deliver(store, blobs, a, "Subject: one\r\n\r\nhello\r\n");
        StoredMessage m2 = Pop3TestSupport.deliver(store, blobs, a, "Subject: two\r\n\r\n.dotted\r\nsecond\r\n");
        long uidValidity = Pop3TestSupport.inbox(store, a.accountId()).uidValidity();
        Map<String, String> v = new java.util.HashMap<>(vars(a));
        v.put("UIDVALIDITY", Long.toString(uidValidity));
        v.put("UID1", Long.toString(m1.uid()));
        v.put("UID2", Long.toString(m2.uid()));
        Pop3TestSupport.overTls(server, "transaction.txt", load("transaction.txt", v));
        // RSET before QUIT: nothing was deleted
        assertThat(store.messages().list(m1.mailboxId())).hasSize(2);
    }

    @Test
    void saslCancelUnknownMechanismAndPlainWithoutInitialResponse() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "sasl");
        Pop3TestSupport.overTls(server, "sasl.txt", load("sasl.txt", vars(a)));
    }

    @Test
    void bearerTokensLogInWithOauthbearerAndXoauth2() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "bearer");
        String token = new KeycloakUsers(SharedInfra.require("keycloak")).accessToken(a.address(), Pop3TestSupport.PASSWORD);
        String xoauth2 = b64("user=" + a.address() + "\u0001auth=Bearer " + token + "\u0001\u0001");
        String oauthbearer = b64("n,a=" + a.address() + ",\u0001auth=Bearer " + token + "\u0001\u0001");
        for (String[] m : new String[][] {{"XOAUTH2", xoauth2}, {"OAUTHBEARER", oauthbearer}}) {
            Pop3TestSupport.overTls(server, m[0], String.join("\n",
                    "S: +OK *",
                    "C: AUTH " + m[0] + " " + m[1],
                    "S: +OK Maildrop locked and ready, 0 messages (0 octets)",
                    "C: QUIT",
                    "S: +OK *",
                    "CLOSED"));
        }
        // a token of someone else, claimed for this account: refused
        String other = b64("user=nobody@example.test\u0001auth=Bearer " + token + "\u0001\u0001");
        Pop3TestSupport.overTls(server, "foreign token", String.join("\n",
                "S: +OK *",
                "C: AUTH XOAUTH2 " + other,
                "S~ \\+ .*",
                "C: ",
                "S: -ERR [AUTH] Authentication failed",
                "C: QUIT",
                "S: +OK *"));
    }

    @Test
    void authFailuresAreDelayedThenTheConnectionIsClosed() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "guess");
        long start = System.nanoTime();
        Pop3TestSupport.overTls(server, "auth-failures.txt", load("auth-failures.txt", vars(a)));
        // each failure's reply waited (test profile: 100 ms, then 200 ms, ...): a lower bound only, never flaky
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        // the throttle delays, it does not lock the account
        Pop3TestSupport.overTls(server, "after guessing", String.join("\n",
                "S: +OK *",
                "C: AUTH PLAIN " + a.plainB64(),
                "S: +OK Maildrop locked and ready*",
                "C: QUIT",
                "S: +OK *"));
    }

    @Test
    void tooManyErrorsEndTheSession() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "errors");
        Pop3TestSupport.overTls(server, "too-many-errors.txt", load("too-many-errors.txt", vars(a)));
    }

    @Test
    void idleSessionIsClosed() throws Exception {
        Transcript.load(Path.of("src/test/resources/transcripts/idle-timeout.txt")).run("127.0.0.1", server.port(Pop3Server.Listener.PLAIN));
    }

    /** RFC 2595 §4 / CVE-2011-0411: commands pipelined after STLS in clear text must not run inside TLS. */
    @Test
    void stlsDiscardsPipelinedCommandsAndThenOffersLogin() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "stls");
        int port = server.port(Pop3Server.Listener.PLAIN);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(15_000);
            Transcript.parse("before TLS", String.join("\n",
                    "S: +OK *",
                    "C+ STLS",
                    "C: USER " + a.address(),
                    "S: +OK Begin TLS negotiation")).run(plain.getInputStream(), plain.getOutputStream());
            try (SSLSocket tls = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
                tls.setSoTimeout(15_000);
                tls.startHandshake();
                Transcript.parse("after TLS", String.join("\n",
                        "C: PASS " + Pop3TestSupport.PASSWORD,
                        "S: -ERR USER first",
                        "C: STLS",
                        "S: -ERR TLS already active",
                        "C: USER " + a.address(),
                        "S: +OK *",
                        "C: PASS " + Pop3TestSupport.PASSWORD,
                        "S: +OK Maildrop locked and ready*",
                        "C: QUIT",
                        "S: +OK *")).run(tls.getInputStream(), tls.getOutputStream());
            }
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Socket s = new Socket("127.0.0.1", server.port(Pop3Server.Listener.PLAIN));
                s.setSoTimeout(15_000);
                open.add(s);
                Transcript.parse("slot " + i, "S: +OK *").run(s.getInputStream(), s.getOutputStream());
            }
            Transcript.parse("one too many", String.join("\n",
                    "S: -ERR [SYS/TEMP] Too many connections from your address, try again later",
                    "CLOSED")).run("127.0.0.1", server.port(Pop3Server.Listener.PLAIN));
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        // the slots are freed when the connections close
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                Transcript.parse("after", "S: +OK *\nC: QUIT\nS: +OK *").run("127.0.0.1", server.port(Pop3Server.Listener.PLAIN)));
    }

}
