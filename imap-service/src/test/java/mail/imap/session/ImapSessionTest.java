package mail.imap.session;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.InfraTestResource;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IMAP conversations before a mailbox is opened: greeting, capabilities, TLS, login, and every error path there. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class ImapSessionTest {
    private static final String USER = "imap-alice@example.test";
    private static final String PASSWORD = "imap-Secret-123";
    private static boolean prepared;

    @Inject
    ImapServer server;

    @Inject
    MailStore store;

    @BeforeEach
    void prepare() throws Exception {
        if (prepared) {
            return;
        }
        TestAccounts.prepare(server, store, PASSWORD, List.of(TestAccounts.account(USER, "acc-imap-alice")));
        prepared = true;
    }

    private void plain(String name, String script) {
        Transcript.parse(name, script).run("127.0.0.1", server.port());
    }

    private void tls(String name, String script) throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1", server.tlsPort())) {
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                Transcript.parse(name, script).run(in, out);
            }
        }
    }

    @Test
    void beforeTlsLoginIsDisabled() {
        plain("plain", String.join("\n",
                "S: * OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE STARTTLS LOGINDISABLED] imap.test.local *",
                "C: a1 CAPABILITY",
                "S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE STARTTLS LOGINDISABLED",
                "S: a1 OK CAPABILITY completed",
                "C: a2 LOGIN " + USER + " " + PASSWORD,
                "S: a2 NO [PRIVACYREQUIRED] *",
                "C: a3 AUTHENTICATE PLAIN " + b64("\u0000" + USER + "\u0000" + PASSWORD),
                "S: a3 NO [PRIVACYREQUIRED] *",
                "C: a4 NOOP",
                "S: a4 OK NOOP completed",
                "C: a5 LOGOUT",
                "S: * BYE *",
                "S: a5 OK LOGOUT completed",
                "CLOSED"));
    }

    @Test
    void syntaxAndStateErrors() {
        plain("errors", String.join("\n",
                "S: * OK *",
                "C: a1 FROBNICATE",
                "S: a1 BAD unknown command",
                "C: +bad NOOP",
                "S: * BAD Invalid tag",
                "C: a2 SELECT INBOX",
                "S: a2 BAD Log in first",
                "C: a3 NOOP extra",
                "S: a3 BAD unexpected extra arguments",
                "C: a4 ID (\"name\" \"transcript\")",
                "S: * ID (\"name\" \"mailplatform\" \"vendor\" \"mailplatform\")",
                "S: a4 OK ID completed",
                "C: a5 LOGOUT",
                "S: * BYE *",
                "S: a5 OK *",
                "CLOSED"));
    }

    @Test
    void tooManyBadCommandsEndTheSession() {
        plain("bad", String.join("\n",
                "S: * OK *",
                "C: a1 X", "S: a1 BAD *",
                "C: a2 X", "S: a2 BAD *",
                "C: a3 X", "S: a3 BAD *",
                "C: a4 X", "S: a4 BAD *",
                "C: a5 X", "S: a5 BAD *",
                "S: * BYE Too many invalid commands",
                "CLOSED"));
    }

    @Test
    void oversizedLiteralIsRefusedWithoutContinuationAndLongLinesAreBad() {
        plain("limits", String.join("\n",
                "S: * OK *",
                // a synchronizing literal over the limit: NO [TOOBIG] and no '+', so the client never sends it
                "C: a1 LOGIN {5000}",
                "S: a1 NO [TOOBIG] *",
                // a non-synchronizing one is read and dropped with the rest of its command
                "C+ a2 LOGIN {1500+}",
                "R: " + "x".repeat(1500) + " y\\r\\n",
                "C: a3 NOOP",
                "S: a2 NO [TOOBIG] *",
                "S: a3 OK NOOP completed",
                "C: a4 NOOP " + "z".repeat(2500),
                "S: a4 BAD Command line too long",
                "C: a5 NOOP",
                "S: a5 OK NOOP completed",
                "C: a6 LOGOUT",
                "S: * BYE *",
                "S: a6 OK *",
                "CLOSED"));
    }

    @Test
    void loginOverImplicitTlsAndTheAuthenticatedState() throws Exception {
        tls("literal login", String.join("\n",
                "S: * OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE AUTH=PLAIN AUTH=OAUTHBEARER AUTH=XOAUTH2] *",
                // LITERAL+: the user name as a non-synchronizing literal, the password quoted after it
                "C+ a0 LOGIN {" + USER.length() + "+}",
                "C: " + USER + " \"" + PASSWORD + "\"",
                "S: a0 OK [CAPABILITY *] Logged in",
                "C: a1 LOGOUT", "S: * BYE *", "S: a1 OK *", "CLOSED"));
        tls("login", String.join("\n",
                "S: * OK *",
                "C: a1 LOGIN \"" + USER + "\" \"" + PASSWORD + "\"",
                "S: a1 OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IMAP4rev2 IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE *] Logged in",
                "C: a2 LOGIN " + USER + " " + PASSWORD,
                "S: a2 BAD Already authenticated",
                "C: a3 NAMESPACE",
                "S: * NAMESPACE ((\"\" \"/\")) NIL NIL",
                "S: a3 OK NAMESPACE completed",
                "C: a4 ENABLE CONDSTORE X-UNKNOWN",
                "S: * ENABLED CONDSTORE",
                "S: a4 OK ENABLE completed",
                "C: a5 IDLE",
                "S: + idling",
                "C: DONE",
                "S: a5 OK IDLE terminated",
                "C: a6 STARTTLS",
                "S: a6 BAD *",
                "C: a7 LOGOUT",
                "S: * BYE *",
                "S: a7 OK LOGOUT completed",
                "CLOSED"));
    }

    @Test
    void authenticatePlainWithAndWithoutInitialResponse() throws Exception {
        String creds = b64("\u0000" + USER + "\u0000" + PASSWORD);
        tls("sasl-ir", String.join("\n",
                "S: * OK *",
                "C: a1 AUTHENTICATE PLAIN " + creds,
                "S: a1 OK [CAPABILITY *] Logged in",
                "C: a2 LOGOUT", "S: * BYE *", "S: a2 OK *", "CLOSED"));
        tls("continuation", String.join("\n",
                "S: * OK *",
                "C: a1 AUTHENTICATE PLAIN",
                "S: + ",
                "C: *",
                "S: a1 BAD Authentication cancelled",
                "C: a2 AUTHENTICATE PLAIN",
                "S: + ",
                "C: " + creds,
                "S: a2 OK [CAPABILITY *] Logged in",
                "C: a3 LOGOUT", "S: * BYE *", "S: a3 OK *", "CLOSED"));
    }

    @Test
    void threeFailedLoginsEndTheSession() throws Exception {
        // a user name that does not exist: Keycloak's own lockout of real accounts is not what this is about
        tls("guessing", String.join("\n",
                "S: * OK *",
                "C: a1 LOGIN nobody@example.test wrong1",
                "S: a1 NO [AUTHENTICATIONFAILED] *",
                "C: a2 AUTHENTICATE PLAIN " + b64("\u0000nobody@example.test\u0000wrong2"),
                "S: a2 NO [AUTHENTICATIONFAILED] *",
                "C: a3 LOGIN nobody@example.test wrong3",
                "S: a3 NO [AUTHENTICATIONFAILED] *",
                "S: * BYE Too many authentication failures",
                "CLOSED"));
    }

    @Test
    void startTlsDiscardsPipelinedCommands() throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            plain.setSoTimeout(15_000);
            Transcript.parse("before TLS", String.join("\n",
                    "S: * OK *",
                    "C+ a1 STARTTLS",
                    "C: a2 LOGIN " + USER + " " + PASSWORD,
                    "S: a1 OK Begin TLS negotiation now")).run(plain.getInputStream(), plain.getOutputStream());
            try (SSLSocket tls = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(plain, "127.0.0.1", server.port(), true)) {
                tls.setSoTimeout(15_000);
                tls.startHandshake();
                // the injected LOGIN did not run: still not authenticated, and its tag never answered
                Transcript.parse("after TLS", String.join("\n",
                        "C: b1 CAPABILITY",
                        "S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE AUTH=PLAIN AUTH=OAUTHBEARER AUTH=XOAUTH2",
                        "S: b1 OK CAPABILITY completed",
                        "C: b2 NAMESPACE",
                        "S: b2 BAD Log in first",
                        "C: b3 LOGOUT", "S: * BYE *", "S: b3 OK *", "CLOSED")).run(tls.getInputStream(), tls.getOutputStream());
            }
        }
    }

    @Test
    void idleClientIsLoggedOut() throws Exception {
        // the test profile's idle timeout is 20 s: wait longer than that for the BYE
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(60_000);
            Transcript.parse("autologout", String.join("\n",
                    "S: * OK *",
                    "S: * BYE Autologout; idle for too long",
                    "CLOSED")).run(s.getInputStream(), s.getOutputStream());
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }


    /** 20 connections per address in tests (loopback is not exempt there): the 21st is told why and closed. */
    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.setSoTimeout(15_000);
                open.add(s);
                Transcript.parse("slot " + i, "S: * OK *").run(s.getInputStream(), s.getOutputStream());
            }
            plain("one too many", "S: * BYE Too many connections from your address, try again later\nCLOSED");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        // the slots are freed when the connections close
        for (int attempt = 1; ; attempt++) {
            try {
                plain("after", "S: * OK *\nC: a1 LOGOUT\nS: * BYE *\nS: a1 OK *\nCLOSED");
                break;
            } catch (AssertionError e) {
                if (attempt == 50) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
