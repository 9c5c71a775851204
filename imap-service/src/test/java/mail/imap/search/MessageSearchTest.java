package mail.imap.search;

import static mail.imap.fetch.StoredMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import mail.core.event.MessageRef;
import mail.core.mongo.MongoSchema;
import mail.imap.fetch.MemoryBlobStore;
import mail.imap.fetch.StoredMessages;
import mail.imap.protocol.ImapCommand;
import mail.message.MessageMetadataBson;
import mail.message.ParserLimits;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.NewMessage;
import mail.store.StoreSchema;
import mail.store.StoredMessage;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every SEARCH key against the MongoDB-compatible server, on messages stored by mail-store as delivery stores them. */
class MessageSearchTest {
    private static MongoClient client;
    private static MongoDatabase db;
    private static Mailbox mailbox;
    private static MessageSearch search;
    /** name -> uid, in delivery order */
    private static final Map<String, Long> UIDS = new LinkedHashMap<>();
    private static final Map<String, Long> MODSEQS = new LinkedHashMap<>();
    private static final Map<String, Integer> SIZES = new LinkedHashMap<>();

    private static final String LOREM = "lorem ipsum dolor sit amet ".repeat(800);

    @BeforeAll
    static void store() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("imap_search_" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, StoreSchema.collections());
        MailStore store = new MailStore(db);
        String account = "acc-" + UUID.randomUUID();
        store.mailboxes().ensureDefaults(account);
        mailbox = store.mailboxes().find(account, "INBOX").orElseThrow();
        MemoryBlobStore blobs = new MemoryBlobStore();
        add(store, blobs, account, "m1", "2026-01-10T12:00:00Z", List.of("\\Seen"), List.of("$Important"), """
                Date: Sat, 10 Jan 2026 07:30:00 -0500
                From: Alice Example <alice@example.com>
                To: team@example.com
                Subject: Quarterly report
                Message-ID: <m1@example.com>
                X-Priority: 1 (Highest)

                The numbers are in.
                """);
        add(store, blobs, account, "m2", "2026-01-11T08:00:00Z", List.of("\\Answered", "\\Seen"), List.of(), """
                Date: Sat, 10 Jan 2026 09:00:00 +0000
                From: bob@example.org
                To: Carol <carol@example.net>
                Cc: dave@example.net
                Subject: Lunch?
                X-Mailer: Mutt/2.0
                  (folded continuation)

                Pizza   at noon (really)
                """);
        add(store, blobs, account, "m3", "2026-01-12T10:00:00Z", List.of("\\Flagged"), List.of(), """
                Date: Sun, 11 Jan 2026 10:00:00 +0000
                From: Carol <carol@example.net>
                To: alice@example.com
                Subject: Regex (test)
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="b"

                --b
                Content-Type: text/plain

                See special chars: a+b=c [x] ^$ .*
                --b
                Content-Type: text/html

                <p><b>Bold</b> statement</p>
                --b--
                """);
        add(store, blobs, account, "m4", "2026-01-12T23:59:59Z", List.of("\\Deleted"), List.of(), """
                Date: Mon, 12 Jan 2026 23:59:59 +0000
                From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.de>
                To: alice@example.com
                Subject: =?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?=
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Gr=C3=BC=C3=9Fe aus M=C3=BCnchen
                """);
        add(store, blobs, account, "m5", "2026-01-13T00:00:01Z", List.of("\\Draft"), List.of("$Junk"), """
                From: dave@example.net
                To: bob@example.org
                Subject: no date here
                X-Custom: first line
                 second-line-token

                body five
                """);
        add(store, blobs, account, "m6", "2026-01-14T00:00:00Z", List.of(), List.of(), """
                Date: Tue, 13 Jan 2026 12:00:00 +0000
                From: eve@example.com
                To: alice@example.com
                Bcc: secret@example.com
                Subject: big one

                """ + LOREM + "\n");
        add(store, blobs, account, "m7", "2026-01-15T00:00:00Z", List.of("\\Seen"), List.of(), """
                Date: Wed, 14 Jan 2026 12:00:00 +0000
                From: mallory@example.com
                To: alice@example.com
                Subject: .* matches everything?

                not really
                """);
        add(store, blobs, account, "m8", "2026-01-16T00:00:00Z", List.of(), List.of(), "garbage without a colon\nmore");
        search = new MessageSearch(db.getCollection(StoreSchema.MESSAGES));
    }

    private static void add(MailStore store, MemoryBlobStore blobs, String account, String name, String internal,
                            List<String> flags, List<String> keywords, String text) {
        byte[] raw = crlf(text);
        MessageRef ref = blobs.put(raw);
        StoredMessage s = store.store(mailbox, new NewMessage(account, ref, Instant.parse(internal), flags, keywords,
                MessageMetadataBson.toDocument(StoredMessages.parse(raw, ParserLimits.DEFAULTS)),
                "test/" + account + "/" + name)).orElseThrow();
        UIDS.put(name, s.uid());
        MODSEQS.put(name, s.modSeq());
        SIZES.put(name, raw.length);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.drop();
        }
        if (client != null) {
            client.close();
        }
    }

    private static SearchContext everything() {
        return context(UIDS.values().stream().mapToLong(Long::longValue).toArray(), List.of(), Set.of());
    }

    private static SearchContext context(long[] uids, List<Long> saved, Set<Long> recent) {
        return new SearchContext(uids, saved, recent, ZoneOffset.UTC, 10);
    }

    private static SearchResult run(String criteria, SearchContext ctx) {
        ImapCommand.Search s = Commands.search(criteria);
        return search.search(mailbox.id(), s.charset(), s.key(), ctx);
    }

    private static List<String> names(SearchResult r) {
        List<String> out = new ArrayList<>();
        for (long uid : r.uids()) {
            UIDS.forEach((name, u) -> {
                if (u == uid) {
                    out.add(name);
                }
            });
        }
        return out;
    }

    private static void matches(String criteria, String... expected) {
        assertThat(names(run(criteria, everything()))).as(criteria).containsExactly(expected);
    }

    private static String[] allBut(String... excluded) {
        List<String> out = new ArrayList<>(UIDS.keySet());
        out.removeAll(Arrays.asList(excluded));
        return out.toArray(new String[0]);
    }

    @Test
    void flagsAndKeywords() {
        matches("ALL", UIDS.keySet().toArray(new String[0]));
        matches("SEEN", "m1", "m2", "m7");
        matches("UNSEEN", "m3", "m4", "m5", "m6", "m8");
        matches("ANSWERED", "m2");
        matches("UNANSWERED", allBut("m2"));
        matches("FLAGGED", "m3");
        matches("UNFLAGGED", allBut("m3"));
        matches("DELETED", "m4");
        matches("UNDELETED", allBut("m4"));
        matches("DRAFT", "m5");
        matches("UNDRAFT", allBut("m5"));
        matches("KEYWORD $Important", "m1");
        matches("UNKEYWORD $Junk", allBut("m5"));
        matches("KEYWORD $Nothing");
    }

    @Test
    void recentNewAndOldFollowWhatTheSessionTracks() {
        matches("RECENT");
        matches("NEW");
        matches("OLD", UIDS.keySet().toArray(new String[0]));
        SearchContext ctx = context(everything().uids(), List.of(), Set.of(UIDS.get("m7"), UIDS.get("m8")));
        assertThat(names(run("RECENT", ctx))).containsExactly("m7", "m8");
        assertThat(names(run("NEW", ctx))).as("recent and unseen").containsExactly("m8");
        assertThat(names(run("OLD", ctx))).containsExactly(allBut("m7", "m8"));
    }

    @Test
    void internalAndSentDatesByDay() {
        matches("BEFORE 11-Jan-2026", "m1");
        matches("ON 12-Jan-2026", "m3", "m4");
        matches("SINCE 14-Jan-2026", "m6", "m7", "m8");
        matches("SENTON 10-Jan-2026", "m1", "m2");
        matches("SENTBEFORE 11-Jan-2026", "m1", "m2");
        matches("NOT SENTBEFORE 11-Jan-2026", "m3", "m4", "m5", "m6", "m7", "m8");
        matches("SENTSINCE 13-Jan-2026", "m6", "m7");
        assertThat(names(run("ON 12-Jan-2026", new SearchContext(everything().uids(), List.of(), Set.of(),
                ZoneOffset.ofHours(2), 10)))).as("days cut in the configured zone").containsExactly("m3");
    }

    @Test
    void addressSubjectBodyAndTextSubstringsIgnoreCase() {
        matches("FROM alice", "m1");
        matches("FROM \"ALICE@Example.COM\"", "m1");
        matches("TO alice", "m3", "m4", "m6", "m7");
        matches("CC dave", "m2");
        matches("BCC secret", "m6");
        matches("SUBJECT lunch", "m2");
        matches("SUBJECT \"café\"", "m4");
        matches("FROM \"jürgen\"", "m4");
        matches("BODY \"pizza   at\t noon\"", "m2");
        matches("BODY \"grüße\"", "m4");
        matches("BODY bold", "m3");
        matches("TEXT mutt", "m2");
        matches("TEXT numbers", "m1");
        matches("TEXT example.de", "m4");
        matches("SUBJECT \"\"", UIDS.keySet().toArray(new String[0]));
        matches("BODY nowhere-to-be-found");
    }

    @Test
    void regexMetacharactersAreLiteral() {
        matches("SUBJECT \".*\"", "m7");
        matches("BODY \"a+b=c [x] ^$ .*\"", "m3");
        matches("SUBJECT \"(test)\"", "m3");
        matches("SUBJECT \"lunch\\\\?\"");
        matches("SUBJECT \"?\"", "m2", "m7");
        matches("HEADER Subject \"regex (test)\"", "m3");
        matches("BODY \"|\"");
    }

    @Test
    void headerFieldsIncludingContinuationsAndPresence() {
        matches("HEADER X-Mailer mutt", "m2");
        matches("HEADER x-mailer folded", "m2");
        matches("HEADER X-Custom second-line-token", "m5");
        matches("HEADER X-Priority \"\"", "m1");
        matches("HEADER Message-ID \"<m1@\"", "m1");
        matches("HEADER To alice@example.com", "m3", "m4", "m6", "m7");
        matches("HEADER From mutt");
        matches("HEADER Subject \"CAFÉ\"");
    }

    @Test
    void sizes() {
        matches("LARGER 10000", "m6");
        assertThat(SIZES.get("m8")).isLessThan(60);
        matches("SMALLER 60", "m8");
        matches("SMALLER " + SIZES.get("m8"));
        matches("LARGER " + (SIZES.get("m6") - 1), "m6");
        matches("LARGER " + SIZES.get("m6"));
    }

    @Test
    void uidAndSequenceSets() {
        long[] all = everything().uids();
        assertThat(all).hasSize(8);
        matches("UID " + all[1] + ":" + all[3], "m2", "m3", "m4");
        matches("UID " + all[6] + ":*", "m7", "m8");
        matches("UID *", "m8");
        matches("UID " + (all[7] + 100) + ":*", "m8");
        matches("2,4:5", "m2", "m4", "m5");
        matches("*", "m8");
        matches("7:*", "m7", "m8");
        matches("50:60");
        matches("1:2 3");
        matches("1:3 2:8", "m2", "m3");
    }

    @Test
    void theSessionsViewBoundsTheResult() {
        long[] seven = Arrays.copyOf(everything().uids(), 7);
        SearchContext ctx = context(seven, List.of(), Set.of());
        assertThat(names(run("ALL", ctx))).as("m8 arrived after the last EXISTS").containsExactly(allBut("m8"));
        assertThat(names(run("*", ctx))).containsExactly("m7");
        assertThat(names(run("UID *", ctx))).containsExactly("m7");
        long[] gap = {UIDS.get("m1"), UIDS.get("m3"), UIDS.get("m5")};
        SearchContext sparse = context(gap, List.of(), Set.of());
        assertThat(names(run("2", sparse))).containsExactly("m3");
        assertThat(names(run("1:2", sparse))).containsExactly("m1", "m3");
        assertThat(names(run("UNSEEN", sparse))).containsExactly("m3", "m5");
        assertThat(run("ALL", context(new long[0], List.of(), Set.of())).isEmpty()).isTrue();
    }

    @Test
    void savedResultDollar() {
        SearchContext ctx = context(everything().uids(), List.of(UIDS.get("m2"), UIDS.get("m5")), Set.of());
        assertThat(names(run("$", ctx))).containsExactly("m2", "m5");
        assertThat(names(run("UID $", ctx))).containsExactly("m2", "m5");
        assertThat(names(run("NOT $", ctx))).containsExactly(allBut("m2", "m5"));
        assertThat(names(run("$ SEEN", ctx))).containsExactly("m2");
        assertThat(names(run("$", everything()))).as("nothing saved is the empty set").isEmpty();
    }

    @Test
    void modSeqReportsTheHighestOfTheMatches() {
        long m6 = MODSEQS.get("m6");
        SearchResult r = run("MODSEQ " + m6, everything());
        assertThat(names(r)).containsExactly("m6", "m7", "m8");
        assertThat(r.highestModSeq()).hasValue(MODSEQS.get("m8"));
        SearchResult entry = run("MODSEQ \"/flags/\\\\seen\" all " + m6 + " SEEN", everything());
        assertThat(names(entry)).containsExactly("m7");
        assertThat(entry.highestModSeq()).hasValue(MODSEQS.get("m7"));
        assertThat(run("SEEN", everything()).highestModSeq()).as("no MODSEQ key, no MODSEQ in the reply").isEmpty();
    }

    @Test
    void booleanNesting() {
        matches("OR FROM alice FROM bob", "m1", "m2");
        matches("SEEN UNANSWERED", "m1", "m7");
        matches("(SEEN UNANSWERED)", "m1", "m7");
        matches("NOT OR SEEN DELETED", "m3", "m5", "m6", "m8");
        matches("OR (FROM alice SEEN) (TO alice DELETED)", "m1", "m4");
        matches("NOT NOT SEEN", "m1", "m2", "m7");
        matches("OR ALL SEEN", UIDS.keySet().toArray(new String[0]));
        matches("NOT ALL");
        matches("OR 50 SEEN", "m1", "m2", "m7");
        matches("(OR SUBJECT lunch SUBJECT report) NOT (FROM alice)", "m2");
    }

    @Test
    void nestingDeeperThanConfiguredIsRefusedBeforeAnyQuery() {
        SearchContext shallow = new SearchContext(everything().uids(), List.of(), Set.of(), ZoneOffset.UTC, 3);
        assertThat(names(run("NOT NOT NOT SEEN", shallow))).containsExactly(allBut("m1", "m2", "m7"));
        assertThatThrownBy(() -> run("NOT NOT NOT NOT SEEN", shallow))
                .isInstanceOfSatisfying(SearchException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SearchException.Kind.TOO_DEEP);
                    assertThat(e.response()).isEqualTo("BAD search criteria nested deeper than 3");
                });
        assertThat(names(run("OR (OR (OR SEEN (DRAFT)) DELETED) FLAGGED", shallow)))
                .containsExactly("m1", "m2", "m3", "m4", "m5", "m7");
        assertThatThrownBy(() -> run("OR (OR (OR SEEN (NOT DRAFT)) DELETED) FLAGGED", shallow))
                .isInstanceOf(SearchException.class);
    }

    @Test
    void charsets() {
        matches("CHARSET UTF-8 SUBJECT \"café\"", "m4");
        matches("CHARSET us-ascii FROM bob", "m2");
        assertThatThrownBy(() -> run("CHARSET ISO-8859-1 FROM bob", everything()))
                .isInstanceOfSatisfying(SearchException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SearchException.Kind.BAD_CHARSET);
                    assertThat(e.response()).isEqualTo(
                            "NO [BADCHARSET (US-ASCII UTF-8)] charset ISO-8859-1 is not supported");
                });
    }

    @Test
    void responsesOverRealResults() {
        SearchContext ctx = everything();
        SearchResult seen = run("SEEN", ctx);
        assertThat(SearchResponses.search(seen, false, ctx)).isEqualTo("* SEARCH 1 2 7\r\n");
        assertThat(SearchResponses.esearch("A1", false, List.of("MIN", "MAX", "COUNT", "ALL"), seen, ctx))
                .hasValue("* ESEARCH (TAG \"A1\") MIN 1 MAX 7 COUNT 3 ALL 1:2,7\r\n");
        SearchResult mod = run("MODSEQ 1 UNSEEN", ctx);
        assertThat(SearchResponses.search(mod, false, ctx))
                .isEqualTo("* SEARCH 3 4 5 6 8 (MODSEQ " + MODSEQS.get("m8") + ")\r\n");
    }
}
