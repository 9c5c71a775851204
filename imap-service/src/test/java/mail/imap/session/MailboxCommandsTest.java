package mail.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import mail.core.event.DirectorySnapshot;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.testsupport.InfraTestResource;
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
    static final List<String> ACCOUNTS = List.of("tree", "append", "copy", "live", "condstore", "condstore-enable", "quota", "limits", "rev2", "fetch",
            "reclaim", "subs", "keywords", "exists", "slow", "rename");
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
        List<DirectorySnapshot.Account> accounts = new ArrayList<>();
        for (String a : ACCOUNTS) {
            // the quota account: 4 KiB and 3 messages
            accounts.add(a.equals("quota")
                    ? new DirectorySnapshot.Account(user(a), accountId(a), a, 4096, true, null, 3L)
                    : new DirectorySnapshot.Account(user(a), accountId(a), a, 0, true));
        }
        TestAccounts.prepare(server, store, PASSWORD, accounts);
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

    /** A transcript line sending text with CRLFs inside, then the CRLF that ends the command. */
    private static String raw(String text) {
        return "R: " + text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n") + "\\r\\n";
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

    /** RFC 9208 §5.1: QUOTA=RES-STORAGE is advertised, so STATUS answers DELETED-STORAGE (found by James's Status script). */
    @Test
    void statusDeletedStorageIsWhatExpungeWouldFree() throws Exception {
        String kept = message("kept");
        String first = message("deleted first");
        String second = message("deleted second, a little longer");
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("reclaim"), PASSWORD)) {
            c.ok("CREATE Reclaim");
            assertThat(c.ok("STATUS Reclaim (DELETED DELETED-STORAGE)")).contains("* STATUS Reclaim (DELETED 0 DELETED-STORAGE 0)");
            append(c, "Reclaim", "", kept);
            append(c, "Reclaim", "\\Deleted", first);
            append(c, "Reclaim", "\\Deleted \\Seen", second);
            assertThat(c.ok("STATUS Reclaim (MESSAGES DELETED DELETED-STORAGE SIZE)")).contains("* STATUS Reclaim (MESSAGES 3 DELETED 2"
                    + " DELETED-STORAGE " + (first.length() + second.length()) + " SIZE " + (kept.length() + first.length() + second.length()) + ")");
            // a misspelt item is a syntax error and changes nothing
            assertThat(c.send("STATUS Reclaim (DELETED-STORAGES)")).last().asString().matches("t\\d+ BAD .*");
            c.ok("SELECT Reclaim");
            c.ok("EXPUNGE");
            assertThat(c.ok("STATUS Reclaim (MESSAGES DELETED-STORAGE SIZE)"))
                    .contains("* STATUS Reclaim (MESSAGES 1 DELETED-STORAGE 0 SIZE " + kept.length() + ")");
        }
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
                // CREATE does not subscribe (the subscription list is the client's), so Work is subscribed here
                "C: b9 SUBSCRIBE Work",
                "S: b9 OK SUBSCRIBE completed",
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

    /**
     * Subscriptions are names (RFC 9051 §6.3.7-§6.3.9, RFC 3501 §6.3.6, §6.3.9): CREATE does not subscribe, a name
     * without a mailbox may be subscribed, DELETE and RENAME leave the old names subscribed (RFC 9051 §6.3.6: renaming
     * "doesn't update subscription information"), and those names are listed with \\NonExistent.
     */
    @Test
    void subscriptionsAreNamesThatOutliveTheirMailboxes() throws Exception {
        tls("subs", String.join("\n", login("subs"),
                "C: s1 CREATE Lists/Alpha",
                "S: s1 OK CREATE completed",
                "C: s2 LSUB \"\" \"Lists*\"",
                "S: s2 OK LSUB completed",
                "C: s3 SUBSCRIBE Lists/Alpha",
                "S: s3 OK SUBSCRIBE completed",
                "C: s4 SUBSCRIBE Not/There",
                "S: s4 OK SUBSCRIBE completed",
                "C: s5 SUBSCRIBE Not/There",
                "S: s5 OK SUBSCRIBE completed",
                // RFC 3501 §6.3.9: "%" returns the unsubscribed level above a subscribed name, as \\Noselect
                "C: s6 LSUB \"\" \"%\"",
                "S: * LSUB () \"/\" Archive",
                "S: * LSUB () \"/\" Drafts",
                "S: * LSUB () \"/\" INBOX",
                "S: * LSUB () \"/\" Junk",
                "S: * LSUB (\\Noselect) \"/\" Lists",
                "S: * LSUB (\\Noselect) \"/\" Not",
                "S: * LSUB () \"/\" Sent",
                "S: * LSUB () \"/\" Trash",
                "S: s6 OK LSUB completed",
                "C: s7 DELETE Lists/Alpha",
                "S: s7 OK DELETE completed",
                "C: s8 LSUB \"\" \"*/*\"",
                "S: * LSUB (\\Noselect \\NonExistent) \"/\" Lists/Alpha",
                "S: * LSUB (\\Noselect \\NonExistent) \"/\" Not/There",
                "S: s8 OK LSUB completed",
                "C: s9 LIST (SUBSCRIBED) \"\" \"*\"",
                "S: * LIST (\\HasNoChildren \\Archive \\Subscribed) \"/\" Archive",
                "S: * LIST (\\HasNoChildren \\Drafts \\Subscribed) \"/\" Drafts",
                "S: * LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX",
                "S: * LIST (\\HasNoChildren \\Junk \\Subscribed) \"/\" Junk",
                "S: * LIST (\\NonExistent \\Subscribed) \"/\" Lists/Alpha",
                "S: * LIST (\\NonExistent \\Subscribed) \"/\" Not/There",
                "S: * LIST (\\HasNoChildren \\Sent \\Subscribed) \"/\" Sent",
                "S: * LIST (\\HasNoChildren \\Trash \\Subscribed) \"/\" Trash",
                "S: s9 OK LIST completed",
                // a return option never adds names (RFC 9051 §6.3.9): the names without a mailbox are not listed
                "C: t1 LIST \"\" \"Lists*\" RETURN (SUBSCRIBED)",
                "S: * LIST (\\HasNoChildren) \"/\" Lists",
                "S: t1 OK LIST completed",
                "C: t2 CREATE Box/Child",
                "S: t2 OK CREATE completed",
                "C: t3 SUBSCRIBE Box",
                "S: t3 OK SUBSCRIBE completed",
                "C: t4 SUBSCRIBE Box/Child",
                "S: t4 OK SUBSCRIBE completed",
                "C: t5 RENAME Box Crate",
                "S: t5 OK RENAME completed",
                "C: t6 LIST (SUBSCRIBED) \"\" \"Box*\"",
                "S: * LIST (\\NonExistent \\Subscribed) \"/\" Box",
                "S: * LIST (\\NonExistent \\Subscribed) \"/\" Box/Child",
                "S: t6 OK LIST completed",
                "C: t7 LIST \"\" \"Crate*\" RETURN (SUBSCRIBED)",
                "S: * LIST (\\HasChildren) \"/\" Crate",
                "S: * LIST (\\HasNoChildren) \"/\" Crate/Child",
                "S: t7 OK LIST completed",
                "C: t8 UNSUBSCRIBE Not/There",
                "S: t8 OK UNSUBSCRIBE completed",
                "C: t9 UNSUBSCRIBE Never/Subscribed",
                "S: t9 OK UNSUBSCRIBE completed",
                "C: u1 SUBSCRIBE \"a//b\"",
                "S: u1 NO [CANNOT] Invalid mailbox name*",
                "C: u2 SUBSCRIBE",
                "S: u2 BAD *",
                "C: u3 LOGOUT", "S: * BYE *", "S: u3 OK *", "CLOSED"));
        assertThat(store.mailboxes().subscriptions().names(accountId("subs"))).containsExactly(
                "Archive", "Box", "Box/Child", "Drafts", "INBOX", "Junk", "Lists/Alpha", "Sent", "Trash");
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A keyword new to the mailbox brings a new FLAGS and PERMANENTFLAGS (RFC 9051 §7.3.5, RFC 3501 §7.2.6) before any
     * FETCH that shows it: in the session that set it (STORE, APPEND) and in another one with the mailbox selected.
     */
    @Test
    void aNewKeywordIsAnnouncedWithFlagsBeforeAnyFetchShowsIt() throws Exception {
        String system = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";
        try (TestImapClient c1 = TestImapClient.login(server.tlsPort(), user("keywords"), PASSWORD);
             TestImapClient c2 = TestImapClient.login(server.tlsPort(), user("keywords"), PASSWORD)) {
            c1.ok("CREATE Tagged");
            append(c1, "Tagged", "", message("plain"));
            List<String> select = c1.ok("SELECT Tagged");
            assertThat(select).contains("* FLAGS (" + system + ")")
                    .anyMatch(l -> l.startsWith("* OK [PERMANENTFLAGS (" + system + " \\*)]"));
            c2.ok("SELECT Tagged");

            List<String> store = c1.ok("STORE 1 +FLAGS ($Work)");
            int flags = indexOf(store, "* FLAGS (" + system + " $Work)");
            int permanent = indexOf(store, "* OK [PERMANENTFLAGS (" + system + " $Work \\*)]");
            int fetch = indexOf(store, "* 1 FETCH (FLAGS (\\Recent $Work))");
            assertThat(flags).as(store.toString()).isNotNegative().isLessThan(fetch);
            assertThat(permanent).isNotNegative().isLessThan(fetch);
            // known now: a second STORE of it announces nothing
            assertThat(c1.ok("STORE 1 FLAGS ($Work \\Seen)")).noneMatch(l -> l.startsWith("* FLAGS"));

            List<String> noop = c2.ok("NOOP");
            assertThat(indexOf(noop, "* FLAGS (" + system + " $Work)")).as(noop.toString()).isNotNegative()
                    .isLessThan(indexOf(noop, "* 1 FETCH"));

            // APPEND into the selected mailbox with a new keyword: announced before the tagged OK
            List<String> appended = append(c1, "Tagged", "Later", message("later"));
            assertThat(appended).contains("* 2 EXISTS", "* FLAGS (" + system + " $Work Later)");
            assertThat(c1.ok("FETCH 2 (FLAGS)")).contains("* 2 FETCH (FLAGS (\\Recent Later))");

            // bad input changes nothing and announces nothing
            List<String> bad = c1.send("STORE 1 +FLAGS (\\Bogus)");
            assertThat(bad.get(bad.size() - 1)).matches("t\\d+ BAD .*");
            assertThat(bad).noneMatch(l -> l.startsWith("* FLAGS") || l.contains("FETCH"));

            // a new selection lists the keywords in use; EXAMINE permits none (RFC 9051 §7.1)
            assertThat(c2.ok("EXAMINE Tagged")).contains("* FLAGS (" + system + " $Work Later)", "* OK [PERMANENTFLAGS ()] Flags permitted");
        }
    }

    /**
     * A command naming a message the session was not told of yet (another session appended it) gets the EXISTS
     * first and then runs, instead of a BAD (RFC 9051 §7.4.1: EXISTS may come at any time, and before a response that
     * uses the new number); a number that does not exist even then is still BAD.
     */
    /**
     * RFC 9051 §6.3.6: RENAME creates the superior names of the new name that do not exist (SHOULD); the children
     * move with the mailbox and the old parent stays. A RENAME refused before anything moves creates nothing.
     */
    @Test
    void renameCreatesTheMissingSuperiorsOfTheNewName() throws Exception {
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("rename"), PASSWORD)) {
            c.ok("CREATE one/two/three");
            c.ok("RENAME one/two alpha/beta");
            assertThat(c.ok("LIST \"\" \"one*\"")).filteredOn(l -> l.startsWith("* LIST")).containsExactly(
                    "* LIST (\\HasNoChildren) \"/\" one");
            assertThat(c.ok("LIST \"\" \"alpha*\"")).filteredOn(l -> l.startsWith("* LIST")).containsExactlyInAnyOrder(
                    "* LIST (\\HasChildren) \"/\" alpha",
                    "* LIST (\\HasChildren) \"/\" alpha/beta",
                    "* LIST (\\HasNoChildren) \"/\" alpha/beta/three");
            c.ok("RENAME alpha/beta/three x/y/z");
            assertThat(c.ok("LIST \"\" \"x*\"")).filteredOn(l -> l.startsWith("* LIST")).containsExactlyInAnyOrder(
                    "* LIST (\\HasChildren) \"/\" x",
                    "* LIST (\\HasChildren) \"/\" x/y",
                    "* LIST (\\HasNoChildren) \"/\" x/y/z");

            // refused: no source, a target below the source, an existing target; none leaves a parent behind
            assertThat(c.send("RENAME nothing p/q")).last().asString().matches("t\\d+ NO \\[NONEXISTENT\\] .*");
            assertThat(c.send("RENAME x x/y/r/s")).last().asString().matches("t\\d+ NO \\[CANNOT\\] .*");
            assertThat(c.send("RENAME one alpha/beta")).last().asString().matches("t\\d+ NO \\[ALREADYEXISTS\\] .*");
            assertThat(c.ok("LIST \"\" \"p*\"")).noneMatch(l -> l.startsWith("* LIST"));
            assertThat(c.ok("LIST \"\" \"x/y/r*\"")).noneMatch(l -> l.startsWith("* LIST"));
        }
    }

    @Test
    void messagesAppendedElsewhereAreAnnouncedBeforeTheCommandThatNamesThem() throws Exception {
        try (TestImapClient c1 = TestImapClient.login(server.tlsPort(), user("exists"), PASSWORD);
             TestImapClient c2 = TestImapClient.login(server.tlsPort(), user("exists"), PASSWORD)) {
            c1.ok("CREATE Shared");
            assertThat(c1.ok("SELECT Shared")).contains("* 0 EXISTS");
            append(c2, "Shared", "", message("one"));
            List<String> store = c1.ok("STORE 1 +FLAGS (\\Flagged)");
            assertThat(indexOf(store, "* 1 EXISTS")).as(store.toString()).isNotNegative()
                    .isLessThan(indexOf(store, "* 1 FETCH (FLAGS (\\Flagged \\Recent))"));

            append(c2, "Shared", "", message("two"));
            List<String> fetch = c1.ok("FETCH 2 (FLAGS)");
            assertThat(indexOf(fetch, "* 2 EXISTS")).as(fetch.toString()).isNotNegative()
                    .isLessThan(indexOf(fetch, "* 2 FETCH (FLAGS (\\Recent))"));

            List<String> third = append(c2, "Shared", "", message("three"));
            String uid = third.get(third.size() - 1).replaceAll(".*APPENDUID \\d+ (\\d+)\\].*", "$1");
            List<String> byUid = c1.ok("UID FETCH " + uid + " (FLAGS)");
            assertThat(indexOf(byUid, "* 3 EXISTS")).as(byUid.toString()).isNotNegative()
                    .isLessThan(indexOf(byUid, "* 3 FETCH (UID " + uid + " FLAGS (\\Recent))"));

            List<String> beyond = c1.send("FETCH 9 (FLAGS)");
            assertThat(beyond.get(beyond.size() - 1)).matches("t\\d+ BAD .*");
            assertThat(c1.ok("NOOP")).noneMatch(l -> l.contains("EXISTS"));
            assertThat(store("exists", "Shared")).isEqualTo(3);
        }
    }

    private long store(String account, String mailbox) {
        return store.messages().counts(mailbox(account, mailbox).id()).messages();
    }

    /**
     * A client FETCHes 24 MB of bodies and stops reading: the server keeps no more than its high-water mark (plus a
     * chunk and one message's small parts) queued, whatever the size of the rest, because the FETCH pauses instead of
     * queueing or holding a thread; the session is served meanwhile by nobody, another one is; once the client reads
     * again every octet arrives and the FETCH completes.
     */
    @Test
    void aFetchToAClientThatStopsReadingKeepsTheQueueBounded() throws Exception {
        int count = 4;
        StringBuilder b = new StringBuilder("From: a@example.org\r\nSubject: big\r\n\r\n");
        for (int i = 0; b.length() < 6_000_000; i++) {
            b.append("line ").append(i).append(' ').append("z".repeat(70)).append("\r\n");
        }
        byte[] body = b.toString().getBytes(StandardCharsets.US_ASCII);
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("slow"), PASSWORD)) {
            c.ok("CREATE Big");
            for (int i = 0; i < count; i++) {
                c.write("ap APPEND Big {" + body.length + "+}\r\n");
                c.writeBytes(body);
                c.write("\r\n");
                assertThat(c.readUntil("ap ").get(0)).startsWith("ap OK");
            }
        }
        long bound = mail.protocol.net.Connection.OUTPUT_HIGH_WATER + 2 * 64 * 1024 + 4096;
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.tlsPort()));
            s.setSoTimeout(15_000);
            s.startHandshake();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("a LOGIN \"" + user("slow") + "\" \"" + PASSWORD + "\"\r\nb SELECT Big\r\nc FETCH 1:* (BODY.PEEK[])\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the client reads nothing: the queue fills to the mark and stays there
            long giveUp = System.nanoTime() + 30_000_000_000L;
            while (server.queuedOutputBytes() <= bound / 4) {
                assertThat(System.nanoTime()).as("the server never queued output for the FETCH").isLessThan(giveUp);
                Thread.sleep(20);
            }
            long maxSeen = 0;
            for (int i = 0; i < 10; i++) {
                maxSeen = Math.max(maxSeen, server.queuedOutputBytes());
                Thread.sleep(100);
            }
            assertThat(maxSeen).isBetween(1L, bound);
            try (TestImapClient other = TestImapClient.login(server.tlsPort(), user("fetch"), PASSWORD)) {
                other.ok("NOOP");
            }
            long literals = 0;
            String tagged = null;
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            while (tagged == null) {
                int ch = in.read();
                assertThat(ch).as("connection closed before the FETCH completed").isNotNegative();
                if (ch != '\n') {
                    line.write(ch);
                    continue;
                }
                String l = line.toString(StandardCharsets.US_ASCII).stripTrailing();
                line.reset();
                java.util.regex.Matcher lit = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(l);
                if (lit.find()) {
                    byte[] got = in.readNBytes(Integer.parseInt(lit.group(1)));
                    assertThat(got).isEqualTo(body);
                    literals++;
                } else if (l.startsWith("c ")) {
                    tagged = l;
                }
            }
            assertThat(literals).isEqualTo(count);
            assertThat(tagged).startsWith("c OK FETCH completed");
        }
        assertThat(server.queuedOutputBytes()).isLessThan(bound);
    }

    @Test
    void appendSelectStoreAndExpunge() throws Exception {
        String m1 = message("first");
        String m2 = message("second");
        tls("append", String.join("\n", login("append"),
                "C: a1 APPEND Drafts (\\Seen $Work) \"29-Nov-2026 07:00:00 +0100\" {" + m1.length() + "}",
                "S: + *",
                raw(m1),
                "S~ a1 OK \\[APPENDUID \\d+ 1\\] APPEND completed",
                // LITERAL+: no continuation
                "C+ a2 APPEND Drafts {" + m2.length() + "+}",
                raw(m2),
                "S~ a2 OK \\[APPENDUID \\d+ 2\\] APPEND completed",
                "C: a3 STATUS Drafts (MESSAGES UIDNEXT UNSEEN SIZE DELETED RECENT)",
                "S: * STATUS Drafts (MESSAGES 2 UIDNEXT 3 UNSEEN 1 SIZE " + (m1.length() + m2.length()) + " DELETED 0 RECENT 2)",
                "S: a3 OK STATUS completed",
                "C: a4 SELECT Drafts",
                "S: * 2 EXISTS",
                // the first read-write IMAP4rev1 session told of them (RFC 3501 §2.3.2)
                "S: * 2 RECENT",
                "S: * OK [UNSEEN 2] *",
                "S~ \\* OK \\[UIDVALIDITY \\d+\\] .*",
                "S: * OK [UIDNEXT 3] *",
                // the keywords in use in the mailbox are listed (RFC 9051 §7.3.5)
                "S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                "S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] *",
                // RFC 7162 §3.1.2.1: on every SELECT, CONDSTORE enabled or not
                "S~ \\* OK \\[HIGHESTMODSEQ \\d+\\] .*",
                "S: a4 OK [READ-WRITE] SELECT completed",
                "C: a5 STORE 2 +FLAGS (\\Flagged)",
                "S: * 2 FETCH (FLAGS (\\Flagged \\Recent))",
                "S: a5 OK STORE completed",
                "C: a6 UID STORE 1 -FLAGS.SILENT ($Work)",
                "S: a6 OK UID STORE completed",
                "C: a7 STORE 1:2 FLAGS (\\Deleted \\Seen)",
                "S: * 1 FETCH (FLAGS (\\Deleted \\Seen \\Recent))",
                "S: * 2 FETCH (FLAGS (\\Deleted \\Seen \\Recent))",
                "S: a7 OK STORE completed",
                "C: a8 STORE 1 +FLAGS (\\Frobnicated)",
                "S: a8 BAD Unknown system flag *",
                "C: a9 STORE 3 +FLAGS (\\Seen)",
                "S: a9 BAD message number 3 does not exist *",
                "C: b1 UID EXPUNGE 2",
                "S: * 2 EXPUNGE",
                "S: b1 OK UID EXPUNGE completed",
                "C: b2 EXPUNGE",
                "S: * 1 EXPUNGE",
                "S: b2 OK EXPUNGE completed",
                "C: b3 STATUS Drafts (MESSAGES UIDNEXT)",
                "S: * STATUS Drafts (MESSAGES 0 UIDNEXT 3)",
                "S: b3 OK STATUS completed",
                "C: b4 CLOSE",
                "S: b4 OK CLOSE completed",
                "C: b5 EXPUNGE",
                "S: b5 BAD No mailbox selected",
                "C: b6 LOGOUT", "S: * BYE *", "S: b6 OK *", "CLOSED"));
        assertThat(store.messages().list(mailbox("append", "Drafts").id())).isEmpty();
    }

    @Test
    void appendErrorsLeaveNothingBehind() throws Exception {
        tls("append errors", String.join("\n", login("limits"),
                "C: a1 APPEND Nowhere {10}",
                "S: + *",
                "C: 0123456789",
                "S: a1 NO [TRYCREATE] *",
                // over APPENDLIMIT: refused before the client sends a byte
                "C: a2 APPEND INBOX {999999999}",
                "S: a2 NO [TOOBIG] *",
                "C: a3 APPEND INBOX {0}",
                "S: + *",
                "C: ",
                "S: a3 NO *",
                "C: a4 APPEND INBOX (\\Bogus) {5}",
                "S: + *",
                "C: Hello",
                "S: a4 OK *",
                "C: a5 LOGOUT", "S: * BYE *", "S: a5 OK *", "CLOSED"));
        assertThat(store.messages().list(mailbox("limits", "INBOX").id())).hasSize(1);
        assertThat(java.nio.file.Files.list(java.nio.file.Path.of(
                ConfigProvider.getConfig().getValue("mail.imap.data-dir", String.class), "spool")).count()).isZero();
    }

    @Test
    void copyAndMoveWithUidPlusAndReadOnlyExamine() throws Exception {
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("copy"), PASSWORD)) {
            for (int i = 1; i <= 3; i++) {
                assertThat(append(c, "INBOX", i == 2 ? "\\Flagged" : "", message("copy " + i))).last().asString().contains("OK");
            }
        }
        long archiveValidity = mailbox("copy", "Archive").uidValidity();
        long trashValidity = mailbox("copy", "Trash").uidValidity();
        tls("copy", String.join("\n", login("copy"),
                "C: a1 SELECT INBOX",
                "S: * 3 EXISTS", "S: * 3 RECENT", "S: * OK [UNSEEN 1] *", "S: * OK [UIDVALIDITY *", "S: * OK [UIDNEXT 4] *",
                "S: * FLAGS *", "S: * OK [PERMANENTFLAGS *", "S: * OK [HIGHESTMODSEQ *", "S: a1 OK [READ-WRITE] *",
                "C: a2 COPY 1:2 Nowhere",
                "S: a2 NO [TRYCREATE] *",
                "C: a3 COPY 2:3 Archive",
                "S: a3 OK [COPYUID " + archiveValidity + " 2:3 1:2] COPY completed",
                "C: a4 UID MOVE 1,3 Trash",
                "S: * OK [COPYUID " + trashValidity + " 1,3 1:2] Moved",
                "S: * 1 EXPUNGE",
                "S: * 2 EXPUNGE",
                "S: a4 OK UID MOVE completed",
                "C: a5 EXAMINE Archive",
                "S: * 2 EXISTS", "S: * 2 RECENT", "S: * OK [UNSEEN 1] *", "S: * OK [UIDVALIDITY *", "S: * OK [UIDNEXT 3] *",
                "S: * FLAGS *", "S: * OK [PERMANENTFLAGS ()] *", "S: * OK [HIGHESTMODSEQ *", "S: a5 OK [READ-ONLY] EXAMINE completed",
                "C: a6 STORE 1 +FLAGS (\\Seen)",
                "S: a6 NO [READ-ONLY] *",
                "C: a7 MOVE 1 INBOX",
                "S: a7 NO [READ-ONLY] *",
                "C: a8 EXPUNGE",
                "S: a8 NO [READ-ONLY] *",
                "C: a9 COPY 1:* INBOX",
                "S~ a9 OK \\[COPYUID \\d+ 1:2 4:5\\] COPY completed",
                "C: b1 UNSELECT",
                "S: b1 OK UNSELECT completed",
                "C: b2 STATUS INBOX (MESSAGES UIDNEXT)",
                "S: * STATUS INBOX (MESSAGES 3 UIDNEXT 6)",
                "S: b2 OK *",
                "C: b3 LOGOUT", "S: * BYE *", "S: b3 OK *", "CLOSED"));
        // the flag travelled with the copy
        assertThat(store.messages().list(mailbox("copy", "Archive").id()).get(0).getList("flags", String.class)).contains("\\Flagged");
    }

    @Test
    void changesMadeByOneSessionReachAnIdlingAndANoopingSession() throws Exception {
        try (TestImapClient writer = TestImapClient.login(server.tlsPort(), user("live"), PASSWORD);
             TestImapClient idler = TestImapClient.login(server.tlsPort(), user("live"), PASSWORD);
             TestImapClient nooper = TestImapClient.login(server.tlsPort(), user("live"), PASSWORD)) {
            append(writer, "INBOX", "", message("live 1"));
            idler.ok("SELECT INBOX");
            nooper.ok("SELECT INBOX");
            writer.ok("SELECT INBOX");
            idler.write("i1 IDLE\r\n");
            assertThat(idler.readLine()).startsWith("+ ");

            append(writer, "INBOX", "", message("live 2"));
            assertThat(waitFor(idler, "* 2 EXISTS")).isTrue();
            writer.ok("STORE 1 +FLAGS (\\Deleted)");
            // the idler SELECTed first: message 1 is \Recent to it (RFC 3501 §2.3.2)
            assertThat(waitFor(idler, "* 1 FETCH (FLAGS (\\Deleted \\Recent))")).isTrue();
            writer.ok("EXPUNGE");
            assertThat(waitFor(idler, "* 1 EXPUNGE")).isTrue();
            idler.write("DONE\r\n");
            assertThat(idler.readUntil("i1 ")).last().asString().isEqualTo("i1 OK IDLE terminated");

            // the other session was busy: a FETCH/STORE/SEARCH may not announce the expunge (RFC 9051 §7.4.1), so its
            // sequence numbers stay as they were; NOOP then tells it everything
            // message 1 is gone, but this session was not told yet: the STORE finds nothing to change, may mention
            // the new message (EXISTS) but not the expunge
            List<String> store1 = nooper.ok("STORE 1 +FLAGS.SILENT (\\Answered)");
            assertThat(store1).noneMatch(l -> l.contains("EXPUNGE"));
            List<String> noop = nooper.ok("NOOP");
            assertThat(noop).contains("* 1 EXPUNGE");
            List<String> both = new ArrayList<>(store1);
            both.addAll(noop);
            assertThat(both).contains("* 2 EXISTS");
        }
    }

    private static boolean waitFor(TestImapClient c, String line) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        List<String> seen = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            for (String l : c.linesWithin(250)) {
                seen.add(l);
                if (l.equals(line)) {
                    return true;
                }
            }
        }
        throw new AssertionError("expected [" + line + "] within 5 s, got " + seen);
    }

    @Test
    void condstoreAndQresync() throws Exception {
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("condstore"), PASSWORD)) {
            for (int i = 1; i <= 4; i++) {
                append(c, "INBOX", "", message("cs " + i));
            }
            List<String> sel = c.ok("SELECT INBOX (CONDSTORE)");
            String hms = sel.stream().filter(l -> l.startsWith("* OK [HIGHESTMODSEQ ")).findFirst().orElseThrow();
            long modSeq = Long.parseLong(hms.replaceAll("\\D+", " ").trim().split(" ")[0]);
            long validity = mailbox("condstore", "INBOX").uidValidity();

            List<String> st = c.ok("STORE 1 +FLAGS (\\Seen)");
            assertThat(st).anyMatch(l -> l.matches("\\* 1 FETCH \\(FLAGS \\(\\\\Seen \\\\Recent\\) MODSEQ \\(\\d+\\)\\)"));
            // UNCHANGEDSINCE older than message 1's change: 1 fails, 2 succeeds
            List<String> cond = c.send("STORE 1:2 (UNCHANGEDSINCE " + modSeq + ") +FLAGS (\\Flagged)");
            assertThat(cond.get(cond.size() - 1)).contains("OK [MODIFIED 1]");
            assertThat(cond).anyMatch(l -> l.startsWith("* 2 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ ("));
            c.ok("STORE 3 +FLAGS (\\Deleted)");
            c.ok("EXPUNGE");
            c.ok("LOGOUT");
        }
        long validity = mailbox("condstore", "INBOX").uidValidity();
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("condstore"), PASSWORD)) {
            assertThat(c.ok("ENABLE QRESYNC")).contains("* ENABLED QRESYNC");
            List<String> sel = c.ok("SELECT INBOX (QRESYNC (" + validity + " 1 1:4))");
            assertThat(sel).contains("* VANISHED (EARLIER) 3");
            assertThat(sel).anyMatch(l -> l.matches("\\* 1 FETCH \\(UID 1 FLAGS \\(\\\\Seen\\) MODSEQ \\(\\d+\\)\\)"));
            assertThat(sel).anyMatch(l -> l.matches("\\* 2 FETCH \\(UID 2 FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)"));
            // a wrong UIDVALIDITY: no resync data, the client must start over
            List<String> stale = c.ok("SELECT INBOX (QRESYNC (" + (validity + 1) + " 1))");
            assertThat(stale).noneMatch(l -> l.contains("VANISHED") || l.contains("FETCH"));
            assertThat(stale).contains("* OK [CLOSED] Previous mailbox closed");
            c.ok("STORE 1 +FLAGS (\\Deleted)");
            List<String> ex = c.ok("EXPUNGE");
            assertThat(ex).contains("* VANISHED 1");
        }
    }

    @Test
    void theFirstCondstoreEnablingCommandInASelectedMailboxReportsHighestModSeqOnce() throws Exception {
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("condstore-enable"), PASSWORD)) {
            for (int i = 1; i <= 3; i++) {
                append(c, "INBOX", "", message("ce " + i));
            }
            c.ok("SELECT INBOX");
            c.ok("STORE 2 +FLAGS (\\Flagged)");
            long highest = mailbox("condstore-enable", "INBOX").highestModSeq();
            // a plain FETCH enables nothing
            assertThat(c.ok("FETCH 1 (FLAGS)")).noneMatch(l -> l.contains("HIGHESTMODSEQ"));
            // SEARCH MODSEQ is the first enabling command (RFC 7162 §3.1): the OK comes before the search result
            List<String> first = c.ok("SEARCH MODSEQ 1");
            assertThat(first.get(0)).isEqualTo("* OK [HIGHESTMODSEQ " + highest + "] Highest");
            assertThat(first.get(1)).startsWith("* SEARCH 1 2 3 (MODSEQ ");
            // once enabled, later enabling commands do not repeat it, and FETCH responses carry MODSEQ
            List<String> fetch = c.ok("FETCH 2 (MODSEQ)");
            assertThat(fetch).noneMatch(l -> l.contains("HIGHESTMODSEQ"));
            assertThat(fetch).anyMatch(l -> l.matches("\\* 2 FETCH \\(MODSEQ \\(" + highest + "\\)\\)"));
        }
        // FETCH of MODSEQ enables it too, in a read-only selection as well
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("condstore-enable"), PASSWORD)) {
            c.ok("EXAMINE INBOX");
            List<String> fetch = c.ok("FETCH 1 (MODSEQ)");
            assertThat(fetch.get(0)).startsWith("* OK [HIGHESTMODSEQ ");
            assertThat(c.ok("UID FETCH 1 (FLAGS) (CHANGEDSINCE 1)")).noneMatch(l -> l.contains("HIGHESTMODSEQ"));
        }
    }

    @Test
    void quotaIsReportedAndEnforced() throws Exception {
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("quota"), PASSWORD)) {
            assertThat(c.ok("GETQUOTAROOT INBOX")).contains("* QUOTAROOT INBOX \"\"", "* QUOTA \"\" (STORAGE 0 4 MESSAGE 0 3)");
            String small = message("q");
            for (int i = 0; i < 3; i++) {
                assertThat(append(c, "INBOX", "", small)).last().asString().contains("OK [APPENDUID");
            }
            assertThat(append(c, "INBOX", "", small)).last().asString().contains("NO [OVERQUOTA]");
            assertThat(c.ok("GETQUOTA \"\"")).anyMatch(l -> l.matches("\\* QUOTA \"\" \\(STORAGE 1 4 MESSAGE 3 3\\)"));
            assertThat(c.send("GETQUOTA other")).last().asString().contains("NO [NONEXISTENT]");
            assertThat(c.send("SETQUOTA \"\" (STORAGE 99999)")).last().asString().contains("NO [NOPERM]");
        }
        assertThat(store.messages().accountMessages(accountId("quota"))).isEqualTo(3);
    }

    @Test
    void utf8NamesOnceImap4rev2IsEnabled() throws Exception {
        tls("rev2", String.join("\n", login("rev2"),
                "C: a1 ENABLE IMAP4rev2",
                "S: * ENABLED IMAP4rev2",
                "S: a1 OK *",
                "C: a2 CREATE \"Entwürfe/Größe\"",
                "S: a2 OK CREATE completed",
                "C: a3 LIST \"\" \"Entw*\"",
                "S: * LIST (\\HasChildren) \"/\" \"Entwürfe\"",
                "S: * LIST (\\HasNoChildren) \"/\" \"Entwürfe/Größe\"",
                "S: a3 OK LIST completed",
                "C: a4 SELECT \"Entwürfe/Größe\"",
                "S: * 0 EXISTS",
                "S~ \\* OK \\[UIDVALIDITY \\d+\\] .*",
                "S: * OK [UIDNEXT 1] *",
                "S: * FLAGS *",
                "S: * OK [PERMANENTFLAGS *",
                "S: * LIST () \"/\" \"Entwürfe/Größe\"",
                "S: * OK [HIGHESTMODSEQ *",
                "S: a4 OK [READ-WRITE] SELECT completed",
                "C: a5 LOGOUT", "S: * BYE *", "S: a5 OK *", "CLOSED"));
    }

    @Test
    void fetchSetsSeenWhereTheRfcSaysAndSearchAnswersFromTheStore() throws Exception {
        String body = "From: Carol <carol@example.org>\r\nTo: fetch@example.test\r\nSubject: Quarterly report\r\n"
                + "Date: Sun, 29 Nov 2026 06:00:00 +0000\r\n\r\nNumbers are up\r\n";
        try (TestImapClient c = TestImapClient.login(server.tlsPort(), user("fetch"), PASSWORD)) {
            append(c, "INBOX", "", body);
            append(c, "INBOX", "\\Flagged", message("second"));
            append(c, "INBOX", "", message("third"));
            c.ok("SELECT INBOX");

            List<String> peek = c.ok("FETCH 1 (FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertThat(String.join("\n", peek)).contains("FLAGS (\\Recent)", "RFC822.SIZE " + body.length(), "Subject: Quarterly report");
            List<String> full = c.ok("FETCH 1 BODY[]");
            // the \Seen this FETCH sets comes first, before the literal (RFC 9051 §6.4.5)
            assertThat(full.get(0)).startsWith("* 1 FETCH (FLAGS (\\Seen \\Recent) BODY[] {" + body.length() + "}").contains("Numbers are up");
            List<String> uid = c.ok("UID FETCH 2 (FLAGS)");
            assertThat(uid).contains("* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent))");
            List<String> partial = c.ok("FETCH 1 BODY.PEEK[TEXT]<0.7>");
            assertThat(partial.get(0)).contains("BODY[TEXT]<0> {7}").contains("Numbers");

            assertThat(c.ok("SEARCH SUBJECT quarterly")).contains("* SEARCH 1");
            assertThat(c.ok("SEARCH FLAGGED")).contains("* SEARCH 2");
            assertThat(c.ok("UID SEARCH UNSEEN")).contains("* SEARCH 2 3");
            assertThat(c.ok("SEARCH OR SEEN FLAGGED")).contains("* SEARCH 1 2");
            assertThat(c.ok("SEARCH RETURN (MIN MAX COUNT) ALL")).anyMatch(l -> l.matches("\\* ESEARCH \\(TAG \"t\\d+\"\\) MIN 1 MAX 3 COUNT 3"));
            c.ok("SEARCH RETURN (SAVE) FLAGGED");
            assertThat(c.ok("FETCH $ (FLAGS)")).contains("* 2 FETCH (FLAGS (\\Flagged \\Recent))");
            assertThat(c.send("SEARCH CHARSET KOI8-R ALL")).last().asString().contains("NO [BADCHARSET");
            assertThat(c.send("FETCH 9 FLAGS")).last().asString().contains("BAD");

            // EXAMINE: reading a body does not set \Seen
            c.ok("EXAMINE INBOX");
            assertThat(String.join("\n", c.ok("FETCH 3 BODY[]"))).doesNotContain("\\Seen");
            c.ok("SELECT INBOX");
            // the first SELECT claimed the messages as \Recent: this one finds none left
            assertThat(c.ok("FETCH 3 FLAGS")).contains("* 3 FETCH (FLAGS ())");
        }
        // another session expunges message 2 while this one has not been told: FETCH skips it and says so
        try (TestImapClient a = TestImapClient.login(server.tlsPort(), user("fetch"), PASSWORD);
             TestImapClient b = TestImapClient.login(server.tlsPort(), user("fetch"), PASSWORD)) {
            a.ok("SELECT INBOX");
            b.ok("SELECT INBOX");
            b.ok("STORE 2 +FLAGS (\\Deleted)");
            b.ok("EXPUNGE");
            List<String> f = a.send("FETCH 1:3 (FLAGS)");
            assertThat(f.get(f.size() - 1)).contains("NO [EXPUNGEISSUED]");
            assertThat(f).noneMatch(l -> l.contains("EXPUNGE") && l.startsWith("* 2"));
            assertThat(a.ok("NOOP")).contains("* 2 EXPUNGE");
        }
    }

    @Test
    void sessionsPerAccountAreLimited() throws Exception {
        List<TestImapClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(TestImapClient.login(server.tlsPort(), user("rev2"), PASSWORD));
            }
            try (TestImapClient fifth = new TestImapClient(server.tlsPort())) {
                assertThat(fifth.send("LOGIN \"" + user("rev2") + "\" \"" + PASSWORD + "\"")).last().asString()
                        .contains("NO [LIMIT]");
                open.get(0).close();
                open.remove(0);
                long deadline = System.currentTimeMillis() + 5000;
                List<String> r;
                do {
                    Thread.sleep(100);
                    r = fifth.send("LOGIN \"" + user("rev2") + "\" \"" + PASSWORD + "\"");
                } while (r.get(r.size() - 1).contains("NO [LIMIT]") && System.currentTimeMillis() < deadline);
                assertThat(r).last().asString().contains("OK");
            }
        } finally {
            for (TestImapClient c : open) {
                c.close();
            }
        }
    }
}
