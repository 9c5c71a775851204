package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import mail.backup.portability.Account;
import mail.backup.portability.ImapImportResult;
import mail.backup.portability.ImapImporter;
import mail.backup.portability.ImapSource;
import mail.backup.portability.Importer;
import mail.backup.portability.PortabilityException;
import mail.core.event.MessageRef;
import mail.devinfra.LocalProcess;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.Messages;
import mail.store.StoreSchema;
import mail.testsupport.KeycloakUsers;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration from a real IMAP server: our own imap-service, packaged, in a JVM of its own with a database of its own.
 * The source accounts are filled over IMAP APPEND (Angus) with folders, flags, keywords and internal dates.
 */
class ImapImportTest {
    private static final String PASSWORD = "Imap-Source-123";
    private static final Instant BASE = Instant.parse("2023-05-17T09:30:00Z");
    private static final String DB = "bkimapsrc" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static ImapServerProcess server;
    private static MailStore sourceStore;
    private static String full;
    private static Map<String, List<String>> fullExpected;
    private static String many;
    private static long manyBytes;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = ImapServerProcess.start(Fixture.INFRA, DB);
        sourceStore = new MailStore(Fixture.client().getDatabase(DB));
        String tag = UUID.randomUUID().toString().substring(0, 8);
        full = "full-" + tag + "@" + ImapServerProcess.DOMAIN;
        many = "many-" + tag + "@" + ImapServerProcess.DOMAIN;
        server.account(full, "acc-full-" + tag, PASSWORD, sourceStore);
        server.account(many, "acc-many-" + tag, PASSWORD, sourceStore);
        fullExpected = fillFull();
        manyBytes = fillMany();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        Fixture.client().getDatabase(DB).drop();
    }

    // ------------------------------------------------------------------------------------------------ the source

    private static Store connect(String user, String password) throws Exception {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.trust", "*");
        p.put("mail.imaps.ssl.checkserveridentity", "false");
        p.put("mail.imaps.timeout", "30000");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Store s = Session.getInstance(p).getStore("imaps");
            try {
                s.connect("127.0.0.1", server.tlsPort, user, password);
                return s;
            } catch (jakarta.mail.AuthenticationFailedException e) {
                // the server's directory cache learns the account from directory.changes a moment after it is published
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }

    private static byte[] raw(String subject, Instant date, String body) {
        return ("From: Old Server <old@" + ImapServerProcess.DOMAIN + ">\r\nTo: someone@example.test\r\nSubject: " + subject + "\r\n"
                + "Date: Wed, 17 May 2023 09:30:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@imap-source.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Appends one message with its flags and keywords; the internal date is the message's sent date (Angus's APPEND). */
    private static String append(Folder folder, byte[] raw, Instant date, List<Flags.Flag> flags, List<String> keywords)
            throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)) {
            @Override
            public Date getSentDate() {
                return Date.from(date);
            }
        };
        List<String> all = new ArrayList<>();
        for (Flags.Flag f : flags) {
            m.setFlag(f, true);
        }
        for (String k : keywords) {
            m.setFlags(new Flags(k), true);
        }
        folder.appendMessages(new Message[] {m});
        flags.forEach(f -> all.add(f == Flags.Flag.SEEN ? "\\Seen" : f == Flags.Flag.ANSWERED ? "\\Answered"
                : f == Flags.Flag.FLAGGED ? "\\Flagged" : f == Flags.Flag.DRAFT ? "\\Draft" : "\\Deleted"));
        all.addAll(keywords);
        java.util.Collections.sort(all);
        return date + " " + all + " " + sha256(raw);
    }

    /** INBOX, Sent, Drafts, Projects, Projects/2024 and an empty folder; what each local mailbox must hold, in order. */
    private static Map<String, List<String>> fillFull() throws Exception {
        Map<String, List<String>> expected = new TreeMap<>();
        Store s = connect(full, PASSWORD);
        try {
            for (String name : List.of("Projects", "Projects/2024", "Empty")) {
                assertThat(s.getFolder(name).create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS)).isTrue();
            }
            int i = 0;
            for (String[] m : new String[][] {{"INBOX", "seen"}, {"INBOX", "flagged"}, {"INBOX", ""}, {"Sent", "answered"},
                    {"Drafts", "draft"}, {"Projects", "keywords"}, {"Projects/2024", "seen"}, {"Projects/2024", "keywords"}}) {
                Instant date = BASE.plus(Duration.ofHours(37L * i++));
                List<Flags.Flag> flags = switch (m[1]) {
                    case "seen" -> List.of(Flags.Flag.SEEN);
                    case "flagged" -> List.of(Flags.Flag.SEEN, Flags.Flag.FLAGGED);
                    case "answered" -> List.of(Flags.Flag.SEEN, Flags.Flag.ANSWERED);
                    case "draft" -> List.of(Flags.Flag.DRAFT);
                    default -> List.of();
                };
                List<String> keywords = m[1].equals("keywords") ? List.of("$Forwarded", "work") : List.of();
                Folder f = s.getFolder(m[0]);
                expected.computeIfAbsent(m[0], k -> new ArrayList<>())
                        .add(append(f, raw("message " + i + " in " + m[0], date, "Body of message " + i + "\r\nFrom here on"), date, flags, keywords));
            }
        } finally {
            s.close();
        }
        return expected;
    }

    /** 40 messages of about 8 KiB in INBOX; the total octets. */
    private static long fillMany() throws Exception {
        Store s = connect(many, PASSWORD);
        long bytes = 0;
        try {
            Folder inbox = s.getFolder("INBOX");
            String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789\r\n";
            for (int i = 0; i < 40; i++) {
                byte[] raw = raw("bulk " + i, BASE, ("line " + i + " ").repeat(4) + "\r\n" + line.repeat(110));
                append(inbox, raw, BASE.plus(Duration.ofMinutes(i)), List.of(), List.of());
                bytes += raw.length;
            }
        } finally {
            s.close();
        }
        return bytes;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private ImapImporter importer(Fixture f, long maxBytes) {
        return new ImapImporter(f.db, new Importer(f.db, f.blobs, null, maxBytes, dir.resolve("spool")), Duration.ofSeconds(20));
    }

    private static ImapSource source(String user, int port, ImapSource.Tls tls, String secret, ImapSource.Auth auth, boolean verify) {
        return new ImapSource("127.0.0.1", port, tls, user, secret, auth, verify);
    }

    private static ImapSource starttls(String user, String password) {
        return source(user, server.port, ImapSource.Tls.STARTTLS, password, ImapSource.Auth.PASSWORD, false);
    }

    /** Per local mailbox, in UID order: internal date, flags and keywords, SHA-256 of the bytes (read back from the store). */
    private static Map<String, List<String>> contents(Fixture f, String accountId) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        for (Mailbox m : f.store.mailboxes().list(accountId)) {
            List<String> msgs = new ArrayList<>();
            for (Document d : f.store.messages().list(m.id())) {
                MessageRef ref = new MessageRef(d.getString(Messages.BLOB_KEY), d.getString(Messages.SHA256), d.getLong(Messages.SIZE));
                List<String> flags = new ArrayList<>(d.getList(Messages.FLAGS, String.class));
                flags.addAll(d.getList(Messages.KEYWORDS, String.class));
                java.util.Collections.sort(flags);
                msgs.add(d.getDate(Messages.INTERNAL_DATE).toInstant() + " " + flags + " " + sha256(f.blob(ref)));
            }
            out.put(m.name(), msgs);
        }
        return out;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Recording implements Progress {
        volatile long total;
        volatile long done;
        volatile Map<String, Long> counters = Map.of();

        @Override
        public void phase(String phase, long total) {
            this.total = total;
        }

        @Override
        public void advance(long done) {
            this.done = done;
        }

        @Override
        public void counters(Map<String, Long> counters) {
            this.counters = Map.copyOf(counters);
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void everyFolderFlagKeywordAndDateArrivesAndARerunDuplicatesNothing() throws Exception {
        try (Fixture to = new Fixture()) {
            Account b = PortabilityTest.account(to, "migrated@example.test", 0, 0);
            Recording progress = new Recording();
            ImapImportResult r = importer(to, 1 << 20).importInto(b, starttls(full, PASSWORD), progress);
            assertThat(r.imported()).isEqualTo(8);
            assertThat(r.alreadyImported()).isZero();
            assertThat(r.folders()).contains("INBOX -> INBOX", "Sent -> Sent", "Projects/2024 -> Projects/2024", "Empty -> Empty");
            assertThat(r.source()).doesNotContain(PASSWORD);
            Map<String, List<String>> got = contents(to, b.id());
            Map<String, List<String>> want = new TreeMap<>(fullExpected);
            for (String empty : List.of("Empty", "Trash", "Junk", "Archive")) {
                want.put(empty, List.of());
            }
            assertThat(got).isEqualTo(want);
            assertThat(progress.done).isEqualTo(8);
            assertThat(progress.total).isEqualTo(8);
            assertThat(progress.counters).containsEntry("foldersDone", progress.counters.get("foldersTotal"))
                    .containsEntry("foldersTotal", (long) want.size());
            assertThat(progress.counters.get("bytes")).isEqualTo(r.bytes()).isPositive();
            // nothing of the source account was changed: no \Seen from reading
            Store s = connect(full, PASSWORD);
            try {
                Folder inbox = s.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessage(3).isSet(Flags.Flag.SEEN)).isFalse();
                inbox.close(false);
            } finally {
                s.close();
            }

            ImapImportResult again = importer(to, 1 << 20).importInto(b, starttls(full, PASSWORD), Progress.NONE);
            assertThat(again.imported()).isZero();
            assertThat(again.alreadyImported()).isEqualTo(8);
            assertThat(again.bytes()).isZero();
            assertThat(contents(to, b.id())).isEqualTo(want);
        }
    }

    @Test
    void aFolderWhoseUidValidityChangedIsDownloadedAgainAndFoundThereByContent() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String user = "recreated-" + tag + "@" + ImapServerProcess.DOMAIN;
        server.account(user, "acc-rec-" + tag, PASSWORD, sourceStore);
        byte[] one = raw("kept", BASE, "one");
        byte[] two = raw("kept too", BASE, "two");
        Store s = connect(user, PASSWORD);
        try {
            Folder f = s.getFolder("Lists");
            f.create(Folder.HOLDS_MESSAGES);
            append(f, one, BASE, List.of(Flags.Flag.SEEN), List.of());
            append(f, two, BASE.plusSeconds(60), List.of(), List.of("work"));
        } finally {
            s.close();
        }
        try (Fixture to = new Fixture()) {
            Account b = PortabilityTest.account(to, "recreated@example.test", 0, 0);
            assertThat(importer(to, 1 << 20).importInto(b, starttls(user, PASSWORD), Progress.NONE).imported()).isEqualTo(2);
            s = connect(user, PASSWORD);
            try {
                Folder f = s.getFolder("Lists");
                long before = ((jakarta.mail.UIDFolder) f).getUIDValidity();
                assertThat(f.delete(true)).isTrue();
                f.create(Folder.HOLDS_MESSAGES);
                append(f, one, BASE, List.of(Flags.Flag.SEEN), List.of());
                append(f, two, BASE.plusSeconds(60), List.of(), List.of("work"));
                assertThat(((jakarta.mail.UIDFolder) s.getFolder("Lists")).getUIDValidity()).isNotEqualTo(before);
            } finally {
                s.close();
            }
            ImapImportResult again = importer(to, 1 << 20).importInto(b, starttls(user, PASSWORD), Progress.NONE);
            assertThat(again.imported()).isZero();
            assertThat(again.alreadyImported()).isZero();
            assertThat(again.duplicates()).isEqualTo(2);
            assertThat(contents(to, b.id()).get("Lists")).hasSize(2);
        }
    }

    @Test
    void aServerThatDisconnectsMidImportFailsTheJobKeepsWhatArrivedAndARerunCompletesWithoutDuplicates() throws Exception {
        try (Fixture to = new Fixture(); CuttingProxy proxy = new CuttingProxy(server.port)) {
            Account b = PortabilityTest.account(to, "cut@example.test", 0, 0);
            ImapSource viaProxy = source(many, proxy.port(), ImapSource.Tls.STARTTLS, PASSWORD, ImapSource.Auth.PASSWORD, false);
            proxy.cutAfter(manyBytes / 3);
            assertThatThrownBy(() -> importer(to, 1 << 20).importInto(b, viaProxy, Progress.NONE))
                    .isInstanceOf(PortabilityException.class)
                    .hasMessageContaining("failed while importing INBOX")
                    .hasMessageContaining("are kept. Run the import again");
            assertThat(proxy.cuts()).isPositive();
            long kept = to.db.getCollection(StoreSchema.MESSAGES).countDocuments();
            assertThat(kept).isBetween(1L, 39L);

            proxy.cutAfter(Long.MAX_VALUE);
            ImapImportResult rest = importer(to, 1 << 20).importInto(b, viaProxy, Progress.NONE);
            assertThat(rest.alreadyImported()).isEqualTo(kept);
            assertThat(rest.imported()).isEqualTo(40 - kept);
            assertThat(rest.duplicates()).isZero();
            assertThat(to.db.getCollection(StoreSchema.MESSAGES).countDocuments()).isEqualTo(40);
            assertThat(contents(to, b.id()).get("INBOX")).doesNotHaveDuplicates();
        }
    }

    @Test
    void aWrongPasswordAnUnreachableHostAndAnUntrustedCertificateAreClearErrorsAndChangeNothing() throws Exception {
        try (Fixture to = new Fixture()) {
            Account b = PortabilityTest.account(to, "refused@example.test", 0, 0);
            assertThatThrownBy(() -> importer(to, 1 << 20).importInto(b, starttls(full, "wrong-password"), Progress.NONE))
                    .isInstanceOf(PortabilityException.class)
                    .hasMessageContaining("refused the login of " + full)
                    .hasMessageContaining("nothing was imported")
                    .hasMessageNotContaining("wrong-password")
                    .satisfies(e -> assertThat(((PortabilityException) e).field()).isEqualTo("password"));

            int closed = LocalProcess.freePort();
            assertThatThrownBy(() -> importer(to, 1 << 20).importInto(b,
                    source(full, closed, ImapSource.Tls.IMPLICIT, PASSWORD, ImapSource.Auth.PASSWORD, true), Progress.NONE))
                    .isInstanceOf(PortabilityException.class)
                    .hasMessageContaining("cannot connect to imap://" + full + "@127.0.0.1:" + closed)
                    .hasMessageContaining("connection refused");

            assertThatThrownBy(() -> importer(to, 1 << 20).importInto(b,
                    source(full, server.tlsPort, ImapSource.Tls.IMPLICIT, PASSWORD, ImapSource.Auth.PASSWORD, true), Progress.NONE))
                    .isInstanceOf(PortabilityException.class)
                    .hasMessageContaining("cannot establish TLS with")
                    .hasMessageContaining("not trusted");

            assertThat(to.db.getCollection(StoreSchema.MAILBOXES).countDocuments()).isZero();
            assertThat(to.db.getCollection(StoreSchema.MESSAGES).countDocuments()).isZero();
            assertThat(to.db.getCollection(ImapImporter.STATE).countDocuments()).isZero();
        }
    }

    @Test
    void oauthTokensLogInWithXoauth2AndOauthbearerAndAnOversizedMessageIsNotDownloaded() throws Exception {
        String token = new KeycloakUsers(Fixture.INFRA).accessToken(full, PASSWORD);
        for (ImapSource.Auth auth : List.of(ImapSource.Auth.XOAUTH2, ImapSource.Auth.OAUTHBEARER)) {
            try (Fixture to = new Fixture()) {
                Account b = PortabilityTest.account(to, "token@example.test", 0, 0);
                ImapImportResult r = importer(to, 1 << 20).importInto(b,
                        source(full, server.tlsPort, ImapSource.Tls.IMPLICIT, token, auth, false), Progress.NONE);
                assertThat(r.imported()).as(auth.name()).isEqualTo(8);
            }
        }
        try (Fixture to = new Fixture()) {
            Account b = PortabilityTest.account(to, "small@example.test", 0, 0);
            ImapImportResult r = importer(to, 1000).importInto(b, starttls(many, PASSWORD), Progress.NONE);
            assertThat(r.imported()).isZero();
            assertThat(r.rejectedCount()).isEqualTo(40);
            assertThat(r.rejected().get(0)).contains("INBOX UID ", "over the limit of 1000");
            assertThat(r.bytes()).isZero();
            assertThat(to.db.getCollection(StoreSchema.MESSAGES).countDocuments()).isZero();
        }
    }
}
