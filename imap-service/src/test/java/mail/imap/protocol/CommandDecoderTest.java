package mail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mail.imap.protocol.ImapCommand.FetchItem;
import mail.imap.protocol.ImapCommand.Section;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandDecoderTest {
    private final CommandDecoder decoder = new CommandDecoder(new CommandDecoder.Limits(10, 4, 20, 3));

    private CommandDecoder.Decoded decode(String wire) {
        List<List<Segment>> commands = new ArrayList<>();
        ImapFramer f = new ImapFramer(new ImapFramerTest.Recorder() {
            @Override
            public void command(List<Segment> segments) {
                commands.add(segments);
            }
        }, 8192);
        f.feed(wire.getBytes(StandardCharsets.UTF_8));
        assertThat(commands).as(wire).hasSize(1);
        return decoder.decode(commands.get(0), false);
    }

    private ImapCommand ok(String wire) {
        CommandDecoder.Decoded d = decode(wire + "\r\n");
        assertThat(d.error()).as(wire).isNull();
        return d.command();
    }

    private String error(String wire) {
        CommandDecoder.Decoded d = decode(wire + "\r\n");
        assertThat(d.command()).as(wire).isNull();
        return d.error();
    }

    @Test
    void simpleCommandsAnyCase() {
        assertThat(ok("a1 capability")).isInstanceOf(ImapCommand.Capability.class);
        assertThat(ok("a2 NoOp")).isInstanceOf(ImapCommand.Noop.class);
        assertThat(ok("a3 LOGOUT")).isInstanceOf(ImapCommand.Logout.class);
        assertThat(ok("a4 IDLE")).isInstanceOf(ImapCommand.Idle.class);
        assertThat(ok("a5 UNSELECT")).isInstanceOf(ImapCommand.Unselect.class);
        assertThat(ok("a6 EXPUNGE")).isEqualTo(new ImapCommand.Expunge(java.util.Optional.empty()));
    }

    @Test
    void tagAndCommandErrors() {
        assertThat(decode("\r\n").tag()).isNull();
        assertThat(decode("+x NOOP\r\n").tag()).isNull();
        assertThat(decode("a1\r\n").tag()).isNull();
        CommandDecoder.Decoded d = decode("a1 FROB\r\n");
        assertThat(d.tag()).isEqualTo("a1");
        assertThat(d.error()).isEqualTo("unknown command");
        assertThat(error("a NOOP now")).contains("extra arguments");
        assertThat(error("a LOGIN alice")).isNotNull();
    }

    /** Grammar the James corpus leans on and RFC 9051 §9 does not allow: each is a syntax error (BAD), not guessed at. */
    @Test
    void jamesCorpusSyntaxIsRefused() {
        // SP is exactly one space
        assertThat(error("A5 STORE 1  FLAGS (\\Deleted)")).isNotNull();
        assertThat(error("a002 STATUS statustest (  MESSAGES  )")).isNotNull();
        // fetch-att list needs at least one item
        assertThat(error("A6 FETCH 1:* ()")).isNotNull();
        // RFC 2971 §4: a space-separated list of strings, no commas, no atoms as values
        assertThat(error("a1 ID (\"vendor\", \"whatever\")")).isNotNull();
        assertThat(error("a1 ID (\"name\" \"Thunderbird\" \"version\" 102.7.1)")).isNotNull();
        // DELETED-STORAGE is a STATUS item (RFC 9208), a misspelling of it is not
        assertThat(ok("a STATUS INBOX (DELETED DELETED-STORAGE)")).isEqualTo(new ImapCommand.Status("INBOX", List.of("DELETED", "DELETED-STORAGE")));
        assertThat(error("a STATUS INBOX (DELETED-STORAGES)")).isNotNull();
    }

    @Test
    void loginAndAuthenticate() {
        assertThat(ok("a LOGIN alice@example.test \"pa ss\"")).isEqualTo(new ImapCommand.Login("alice@example.test", "pa ss"));
        assertThat(ok("a LOGIN {5+}\r\nalice {2+}\r\npw")).isEqualTo(new ImapCommand.Login("alice", "pw"));
        assertThat(ok("a AUTHENTICATE plain")).isEqualTo(new ImapCommand.Authenticate("PLAIN", java.util.Optional.empty()));
        assertThat(ok("a AUTHENTICATE PLAIN AGFsaWNlAHB3")).isEqualTo(new ImapCommand.Authenticate("PLAIN", java.util.Optional.of("AGFsaWNlAHB3")));
        assertThat(ok("a AUTHENTICATE PLAIN =")).isEqualTo(new ImapCommand.Authenticate("PLAIN", java.util.Optional.of("=")));
        assertThat(error("a AUTHENTICATE PLAIN not*base64")).isNotNull();
    }

    @Test
    void idAndEnable() {
        assertThat(ok("a ID NIL")).isEqualTo(new ImapCommand.Id(null));
        ImapCommand.Id id = (ImapCommand.Id) ok("a ID (\"name\" \"Thunderbird\" \"version\" NIL)");
        assertThat(id.fields()).containsExactly(Map.entry("name", "Thunderbird"), new java.util.AbstractMap.SimpleEntry<>("version", null));
        assertThat(ok("a ENABLE CONDSTORE qresync")).isEqualTo(new ImapCommand.Enable(List.of("CONDSTORE", "QRESYNC")));
        assertThat(error("a ENABLE")).isNotNull();
    }

    @Test
    void selectWithCondstoreAndQresync() {
        assertThat(ok("a SELECT INBOX")).isEqualTo(new ImapCommand.Select("INBOX", false, false, java.util.Optional.empty()));
        assertThat(((ImapCommand.Select) ok("a EXAMINE \"Sent Items\" (CONDSTORE)")).condstore()).isTrue();
        ImapCommand.Select q = (ImapCommand.Select) ok("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))");
        assertThat(q.qresync()).get().satisfies(r -> {
            assertThat(r.uidValidity()).isEqualTo(67890007L);
            assertThat(r.modSeq()).isEqualTo(20050715194045000L);
            assertThat(r.knownUids()).get().hasToString("41,43:211,214:541");
        });
        ImapCommand.Select q2 = (ImapCommand.Select) ok("a SELECT INBOX (QRESYNC (1 2 1:9 (1,5 3,9)))");
        assertThat(q2.qresync().get().knownSequenceNumbers()).get().hasToString("1,5");
        assertThat(error("a SELECT INBOX (FOO)")).contains("FOO");
    }

    @Test
    void createWithSpecialUse() {
        assertThat(ok("a CREATE Drafts2 (USE (\\Drafts))")).isEqualTo(new ImapCommand.Create("Drafts2", List.of("\\Drafts")));
        assertThat(ok("a CREATE \"a/b\"")).isEqualTo(new ImapCommand.Create("a/b", List.of()));
    }

    @Test
    void listForms() {
        ImapCommand.ListMailboxes basic = (ImapCommand.ListMailboxes) ok("a LIST \"\" *");
        assertThat(basic.extended()).isFalse();
        assertThat(basic.patterns()).containsExactly("*");
        ImapCommand.ListMailboxes ext = (ImapCommand.ListMailboxes) ok(
                "a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX \"Sent*\" %) RETURN (CHILDREN STATUS (MESSAGES UNSEEN))");
        assertThat(ext.extended()).isTrue();
        assertThat(ext.selection()).containsExactly("SUBSCRIBED", "RECURSIVEMATCH");
        assertThat(ext.patterns()).containsExactly("INBOX", "Sent*", "%");
        assertThat(ext.returns()).containsExactly("CHILDREN");
        assertThat(ext.status()).containsExactly("MESSAGES", "UNSEEN");
        assertThat(((ImapCommand.ListMailboxes) ok("a LIST \"\" % RETURN ()")).extended()).isTrue();
    }

    @Test
    void status() {
        assertThat(ok("a STATUS INBOX (MESSAGES UIDNEXT size)"))
                .isEqualTo(new ImapCommand.Status("INBOX", List.of("MESSAGES", "UIDNEXT", "SIZE")));
        assertThat(error("a STATUS INBOX (BOGUS)")).contains("BOGUS");
        assertThat(error("a STATUS INBOX ()")).isNotNull();
    }

    @Test
    void appendAndMultiappend() {
        ImapCommand.Append a = (ImapCommand.Append) ok("a APPEND Drafts (\\Seen \\Draft) \" 7-Feb-1994 21:52:25 -0800\" {5+}\r\nhello");
        assertThat(a.messages()).hasSize(1);
        ImapCommand.AppendMessage m = a.messages().get(0);
        assertThat(m.flags()).containsExactly("\\Seen", "\\Draft");
        assertThat(m.internalDate()).contains(OffsetDateTime.of(1994, 2, 7, 21, 52, 25, 0, ZoneOffset.ofHours(-8)));
        assertThat(new String(m.content().bytes(), StandardCharsets.US_ASCII)).isEqualTo("hello");

        ImapCommand.Append multi = (ImapCommand.Append) ok("a APPEND x {1+}\r\na (\\Flagged) {1+}\r\nb ~{1+}\r\nc");
        assertThat(multi.messages()).hasSize(3);
        assertThat(multi.messages().get(2).content().binary()).isTrue();
        assertThat(error("a APPEND x {1+}\r\na {1+}\r\nb {1+}\r\nc {1+}\r\nd")).contains("too many");
        assertThat(error("a APPEND x")).isNotNull();
        assertThat(error("a APPEND x \"31-Feb-2024 00:00:00 +0000\" {1+}\r\nz")).contains("date");
    }

    @Test
    void searchKeys() {
        ImapCommand.Search s = (ImapCommand.Search) ok("a SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"");
        assertThat(s.key()).isEqualTo(new ImapCommand.And(List.of(new ImapCommand.FlagKey("FLAGGED"),
                new ImapCommand.DateKey("SINCE", LocalDate.of(1994, 2, 1)),
                new ImapCommand.Not(new ImapCommand.TextKey("FROM", "Smith")))));
        ImapCommand.Search u = (ImapCommand.Search) ok("a UID SEARCH RETURN (MIN COUNT) CHARSET UTF-8 OR (1:5 UNSEEN) HEADER X-Spam yes");
        assertThat(u.uid()).isTrue();
        assertThat(u.returnOptions()).containsExactly("MIN", "COUNT");
        assertThat(u.charset()).contains("UTF-8");
        assertThat(((ImapCommand.Search) ok("a SEARCH $")).key()).isInstanceOf(ImapCommand.Sequence.class);
        assertThat(((ImapCommand.Search) ok("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338")).key())
                .isEqualTo(new ImapCommand.ModSeq(620162338L));
        assertThat(((ImapCommand.Search) ok("a SEARCH LARGER 100 UID 1:*")).key()).isInstanceOf(ImapCommand.And.class);
        assertThat(((ImapCommand.Search) ok("a SEARCH SENTON \"3-Mar-2024\"")).key())
                .isEqualTo(new ImapCommand.DateKey("SENTON", LocalDate.of(2024, 3, 3)));
    }

    @Test
    void searchLimits() {
        assertThat(error("a SEARCH NOT NOT NOT NOT NOT NOT ALL")).contains("nested");
        assertThat(error("a SEARCH ((((((ALL))))))")).contains("nested");
        assertThat(error("a SEARCH " + "SEEN ".repeat(25).trim())).contains("too many");
        assertThat(error("a SEARCH BOGUS")).contains("BOGUS");
        assertThat(error("a SEARCH RETURN (FOO) ALL")).contains("FOO");
        assertThat(error("a SEARCH SINCE 32-Jan-2024")).contains("date");
        assertThat(error("a SEARCH 1,2,3,4,5,6,7,8,9,10,11")).contains("too many ranges");
    }

    @Test
    void fetchItems() {
        ImapCommand.Fetch all = (ImapCommand.Fetch) ok("a FETCH 1:* ALL");
        assertThat(all.items()).extracting(i -> ((ImapCommand.Simple) i).name())
                .containsExactly("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE");
        ImapCommand.Fetch f = (ImapCommand.Fetch) ok(
                "a UID FETCH 1:3 (UID FLAGS BODY.PEEK[HEADER.FIELDS (From Subject)] BODY[1.2.MIME] BINARY[2]<0.100> BINARY.SIZE[3] BODY[]<5.10>) (CHANGEDSINCE 12345 VANISHED)");
        assertThat(f.uid()).isTrue();
        assertThat(f.changedSince()).hasValue(12345L);
        assertThat(f.vanished()).isTrue();
        List<FetchItem> items = f.items();
        Section headers = (Section) items.get(2);
        assertThat(headers.peek()).isTrue();
        assertThat(headers.text()).isEqualTo("HEADER.FIELDS");
        assertThat(headers.fields()).containsExactly("FROM", "SUBJECT");
        Section mime = (Section) items.get(3);
        assertThat(mime.part()).containsExactly(1, 2);
        assertThat(mime.text()).isEqualTo("MIME");
        Section binary = (Section) items.get(4);
        assertThat(binary.kind()).isEqualTo(Section.Kind.BINARY);
        assertThat(binary.partial().get()).containsExactly(0, 100);
        assertThat(((Section) items.get(5)).kind()).isEqualTo(Section.Kind.BINARY_SIZE);
        Section whole = (Section) items.get(6);
        assertThat(whole.part()).isEmpty();
        assertThat(whole.text()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a FETCH 1 (FOO)", "a FETCH 1 BODY[0]", "a FETCH 1 BODY[MIME]", "a FETCH 1 BINARY[HEADER]",
            "a FETCH 1 BODY[1.FOO]", "a FETCH 1 BODY[]<5>", "a FETCH 1 BODY[]<1.0>", "a FETCH 1 BINARY.SIZE[1]<0.1>",
            "a FETCH 1 (VANISHED)", "a FETCH 1 FLAGS (VANISHED)", "a UID FETCH 1 FLAGS (VANISHED)",
            "a FETCH 0 FLAGS", "a FETCH 1 BODY[HEADER.FIELDS ()]", "a FETCH 1 BODY[HEADER.FIELDS (a:b)]",
            "a FETCH 1 (FLAGS"})
    void badFetches(String wire) {
        assertThat(error(wire)).isNotNull();
    }

    @Test
    void store() {
        ImapCommand.Store s = (ImapCommand.Store) ok("a STORE 2:4 +FLAGS.SILENT (\\Deleted $Junk)");
        assertThat(s.mode()).isEqualTo(ImapCommand.StoreMode.ADD);
        assertThat(s.silent()).isTrue();
        assertThat(s.flags()).containsExactly("\\Deleted", "$Junk");
        ImapCommand.Store c = (ImapCommand.Store) ok("a UID STORE 7 (UNCHANGEDSINCE 320162338) -FLAGS \\Seen \\Flagged");
        assertThat(c.unchangedSince()).hasValue(320162338L);
        assertThat(c.mode()).isEqualTo(ImapCommand.StoreMode.REMOVE);
        assertThat(c.flags()).containsExactly("\\Seen", "\\Flagged");
        assertThat(((ImapCommand.Store) ok("a STORE 1 FLAGS ()")).flags()).isEmpty();
        assertThat(error("a STORE 1 +LABELS (x)")).isNotNull();
        assertThat(error("a STORE 1 FLAGS (\\*)")).isNotNull();
    }

    @Test
    void copyMoveUidExpunge() {
        assertThat(ok("a COPY 1:2 Archive")).isEqualTo(new ImapCommand.Copy(false, SequenceSet.parse("1:2", 10), "Archive"));
        assertThat(((ImapCommand.Move) ok("a UID MOVE 4:* \"Junk\"")).uid()).isTrue();
        assertThat(((ImapCommand.Expunge) ok("a UID EXPUNGE 3000:3002")).uids()).get().hasToString("3000:3002");
        assertThat(error("a UID FROB 1")).contains("UID");
    }

    @Test
    void quotaCommands() {
        assertThat(ok("a GETQUOTAROOT INBOX")).isEqualTo(new ImapCommand.GetQuotaRoot("INBOX"));
        assertThat(ok("a GETQUOTA \"\"")).isEqualTo(new ImapCommand.GetQuota(""));
        assertThat(ok("a SETQUOTA \"\" (STORAGE 512)")).isEqualTo(new ImapCommand.SetQuota(""));
    }
}
