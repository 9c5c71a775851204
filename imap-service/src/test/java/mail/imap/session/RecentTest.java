package mail.imap.session;

import static mail.imap.session.MailboxCommandsTest.append;
import static mail.imap.session.MailboxCommandsTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mail.core.event.DirectorySnapshot;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * \Recent for IMAP4rev1 sessions (RFC 3501 §2.3.2) over real sockets: the first read-write session told of a message
 * has it as recent, no other does; EXAMINE and STATUS see the unclaimed ones without claiming; IMAP4rev2 sessions
 * have no \Recent (RFC 9051 Appendix E) and leave it to rev1 sessions.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class RecentTest {
    static final String PASSWORD = "imap-Recent-123";
    static final List<String> ACCOUNTS = List.of("recent-two", "recent-race", "recent-rev2");
    private static boolean prepared;

    @Inject
    ImapServer server;

    @Inject
    MailStore store;

    static String user(String name) {
        return "imap-" + name + "@example.test";
    }

    @BeforeEach
    void prepare() throws Exception {
        if (prepared) {
            return;
        }
        List<DirectorySnapshot.Account> accounts = new ArrayList<>();
        for (String a : ACCOUNTS) {
            accounts.add(new DirectorySnapshot.Account(user(a), "acc-imap-" + a, a, 0, true));
        }
        TestAccounts.prepare(server, store, PASSWORD, accounts);
        prepared = true;
    }

    private TestImapClient login(String account) throws Exception {
        return TestImapClient.login(server.tlsPort(), user(account), PASSWORD);
    }

    @Test
    void onlyOneOfTwoSessionsGetsAMessageAsRecent() throws Exception {
        try (TestImapClient c1 = login("recent-two"); TestImapClient c2 = login("recent-two"); TestImapClient writer = login("recent-two")) {
            writer.ok("CREATE Box");
            append(writer, "Box", "", message("one"));
            append(writer, "Box", "\\Seen", message("two"));
            assertThat(writer.ok("STATUS Box (MESSAGES RECENT)")).contains("* STATUS Box (MESSAGES 2 RECENT 2)");

            // EXAMINE sees them as recent and takes nothing (RFC 3501 §6.3.2)
            List<String> examine = c2.ok("EXAMINE Box");
            assertThat(examine.subList(0, 2)).containsExactly("* 2 EXISTS", "* 2 RECENT");
            assertThat(c2.ok("FETCH 1:2 (FLAGS)")).contains("* 1 FETCH (FLAGS (\\Recent))", "* 2 FETCH (FLAGS (\\Seen \\Recent))");
            assertThat(writer.ok("STATUS Box (RECENT)")).contains("* STATUS Box (RECENT 2)");

            // the first read-write SELECT claims them
            List<String> select = c1.ok("SELECT Box");
            assertThat(select.subList(0, 2)).containsExactly("* 2 EXISTS", "* 2 RECENT");
            assertThat(c1.ok("FETCH 1:2 (FLAGS)")).contains("* 1 FETCH (FLAGS (\\Recent))", "* 2 FETCH (FLAGS (\\Seen \\Recent))");
            assertThat(c1.ok("SEARCH RECENT")).contains("* SEARCH 1 2");
            assertThat(c1.ok("SEARCH NEW")).contains("* SEARCH 1");
            assertThat(c1.ok("SEARCH OLD")).contains("* SEARCH");
            assertThat(writer.ok("STATUS Box (RECENT)")).contains("* STATUS Box (RECENT 0)");

            // a second SELECT finds none left
            List<String> again = c2.ok("SELECT Box");
            assertThat(again.subList(0, 2)).containsExactly("* 2 EXISTS", "* 0 RECENT");
            assertThat(c2.ok("FETCH 1 (FLAGS)")).contains("* 1 FETCH (FLAGS ())");
            assertThat(c2.ok("SEARCH OLD")).contains("* SEARCH 1 2");

            // a new message goes to the session that hears of it first; RECENT follows EXISTS
            append(writer, "Box", "", message("three"));
            List<String> first = c1.ok("NOOP");
            assertThat(first.indexOf("* 3 RECENT")).as(first.toString()).isEqualTo(first.indexOf("* 3 EXISTS") + 1);
            // the other session hears of it, but its count of recent messages is still 0: no RECENT (RFC 3501 §7.3.2)
            List<String> second = c2.ok("NOOP");
            assertThat(second).contains("* 3 EXISTS").noneMatch(l -> l.endsWith(" RECENT"));

            // STORE responses show it; the client cannot remove \Recent, nor set it on another session's message
            assertThat(c1.ok("STORE 3 +FLAGS (\\Flagged)")).contains("* 3 FETCH (FLAGS (\\Flagged \\Recent))");
            assertThat(c1.ok("STORE 3 -FLAGS (\\Recent)")).contains("* 3 FETCH (FLAGS (\\Flagged \\Recent))");
            assertThat(c2.ok("STORE 3 +FLAGS (\\Recent)")).contains("* 3 FETCH (FLAGS (\\Flagged))");
            assertThat(c1.ok("SEARCH RECENT")).contains("* SEARCH 1 2 3");
            assertThat(c2.ok("SEARCH RECENT")).contains("* SEARCH");

            // an expunged message leaves the recent set with its sequence number
            c1.ok("STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertThat(c1.ok("EXPUNGE")).contains("* 1 EXPUNGE");
            assertThat(c1.ok("SEARCH RECENT")).contains("* SEARCH 1 2");
            assertThat(c1.ok("FETCH 1:2 (FLAGS)")).contains("* 1 FETCH (FLAGS (\\Seen \\Recent))");
        }
    }

    /** Sessions that SELECT one mailbox at the same moment share its new messages out without overlap. */
    @Test
    void concurrentSelectsNeverShareARecentMessage() throws Exception {
        int sessions = 4;
        try (TestImapClient writer = login("recent-race")) {
            writer.ok("CREATE Race");
            for (int i = 0; i < 5; i++) {
                append(writer, "Race", "", message("race " + i));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        List<TestImapClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                clients.add(login("recent-race"));
            }
            List<Future<List<String>>> selects = new ArrayList<>();
            for (TestImapClient c : clients) {
                selects.add(pool.submit(() -> c.ok("SELECT Race")));
            }
            int total = 0;
            for (Future<List<String>> f : selects) {
                List<String> lines = f.get();
                assertThat(lines).contains("* 5 EXISTS");
                String recent = lines.stream().filter(l -> l.endsWith(" RECENT")).findFirst().orElseThrow();
                total += Integer.parseInt(recent.split(" ")[1]);
            }
            assertThat(total).isEqualTo(5);
        } finally {
            pool.shutdownNow();
            for (TestImapClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void imap4rev2SessionsHaveNoRecentAndClaimNothing() throws Exception {
        try (TestImapClient rev2 = login("recent-rev2"); TestImapClient rev1 = login("recent-rev2")) {
            rev2.ok("ENABLE IMAP4rev2");
            rev2.ok("CREATE Box");
            append(rev2, "Box", "", message("one"));
            List<String> select = rev2.ok("SELECT Box");
            assertThat(select).contains("* 1 EXISTS").noneMatch(l -> l.contains("RECENT"));
            assertThat(rev2.ok("FETCH 1 (FLAGS)")).contains("* 1 FETCH (FLAGS ())");
            append(rev2, "Box", "", message("two"));
            assertThat(rev2.ok("NOOP")).noneMatch(l -> l.contains("RECENT"));

            assertThat(rev1.ok("STATUS Box (RECENT)")).contains("* STATUS Box (RECENT 2)");
            assertThat(rev1.ok("SELECT Box")).contains("* 2 RECENT");
        }
    }

    @Test
    void statusRecentOfAMissingMailboxIsNo() throws Exception {
        try (TestImapClient c = login("recent-two")) {
            List<String> status = c.send("STATUS Nowhere (RECENT)");
            assertThat(status).hasSize(1);
            assertThat(status.get(0)).matches("t\\d+ NO \\[NONEXISTENT\\] .*");
        }
    }
}
