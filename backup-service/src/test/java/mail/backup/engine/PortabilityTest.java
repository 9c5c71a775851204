package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import mail.backup.portability.Account;
import mail.backup.portability.ExportResult;
import mail.backup.portability.Exporter;
import mail.backup.portability.Format;
import mail.backup.portability.ImportResult;
import mail.backup.portability.Importer;
import mail.backup.portability.MboxFormatException;
import mail.backup.portability.PortabilityException;
import mail.core.blob.S3BlobStore;
import mail.core.event.MessageRef;
import mail.testsupport.RestartableS3;
import mail.store.Mailbox;
import mail.store.Messages;
import mail.store.StoreSchema;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import against the real store (MongoDB driver, S3 through the MinIO client): what goes out comes back
 * with the same folders, flags, internal dates and bytes; bad sources and failing dependencies change nothing.
 */
class PortabilityTest {
    private static final Instant D1 = Instant.parse("2024-03-01T08:15:30Z");
    private static final Instant D2 = Instant.parse("2025-12-24T18:00:00Z");
    private static final Instant D3 = Instant.parse("2026-11-29T10:00:01Z");

    @TempDir
    Path dir;

    static Account account(Fixture f, String address, long quotaBytes, long quotaMessages) {
        String id = "acc-" + UUID.randomUUID();
        f.db.getCollection("directory_entries").insertOne(new Document("_id", UUID.randomUUID().toString()).append("kind", "ACCOUNT")
                .append("address", address).append("accountId", id).append("quotaBytes", quotaBytes)
                .append("quotaMessages", quotaMessages).append("deleted", false));
        return Account.find(f.db, address).orElseThrow();
    }

    private Importer importer(Fixture f, long maxBytes) {
        return new Importer(f.db, f.blobs, null, maxBytes, dir.resolve("spool"));
    }

