package mail.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authenticated and selected states over real sockets against real MongoDB, Kafka, S3 and Keycloak: the mailbox
 * tree, STATUS, APPEND, SELECT, STORE, EXPUNGE, COPY/MOVE (UIDPLUS), CONDSTORE/QRESYNC, QUOTA, and changes made by one
 * session reaching another.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class MailboxCommandsTest {
    static final String PASSWORD = "imap-Mbox-123";
    /** One account per test, so each transcript sees exactly the mailboxes it made. */
    static final List<String> ACCOUNTS = List.of("tree", "append", "copy", "live", "condstore", "quota", "limits", "rev2");
    private static boolean prepared;

    @Inject
    ImapServer server;

    @Inject
    MailStore store;

    static String user(String name) {
        return "imap-" + name + "@example.test";
    }

    static String accountId(String name) {
        return "acc-imap-" + name;
    }

    @BeforeEach
    void prepare() throws Exception {
        if (prepared) {
            return;
        }
        KeycloakUsers users = new KeycloakUsers(SharedInfra.require("keycloak"));
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KafkaEventPublisher p = KafkaEventPublisher.create(bootstrap, "imap-test", Duration.ofSeconds(20))) {
            DirectoryChanged domain = DirectoryChanged.upserted("imap-test", 1, new DirectorySnapshot.Domain("example.test", List.of()));
            p.publish(Topics.DIRECTORY_CHANGES, domain.compactionKey(), domain).get(20, TimeUnit.SECONDS);
            for (String a : ACCOUNTS) {
                users.ensureMailUser(user(a), PASSWORD);
                // the quota account: 4 KiB and 3 messages
                DirectorySnapshot.Account acc = a.equals("quota")
                        ? new DirectorySnapshot.Account(user(a), accountId(a), a, 4096, true, null, 3L)
                        : new DirectorySnapshot.Account(user(a), accountId(a), a, 0, true);
                DirectoryChanged e = DirectoryChanged.upserted("imap-test", 1, acc);
                p.publish(Topics.DIRECTORY_CHANGES, e.compactionKey(), e).get(20, TimeUnit.SECONDS);
                store.mailboxes().ensureDefaults(accountId(a));
            }
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (!(server.directoryLoaded() && ACCOUNTS.stream().allMatch(a -> server.directory().account(user(a)).isPresent())
                && server.changeFeedAssigned())) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the directory cache or the change feed did not start");
            }
            Thread.sleep(100);
        }
        prepared = true;
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

    private static String login(String account) {
        return String.join("\n", "S: * OK *", "C: a0 LOGIN \"" + user(account) + "\" \"" + PASSWORD + "\"", "S: a0 OK *");
    }

    static String message(String subject) {
        return "From: Carol <carol@example.org>\r\nTo: someone@example.test\r\nSubject: " + subject
                + "\r\nDate: Sun, 29 Nov 2026 06:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@example.org>\r\n\r\nHello "
                + subject + "\r\n";
    }

    private Mailbox mailbox(String account, String name) {
        return store.mailboxes().find(accountId(account), name).orElseThrow();
    }

    /** APPEND with a synchronizing literal through the test client. */
    static List<String> append(TestImapClient c, String mailbox, String flags, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        c.write("ap APPEND " + mailbox + (flags.isEmpty() ? "" : " (" + flags + ")") + " {" + bytes.length + "}\r\n");
        String cont = c.readLine();
        assertThat(cont).startsWith("+");
        c.writeBytes(bytes);
        c.write("\r\n");
        return c.readUntil("ap ");
    }

    @Test
    void mailboxTreeCreateRenameDeleteSubscribeAndList() throws Exception {
        tls("tree", String.join("\n", login("tree"),
                "C: a1 LIST \"\" \"\"",
                "S: * LIST (\\Noselect) \"/\" \"\"",
                "S: a1 OK LIST completed",
                "C: a2 CREATE Projects/2026",
                "S: a2 OK CREATE completed",
                "C: a3 LIST \"\" \"%\"",
                "S: * LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                "S: * LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "S: * LIST (\\HasNoChildren) \"/\" INBOX",
                "S: * LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "S: * LIST (\\HasChildren) \"/\" Projects",
                "S: * LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "S: * LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "S: a3 OK LIST completed",
                "C: a4 LIST \"Projects/\" \"*\"",
                "S: * LIST (\\HasNoChildren) \"/\" Projects/2026",
                "S: a4 OK LIST completed",
                "C: a5 CREATE inbox",
                "S: a5 NO [ALREADYEXISTS] *",
                "C: a6 CREATE Projects",
                "S: a6 NO [ALREADYEXISTS] *",
                "C: a7 DELETE Projects",
                "S: a7 NO [HASCHILDREN] *",
                "C: a8 RENAME Projects Work",
                "S: a8 OK RENAME completed",
                "C: a9 LIST \"\" \"Work*\"",
                "S: * LIST (\\HasChildren) \"/\" Work",
                "S: * LIST (\\HasNoChildren) \"/\" Work/2026",
                "S: a9 OK LIST completed",
                "C: b1 RENAME Work Work/Inner",
                "S: b1 NO [CANNOT] *",
                "C: b2 RENAME Nothing Else",
                "S: b2 NO [NONEXISTENT] *",
                "C: b3 RENAME Work Sent",
                "S: b3 NO [ALREADYEXISTS] *",
                "C: b4 DELETE INBOX",
                "S: b4 NO [CANNOT] *",
                "C: b5 CREATE \"a//b\"",
                "S: b5 NO [CANNOT] Invalid mailbox name*",
                "C: b6 CREATE (Stuff) ",
                "S: b6 BAD *",
                // modified UTF-7 (RFC 3501 §5.1.3): "Entwürfe"
                "C: b7 CREATE Entw&APw-rfe",
                "S: b7 OK CREATE completed",
                "C: b8 LIST \"\" Entw*",
                "S: * LIST (\\HasNoChildren) \"/\" Entw&APw-rfe",
                "S: b8 OK LIST completed",
                "C: b9 UNSUBSCRIBE Work/2026",
                "S: b9 OK UNSUBSCRIBE completed",
                "C: c1 LSUB \"\" Work*",
                "S: * LSUB () \"/\" Work",
                "S: c1 OK LSUB completed",
                "C: c2 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"Work*\" RETURN (CHILDREN)",
                "S: * LIST (\\HasChildren \\Subscribed) \"/\" Work",
                "S: c2 OK LIST completed",
                "C: c3 LIST (SPECIAL-USE) \"\" \"*\"",
                "S: * LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                "S: * LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "S: * LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "S: * LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "S: * LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "S: c3 OK LIST completed",
                "C: c4 DELETE Work/2026",
                "S: c4 OK DELETE completed",
                "C: c5 DELETE Work",
                "S: c5 OK DELETE completed",
                "C: c6 DELETE Work",
                "S: c6 NO [NONEXISTENT] *",
                "C: c7 CREATE Receipts (USE (\\Flagged))",
                "S: c7 NO [USEATTR] *",
                "C: c8 STATUS Nowhere (MESSAGES)",
                "S: c8 NO [NONEXISTENT] *",
                "C: c9 LOGOUT", "S: * BYE *", "S: c9 OK *", "CLOSED"));
        assertThat(store.mailboxes().list(accountId("tree"))).extracting(Mailbox::name)
                .containsExactlyInAnyOrder("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive", "Entwürfe");
    }
}
