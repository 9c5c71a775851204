package mail.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.RestartableMongo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MongoDB goes away under a logged-in session with a mailbox selected: every command that needs it answers
 * {@code NO [UNAVAILABLE]}, the session survives, and once the database is back nothing was changed by the failed
 * commands.
 */
@QuarkusTest
// the session waits out the restart of the database without a command: on a busy machine that takes longer than
// the test profile's 20 s autologout
@QuarkusTestResource(value = RestartableMongo.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "mail.imap.idle-timeout", value = "10m"))
class MongoOutageTest {
    private static final String USER = "imap-outage@example.test";
    private static final String PASSWORD = "imap-Outage-123";
    private static boolean prepared;

    @Inject
    ImapServer server;

    @Inject
    MailStore store;

    @BeforeEach
    void prepare() throws Exception {
        if (!prepared) {
            TestAccounts.prepare(server, store, PASSWORD, List.of(TestAccounts.account(USER, "acc-imap-outage")));
            prepared = true;
        }
    }

    @Test
    void commandsAnswerUnavailableAndChangeNothingWhileTheDatabaseIsDown() throws Exception {
        String message = MailboxCommandsTest.message("kept");
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), USER, PASSWORD)) {
            assertThat(last(appendLiteralPlus(c, message))).matches("t\\d+ OK \\[APPENDUID .*");
            assertThat(c.ok("SELECT INBOX")).anyMatch(l -> l.equals("* 1 EXISTS"));

            RestartableMongo.down();
            try {
                assertUnavailable(c.send("STORE 1 +FLAGS (\\Seen)"));
                assertUnavailable(c.send("STATUS INBOX (MESSAGES)"));
                assertUnavailable(c.send("CREATE Outage"));
                assertUnavailable(c.send("EXPUNGE"));
                assertUnavailable(appendLiteralPlus(c, MailboxCommandsTest.message("lost")));
                // the session is still usable: NOOP and IDLE need no store
                c.ok("NOOP");
                c.write("t90 IDLE\r\n");
                assertThat(c.readLine()).startsWith("+ ");
                c.write("DONE\r\n");
                assertThat(c.readUntil("t90 ")).last().asString().startsWith("t90 OK");
            } finally {
                RestartableMongo.up();
            }

            assertThat(c.ok("FETCH 1 (FLAGS)")).anyMatch(l -> l.equals("* 1 FETCH (FLAGS (\\Recent))"));
            assertThat(c.ok("STATUS INBOX (MESSAGES)")).anyMatch(l -> l.equals("* STATUS INBOX (MESSAGES 1)"));
            assertThat(c.ok("LIST \"\" Outage")).noneMatch(l -> l.startsWith("* LIST"));
            c.ok("LOGOUT");
        }
    }

    private static List<String> appendLiteralPlus(TestImapClient c, String message) throws Exception {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        return c.send("APPEND INBOX {" + body.length + "+}\r\n" + message);
    }

    private static String last(List<String> reply) {
        return reply.get(reply.size() - 1);
    }

    private static void assertUnavailable(List<String> reply) {
        assertThat(last(reply)).matches("t\\d+ NO \\[UNAVAILABLE].*");
    }
}