    /** A message's bytes, flags, internal date, per folder, in UID order: what a round trip must preserve. */
    private static Map<String, List<String>> contents(Fixture f, String accountId, boolean withFlags) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        for (Mailbox m : f.store.mailboxes().list(accountId)) {
            List<String> msgs = new ArrayList<>();
            for (Document d : f.store.messages().list(m.id())) {
                MessageRef ref = new MessageRef(d.getString(Messages.BLOB_KEY), d.getString(Messages.SHA256), d.getLong(Messages.SIZE));
                byte[] raw = f.blob(ref);
                assertThat((long) raw.length).isEqualTo(ref.size());
                List<String> flags = new ArrayList<>(d.getList(Messages.FLAGS, String.class));
                flags.addAll(d.getList(Messages.KEYWORDS, String.class));
                java.util.Collections.sort(flags);
                msgs.add(d.getDate(Messages.INTERNAL_DATE).toInstant() + " " + (withFlags ? flags : "") + " " + new String(raw, StandardCharsets.UTF_8));
            }
            if (!msgs.isEmpty()) {
                out.put(m.name(), msgs);
            }
        }
        return out;
    }

    /** INBOX, Sent and Archive/2024 with flags, dates and bodies full of From lines. */
    private static void fill(Fixture f, String accountId) throws IOException {
        Mailbox inbox = f.inbox(accountId);
        Mailbox sent = f.store.mailboxes().find(accountId, "Sent").orElseThrow();
        Mailbox archive = f.mailbox(accountId, "Archive/2024");
        f.deliver(inbox, Fixture.message("a@example.test", "me@example.test", "one", "From the start\r\n>From quoted\r\n>>From twice"),
                List.of("\\Seen", "\\Flagged"), D1);
        f.deliver(inbox, Fixture.message("b@example.test", "me@example.test", "two", "plain"), List.of(), D2);
        f.deliver(sent, Fixture.message("me@example.test", "c@example.test", "three", "\r\nFrom x\r\n\r\nFrom y"),
                List.of("\\Seen", "\\Answered", "\\Draft", "\\Deleted"), D3);
        f.deliver(archive, Fixture.message("d@example.test", "me@example.test", "four", "old"), List.of("\\Seen"), D1);
    }

    @Test
    void maildirRoundTripKeepsFoldersFlagsDatesAndBytes() throws IOException {
        try (Fixture from = new Fixture(); Fixture to = new Fixture()) {
            Account a = account(from, "alice@example.test", 0, 0);
            fill(from, a.id());
            Path out = dir.resolve("alice-maildir");
            ExportResult r = new Exporter(from.db, from.blobs).export(a, Format.MAILDIR, out, "alice-maildir", Progress.NONE);
            assertThat(r.messages()).isEqualTo(4);
            assertThat(out.resolve(".Archive.2024/cur")).isDirectory();
            assertThat(out.resolve(".Archive.2024/maildirfolder")).exists();
            List<Path> sent;
            try (Stream<Path> s = Files.list(out.resolve(".Sent/cur"))) {
                sent = s.toList();
            }
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).getFileName().toString()).startsWith(D3.getEpochSecond() + ".").endsWith(":2,DRSTa");
            assertThat(Files.readString(out.resolve(".Sent/dovecot-keywords"))).isEqualTo("0 $label1\n");
            assertThat(Files.getLastModifiedTime(sent.get(0)).toInstant()).isEqualTo(D3);
            assertThat(dir.resolve(".alice-maildir.partial")).doesNotExist();

            Account b = account(to, "bob@example.test", 0, 0);
            ImportResult in = importer(to, 1 << 20).importInto(b, Format.MAILDIR, out, "alice-maildir", Progress.NONE);
            assertThat(in.imported()).isEqualTo(4);
            assertThat(in.mailboxesCreated()).containsExactlyInAnyOrder("INBOX", "Sent", "Archive/2024");
            assertThat(contents(to, b.id(), true)).isEqualTo(contents(from, a.id(), true));

            ImportResult again = importer(to, 1 << 20).importInto(b, Format.MAILDIR, out, "alice-maildir", Progress.NONE);
            assertThat(again.imported()).isZero();
            assertThat(again.duplicates()).isEqualTo(4);
            assertThat(to.db.getCollection(StoreSchema.MESSAGES).countDocuments()).isEqualTo(4);
        }
    }

    @Test
    void mboxRoundTripKeepsFoldersDatesAndBytesAndTheFromQuoting() throws IOException {
        try (Fixture from = new Fixture(); Fixture to = new Fixture()) {
            Account a = account(from, "carol@example.test", 0, 0);
            fill(from, a.id());
            Path out = dir.resolve("carol-mbox");
            new Exporter(from.db, from.blobs).export(a, Format.MBOX, out, "carol-mbox", Progress.NONE);
            String inbox = Files.readString(out.resolve("INBOX.mbox"), StandardCharsets.UTF_8);
            assertThat(inbox).startsWith("From a@example.test Fri Mar  1 08:15:30 2024\n")
                    .contains("\r\n>From the start\r\n>>From quoted\r\n>>>From twice\r\n\n")
                    .contains("\nFrom b@example.test Wed Dec 24 18:00:00 2025\n");
            assertThat(out.resolve("Archive/2024.mbox")).exists();
            assertThat(out.resolve("Drafts.mbox")).exists();

            Account b = account(to, "dave@example.test", 0, 0);
            ImportResult in = importer(to, 1 << 20).importInto(b, Format.MBOX, out, "carol-mbox", Progress.NONE);
            assertThat(in.imported()).isEqualTo(4);
            // mbox carries no flags; everything else comes back
            assertThat(contents(to, b.id(), false)).isEqualTo(contents(from, a.id(), false));
            assertThat(importer(to, 1 << 20).importInto(b, Format.MBOX, out, "carol-mbox", Progress.NONE).duplicates()).isEqualTo(4);
        }
    }

    @Test
    void identicalMessagesInOneFolderStayTwoAndASingleFileNamesItsFolder() throws IOException {
        try (Fixture f = new Fixture()) {
            Account a = account(f, "erin@example.test", 0, 0);
            String m = "Subject: same\n\nsame body\n\n";
            Path file = dir.resolve("Lists.mbox");
            Files.writeString(file, "From x@y Sun Nov 29 10:00:00 2026\n" + m + "From x@y Sun Nov 29 10:00:00 2026\n" + m);
            assertThat(importer(f, 1 << 20).importInto(a, Format.MBOX, file, "Lists.mbox", Progress.NONE).imported()).isEqualTo(2);
            assertThat(importer(f, 1 << 20).importInto(a, Format.MBOX, file, "Lists.mbox", Progress.NONE).imported()).isZero();
            Mailbox lists = f.store.mailboxes().find(a.id(), "Lists").orElseThrow();
            assertThat(f.store.messages().list(lists.id())).hasSize(2);
        }
    }

    @Test
    void aMalformedMboxIsRefusedBeforeAnythingIsStored() throws IOException {
        try (Fixture f = new Fixture()) {
            Account a = account(f, "frank@example.test", 0, 0);
            Path src = Files.createDirectories(dir.resolve("bad"));
            Files.writeString(src.resolve("Good.mbox"), "From x@y Sun Nov 29 10:00:00 2026\nSubject: fine\n\nok\n\n");
            Files.writeString(src.resolve("NoFrom.mbox"), "Subject: where is the From line\n\nbody\n\n");
            assertThatThrownBy(() -> importer(f, 1 << 20).importInto(a, Format.MBOX, src, "bad", Progress.NONE))
                    .isInstanceOf(MboxFormatException.class).hasMessageContaining("NoFrom.mbox line 1");
            Files.writeString(src.resolve("NoFrom.mbox"), "From x@y Sun Nov 29 10:00:00 2026\nSubject: cut\n\nthe file ends here");
            assertThatThrownBy(() -> importer(f, 1 << 20).importInto(a, Format.MBOX, src, "bad", Progress.NONE))
                    .isInstanceOf(MboxFormatException.class).hasMessageContaining("truncated");
            assertThat(f.db.getCollection(StoreSchema.MESSAGES).countDocuments()).isZero();
            assertThat(f.db.getCollection(StoreSchema.MAILBOXES).countDocuments()).isZero();
        }
    }

    @Test
    void aMaildirWithJunkImportsTheMessagesAndNamesWhatItLeftAlone() throws IOException {
        try (Fixture f = new Fixture()) {
            Account a = account(f, "grace@example.test", 0, 0);
            Path md = dir.resolve("junk");
            for (String d : List.of("cur", "new", "tmp", ".Work/cur", ".Work/new", "not-a-folder", "cur/subdir")) {
                Files.createDirectories(md.resolve(d));
            }
            Files.writeString(md.resolve("cur/.DS_Store"), "junk");
            Files.writeString(md.resolve("cur/notes.txt"), "Subject: no info part\n\nstill a message\n");
            Files.writeString(md.resolve("cur/weird name with spaces:2,SxZ"), "Subject: odd letters\n\nbody\n");
            Files.writeString(md.resolve("cur/empty:2,S"), "");
            Files.writeString(md.resolve("new/1700000000.1.host"), "Subject: new\n\nunread\n");
            Files.writeString(md.resolve("tmp/half-delivered"), "Subject: never\n\n");
            Files.writeString(md.resolve("dovecot-uidlist"), "3 V1 N1\n");
            Files.writeString(md.resolve(".Work/cur/1:2,F"), "Subject: work\n\nflagged\n");
            Files.setLastModifiedTime(md.resolve(".Work/cur/1:2,F"), FileTime.from(D2));

            ImportResult r = importer(f, 1 << 20).importInto(a, Format.MAILDIR, md, "junk", Progress.NONE);
            assertThat(r.imported()).isEqualTo(4);
            assertThat(r.rejected()).singleElement().asString().contains("empty:2,S").contains("empty");
            assertThat(String.join("\n", r.warnings())).contains("cur/.DS_Store", "cur/subdir", "not-a-folder", "dovecot-uidlist",
                    "'xZ'");
            Mailbox work = f.store.mailboxes().find(a.id(), "Work").orElseThrow();
            Document w = f.store.messages().list(work.id()).get(0);
            assertThat(w.getList(Messages.FLAGS, String.class)).containsExactly("\\Flagged");
            assertThat(w.getDate(Messages.INTERNAL_DATE)).isEqualTo(Date.from(D2));
            Mailbox inbox = f.store.mailboxes().find(a.id(), "INBOX").orElseThrow();
            assertThat(f.store.messages().list(inbox.id())).extracting(d -> d.getList(Messages.FLAGS, String.class).toString())
                    .containsExactlyInAnyOrder("[]", "[]", "[\\Seen]");
        }
    }

    @Test
    void quotaIsCheckedBeforeEachMessageAndARerunAfterRaisingItCompletes() throws IOException {
        try (Fixture f = new Fixture()) {
            Path file = dir.resolve("INBOX.mbox");
            StringBuilder mbox = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                mbox.append("From x@y Sun Nov 29 10:00:0").append(i).append(" 2026\nSubject: ").append(i).append("\n\n")
                        .append("x".repeat(100)).append("\n\n");
            }
            Files.writeString(file, mbox);
            Account full = account(f, "full@example.test", 1, 0);
            f.deliver(f.inbox(full.id()), Fixture.message("a@b.test", "full@example.test", "big", "x"), List.of(), D1);
            assertThatThrownBy(() -> importer(f, 1 << 20).importInto(full, Format.MBOX, file, "INBOX.mbox", Progress.NONE))
                    .isInstanceOf(PortabilityException.class).hasMessageContaining("over its quota").hasMessageContaining("nothing was imported");
            assertThat(f.store.messages().accountMessages(full.id())).isEqualTo(1);

            Account three = account(f, "three@example.test", 0, 3);
            assertThatThrownBy(() -> importer(f, 1 << 20).importInto(three, Format.MBOX, file, "INBOX.mbox", Progress.NONE))
                    .isInstanceOf(PortabilityException.class).hasMessageContaining("would go over its quota")
                    .hasMessageContaining("3 messages were imported and are kept");
            assertThat(f.store.messages().accountMessages(three.id())).isEqualTo(3);
            Account raised = new Account(three.id(), three.address(), 0, 10);
            ImportResult r = importer(f, 1 << 20).importInto(raised, Format.MBOX, file, "INBOX.mbox", Progress.NONE);
            assertThat(r.imported()).isEqualTo(2);
            assertThat(r.duplicates()).isEqualTo(3);
            assertThat(f.store.messages().accountMessages(three.id())).isEqualTo(5);
        }
    }

    @Test
    void anOversizedMessageIsRejectedAndTheOthersImported() throws IOException {
        try (Fixture f = new Fixture()) {
            Account a = account(f, "heidi@example.test", 0, 0);
            Path file = dir.resolve("Big.mbox");
            Files.writeString(file, "From x@y Sun Nov 29 10:00:00 2026\nSubject: small\n\nok\n\n"
                    + "From x@y Sun Nov 29 10:00:01 2026\nSubject: big\n\n" + "y".repeat(5000) + "\n\n"
                    + "From x@y Sun Nov 29 10:00:02 2026\nSubject: small too\n\nok\n\n");
            ImportResult r = importer(f, 1000).importInto(a, Format.MBOX, file, "Big.mbox", Progress.NONE);
            assertThat(r.imported()).isEqualTo(2);
            assertThat(r.rejectedCount()).isEqualTo(1);
            assertThat(r.rejected().get(0)).contains("Big message at line 6", "over the limit of 1000");
        }
    }

    @Test
    void theObjectStoreGoingDownStopsTheImportCleanlyAndARerunCompletesIt() throws IOException {
        RestartableS3 s3 = new RestartableS3();
        Map<String, String> cfg = s3.start();
        try (Fixture f = new Fixture()) {
            S3BlobStore blobs = S3BlobStore.create(cfg.get("mail.s3.endpoint"), cfg.get("mail.s3.access-key"),
                    cfg.get("mail.s3.secret-key"), "us-east-1", f.name);
            blobs.ensureBucket();
            Account a = account(f, "judy@example.test", 0, 0);
            Path md = dir.resolve("outage");
            Files.createDirectories(md.resolve("cur"));
            Files.createDirectories(md.resolve("new"));
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                byte[] m = Fixture.message("x@example.test", "judy@example.test", "m" + i, "body " + i);
                sent.add(m);
                Path p = md.resolve("cur").resolve("msg" + i + ":2,S");
                Files.write(p, m);
                Files.setLastModifiedTime(p, FileTime.from(D1.plusSeconds(i)));
            }
            Importer importer = new Importer(f.db, blobs, null, 1 << 20, dir.resolve("spool"));
            Progress stopStoreAfterThree = new Progress() {
                @Override
                public void phase(String phase, long total) {
                }

                @Override
                public void advance(long done) {
                    if (done == 3) {
                        RestartableS3.down();
                    }
                }
            };
            assertThatThrownBy(() -> importer.importInto(a, Format.MAILDIR, md, "outage", stopStoreAfterThree))
                    .isInstanceOf(PortabilityException.class)
                    .hasMessageContaining("the object store failed while importing INBOX msg3:2,S")
                    .hasMessageContaining("3 messages were imported and are kept, nothing of this one was stored");
            assertThat(f.db.getCollection(StoreSchema.MESSAGES).countDocuments()).isEqualTo(3);
            assertThat(f.db.getCollection("deliveries").countDocuments()).isEqualTo(3);

            RestartableS3.up();
            ImportResult again = importer.importInto(a, Format.MAILDIR, md, "outage", Progress.NONE);
            assertThat(again.imported()).isEqualTo(3);
            assertThat(again.duplicates()).isEqualTo(3);
            Mailbox inbox = f.store.mailboxes().find(a.id(), "INBOX").orElseThrow();
            List<Document> stored = f.store.messages().list(inbox.id());
            assertThat(stored).hasSize(6);
            for (int i = 0; i < 6; i++) {
                Document d = stored.get(i);
                MessageRef ref = new MessageRef(d.getString(Messages.BLOB_KEY), d.getString(Messages.SHA256), d.getLong(Messages.SIZE));
                try (java.io.InputStream in = blobs.get(ref)) {
                    assertThat(in.readAllBytes()).isEqualTo(sent.get(i));
                }
                assertThat(d.getLong(Messages.UID)).isEqualTo(i + 1);
                assertThat(d.getDate(Messages.INTERNAL_DATE)).isEqualTo(Date.from(D1.plusSeconds(i)));
            }
        } finally {
            s3.stop();
        }
    }

    @Test
    void nothingIsFoundForAnUnknownAccountOrAMissingSource() {
        try (Fixture f = new Fixture()) {
            assertThat(Account.find(f.db, "nobody@example.test")).isEmpty();
            Account a = account(f, "ivan@example.test", 0, 0);
            assertThat(Account.find(f.db, "IVAN@example.test")).contains(a);
            assertThat(Account.find(f.db, a.id())).contains(a);
            assertThatThrownBy(() -> importer(f, 1000).importInto(a, Format.MAILDIR, dir.resolve("missing"), "missing", Progress.NONE))
                    .isInstanceOf(PortabilityException.class).hasMessageContaining("missing does not exist");
            assertThatThrownBy(() -> new Exporter(f.db, f.blobs).export(a, Format.MBOX, dir, "here", Progress.NONE))
                    .isInstanceOf(PortabilityException.class).hasMessageContaining("here exists");
        }
    }
}
