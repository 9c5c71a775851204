package mail.backup.portability;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import com.mongodb.client.MongoDatabase;
import mail.backup.engine.Progress;
import mail.core.blob.BlobStore;
import mail.core.blob.BlobStoreException;
import mail.core.event.MailboxChanged;
import mail.core.event.MailboxChanged.ChangeKind;
import mail.core.event.MessageRef;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.core.mailbox.MailboxName;
import mail.message.MessageMetadataBson;
import mail.message.MessageParser;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.NewMessage;
import mail.store.StoredMessage;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Imports mbox files or a Maildir++ tree into an account, message by message through the same path IMAP APPEND
 * takes: the bytes to the object store, parsed by mail-message, stored by {@link MailStore#store} (UID and MODSEQ
 * allocated, blob reference counted, quota checked first) and announced on {@code mailbox.changes}.
 *
 * <p>The whole source is read once before anything is written, so a malformed mbox is refused with nothing stored.
 * Each message's delivery key is {@code import/<account>/<folder hash>/<content SHA-256>/<n>} (the n-th message with
 * that content in that source folder): running the import again, after it stopped for any reason, skips what is
 * there, stores the rest, and keeps real duplicates inside one folder as duplicates. A message's body is stored
 * before its metadata, so a failure (object store down) never leaves a message without its body.
 */
public final class Importer {
    private static final Logger LOG = Logger.getLogger(Importer.class);
    private static final int LISTED = 100;
    private static final String SOURCE = "backup-service/import";

    private final MongoDatabase db;
    private final BlobStore blobs;
    private final MailStore store;
    private final EventPublisher publisher;
    private final MessageParser parser = new MessageParser();
    private final long maxMessageBytes;
    private final Path spool;

    /** @param publisher null to store without announcing (mailbox.changes only makes other sessions look sooner) */
    public Importer(MongoDatabase db, BlobStore blobs, EventPublisher publisher, long maxMessageBytes, Path spool) {
        this.db = db;
        this.blobs = blobs;
        this.store = new MailStore(db);
        this.publisher = publisher;
        this.maxMessageBytes = maxMessageBytes;
        this.spool = spool;
    }

    private record Folder(String mailbox, Path path) {
    }

    static final class Run {
        final List<String> created = new ArrayList<>();
        final List<String> rejected = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        long rejectedCount;
        long imported;
        long duplicates;
        long bytes;
        long done;
        long usageBytes;
        long usageMessages;

        void reject(String why) {
            rejectedCount++;
            if (rejected.size() < LISTED) {
                rejected.add(why);
            }
        }

        void warn(String why) {
            if (warnings.size() < LISTED) {
                warnings.add(why);
            }
        }
    }

    public ImportResult importInto(Account account, Format format, Path source, String shownAs, Progress progress) {
        long started = System.nanoTime();
        if (!Files.exists(source)) {
            throw new PortabilityException("path", shownAs + " does not exist");
        }
        Run run = new Run();
        try {
            Files.createDirectories(spool);
            progress.phase("reading " + shownAs, -1);
            List<Folder> folders = format == Format.MBOX ? mboxFolders(source, shownAs, run) : maildirFolders(source, shownAs, run);
            long total = format == Format.MBOX ? scanMbox(folders, source) : scanMaildir(folders);
            checkQuota(account, run);
            progress.phase("messages", total);
            for (Folder f : folders) {
                if (format == Format.MBOX) {
                    importMbox(account, f, source, run, progress);
                } else {
                    importMaildir(account, f, run, progress);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("import from " + shownAs + " failed after " + run.imported + " messages: " + e.getMessage(), e);
        }
        LOG.infof("import of %s into %s: %d imported, %d already there, %d rejected", shownAs, account.address(), run.imported,
                run.duplicates, run.rejectedCount);
        return new ImportResult(account.address(), format.name().toLowerCase(Locale.ROOT), shownAs, List.copyOf(run.created),
                run.imported, run.duplicates, run.bytes, List.copyOf(run.rejected), run.rejectedCount, List.copyOf(run.warnings),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Reads the account's usage into the run; refuses an account at or over its quota before anything is stored. */
    void checkQuota(Account account, Run run) {
        run.usageBytes = store.messages().accountUsage(account.id());
        run.usageMessages = store.messages().accountMessages(account.id());
        if ((account.quotaBytes() > 0 && run.usageBytes >= account.quotaBytes())
                || (account.quotaMessages() > 0 && run.usageMessages >= account.quotaMessages())) {
            throw new PortabilityException("account", account.address() + " is at or over its quota (" + run.usageBytes + " of "
                    + account.quotaBytes() + " octets, " + run.usageMessages + " messages); nothing was imported");
        }
    }

    // ------------------------------------------------------------------------------------------------ finding folders

    private static List<Folder> mboxFolders(Path source, String shownAs, Run run) throws IOException {
        List<Folder> out = new ArrayList<>();
        if (Files.isRegularFile(source)) {
            String file = source.getFileName().toString();
            String base = file.endsWith(MboxPaths.EXTENSION) ? file.substring(0, file.length() - MboxPaths.EXTENSION.length()) : file;
            Optional<String> name = MboxPaths.mailboxOf(Path.of(MaildirNames.escape(MaildirNames.unescape(base)) + MboxPaths.EXTENSION));
            out.add(new Folder(name.orElseThrow(() -> new PortabilityException("path", file + " cannot name a mailbox")), source));
            return out;
        }
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.sorted().toList()) {
                if (p.equals(source) || Files.isDirectory(p)) {
                    continue;
                }
                Path rel = source.relativize(p);
                Optional<String> name = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? MboxPaths.mailboxOf(rel) : Optional.empty();
                if (name.isPresent()) {
                    out.add(new Folder(name.get(), p));
                } else {
                    run.warn("ignored " + rel + ": not a *.mbox file");
                }
            }
        }
        if (out.isEmpty()) {
            throw new PortabilityException("path", shownAs + " holds no *.mbox file");
        }
        return out;
    }

    private static List<Folder> maildirFolders(Path source, String shownAs, Run run) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new PortabilityException("path", shownAs + " is not a Maildir directory");
        }
        List<Folder> out = new ArrayList<>();
        if (isMaildir(source)) {
            out.add(new Folder("INBOX", source));
        }
        try (Stream<Path> s = Files.list(source)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.equals("cur") || n.equals("new") || n.equals("tmp") || n.equals(MaildirNames.KEYWORDS_FILE)) {
                    continue;
                }
                Optional<String> name = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isMaildir(p)
                        ? MaildirNames.mailboxOf(n) : Optional.empty();
                if (name.isPresent()) {
                    out.add(new Folder(name.get(), p));
                } else {
                    run.warn("ignored " + n + ": not a Maildir++ folder (.Name with cur/ and new/)");
                }
            }
        }
        if (out.isEmpty()) {
            throw new PortabilityException("path", shownAs + " is not a Maildir: no cur/ and new/ in it or in any .Folder below it");
        }
        return out;
    }

    private static boolean isMaildir(Path dir) {
        return Files.isDirectory(dir.resolve("cur")) || Files.isDirectory(dir.resolve("new"));
    }

    // ------------------------------------------------------------------------------------------------ reading first

    /** Reads every file once so that a malformed one is refused before anything is stored; returns the message count. */
    private static long scanMbox(List<Folder> folders, Path source) throws IOException {
        long n = 0;
        OutputStream nowhere = OutputStream.nullOutputStream();
        for (Folder f : folders) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f.path()), MboxReader.CHUNK)) {
                MboxReader r = new MboxReader(in, label(source, f.path()));
                while (r.next(nowhere) != null) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long scanMaildir(List<Folder> folders) throws IOException {
        long n = 0;
        for (Folder f : folders) {
            n += maildirFiles(f.path(), null).size();
        }
        return n;
    }

    /** The message files of a Maildir folder in new/ and cur/, oldest first; tmp/ holds deliveries not yet finished. */
    private static List<Path> maildirFiles(Path dir, Run run) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        // the Maildir rules: readers skip names starting with a dot
                        if (run != null) {
                            run.warn("ignored " + sub + "/" + n + ": " + (n.startsWith(".") ? "hidden file" : "not a regular file"));
                        }
                        continue;
                    }
                    out.add(p);
                }
            }
        }
        Map<Path, Long> times = new HashMap<>();
        for (Path p : out) {
            times.put(p, Files.getLastModifiedTime(p).toMillis());
        }
        out.sort(Comparator.<Path>comparingLong(times::get).thenComparing(p -> p.getFileName().toString()));
        return out;
    }

    // ------------------------------------------------------------------------------------------------ storing

    private void importMbox(Account account, Folder f, Path source, Run run, Progress progress) throws IOException {
        Target target = new Target(account, f.mailbox(), run);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(f.path()), MboxReader.CHUNK)) {
            MboxReader r = new MboxReader(in, label(source, f.path()));
            while (true) {
                Path tmp = Files.createTempFile(spool, "import-", ".eml");
                try {
                    Spooled s;
                    Mboxrd.Envelope e;
                    try (Spooled sink = new Spooled(tmp, maxMessageBytes)) {
                        e = r.next(sink);
                        s = sink;
                    }
                    if (e == null) {
                        break;
                    }
                    one(target, s, e.date(), List.of(), List.of(), f.mailbox() + " message at line " + e.line(), run);
                    progress.advance(++run.done);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } finally {
            target.announce();
        }
    }

    private void importMaildir(Account account, Folder f, Run run, Progress progress) throws IOException {
        Target target = new Target(account, f.mailbox(), run);
        Path keywordsFile = f.path().resolve(MaildirNames.KEYWORDS_FILE);
        Map<Integer, String> letters = Files.isRegularFile(keywordsFile)
                ? MaildirNames.parseKeywordsFile(Files.readString(keywordsFile, StandardCharsets.UTF_8)) : Map.of();
        try {
            for (Path p : maildirFiles(f.path(), run)) {
                String name = p.getFileName().toString();
                boolean inCur = p.getParent().getFileName().toString().equals("cur");
                MaildirNames.Info info = inCur ? MaildirNames.parse(name, letters) : new MaildirNames.Info(List.of(), List.of(), "");
                if (!info.unknown().isEmpty()) {
                    run.warn(f.mailbox() + " " + name + ": info letters '" + info.unknown() + "' have no meaning here and were dropped");
                }
                Instant date = Files.getLastModifiedTime(p).toInstant();
                Path tmp = Files.createTempFile(spool, "import-", ".eml");
                try {
                    Spooled s;
                    try (Spooled sink = new Spooled(tmp, maxMessageBytes); InputStream in = Files.newInputStream(p)) {
                        in.transferTo(sink);
                        s = sink;
                    }
                    one(target, s, date, info.flags(), info.keywords(), f.mailbox() + " " + name, run);
                    progress.advance(++run.done);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } finally {
            target.announce();
        }
    }

    /** What became of one source message. */
    enum Outcome { IMPORTED, DUPLICATE, REJECTED }

    /** The APPEND path for one spooled message, shared by the file and the IMAP import. */
    Outcome one(Target target, Spooled s, Instant date, List<String> flags, List<String> keywords, String what, Run run)
            throws IOException {
        if (s.size == 0) {
            run.reject(what + ": empty");
            return Outcome.REJECTED;
        }
        if (s.oversized) {
            run.reject(what + ": " + s.size + " octets, over the limit of " + maxMessageBytes);
            return Outcome.REJECTED;
        }
        String digest = s.sha256();
        int occurrence = target.occurrences.merge(digest, 1, Integer::sum);
        String key = "import/" + target.account.id() + "/" + target.folderKey + "/" + digest + "/" + occurrence;
        if (store.messages().byDeliveryKey(key).isPresent()) {
            run.duplicates++;
            return Outcome.DUPLICATE;
        }
        Account a = target.account;
        if (a.quotaBytes() > 0 && run.usageBytes + s.size > a.quotaBytes()
                || a.quotaMessages() > 0 && run.usageMessages + 1 > a.quotaMessages()) {
            throw new PortabilityException("account", a.address() + " would go over its quota with " + what + " (" + s.size
                    + " octets; " + run.usageBytes + " of " + a.quotaBytes() + " octets and " + run.usageMessages
                    + " messages used); " + run.imported + " messages were imported and are kept, nothing of this one was "
                    + "stored. Raise the quota and run the import again: it continues where it stopped.");
        }
        MessageRef ref;
        try {
            ref = blobs.putSpooled(s.file, digest, s.size);
        } catch (BlobStoreException e) {
            throw new PortabilityException("store", "the object store failed while importing " + what + " (" + e.getMessage()
                    + "); " + run.imported + " messages were imported and are kept, nothing of this one was stored. Run the "
                    + "import again when the store is back: it continues where it stopped.", e);
        }
        Document metadata;
        try (InputStream in = Files.newInputStream(s.file)) {
            metadata = MessageMetadataBson.toDocument(parser.parse(in));
        }
        Mailbox mailbox = target.mailbox();
        Optional<StoredMessage> stored = store.store(mailbox, new NewMessage(a.id(), ref, date, flags, keywords, metadata, key));
        if (stored.isPresent() && stored.get().created()) {
            run.imported++;
            run.bytes += s.size;
            run.usageBytes += s.size;
            run.usageMessages++;
            target.uids.add(stored.get().uid());
            return Outcome.IMPORTED;
        }
        // there already (a concurrent run), or imported before and expunged since: the user removed it, keep it removed
        run.duplicates++;
        return Outcome.DUPLICATE;
    }

    long maxMessageBytes() {
        return maxMessageBytes;
    }

    Path spool() {
        return spool;
    }

    MailStore store() {
        return store;
    }

    private static String label(Path source, Path file) {
        return source.equals(file) ? file.getFileName().toString() : source.relativize(file).toString();
    }

    /** The mailbox a source folder goes into, created when its first message is stored, and the UIDs to announce. */
    final class Target {
        final Account account;
        final String name;
        final String folderKey;
        final Run run;
        final Map<String, Integer> occurrences = new HashMap<>();
        final List<Long> uids = new ArrayList<>();
        private Mailbox mailbox;

        Target(Account account, String name, Run run) {
            this.account = account;
            this.name = MailboxName.fromUtf8(name).name();
            this.folderKey = sha256(this.name.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
            this.run = run;
        }

        Mailbox mailbox() {
            if (mailbox == null) {
                MailboxName n = MailboxName.fromUtf8(name);
                Optional<Mailbox> made = store.mailboxes().create(account.id(), n, null);
                made.ifPresent(m -> {
                    run.created.add(m.name());
                    publish(MailboxChanged.create(SOURCE, account.id(), m.id(), m.name(), m.uidValidity(), ChangeKind.MAILBOX_CREATED,
                            List.of(), m.highestModSeq(), null));
                });
                mailbox = made.orElseGet(() -> store.mailboxes().find(account.id(), n.name()).orElseThrow());
            }
            return mailbox;
        }

        void announce() {
            if (uids.isEmpty() || mailbox == null) {
                return;
            }
            Mailbox after = store.mailboxes().byId(mailbox.id()).orElse(mailbox);
            for (int from = 0; from < uids.size(); from += MailboxChanged.MAX_UIDS) {
                List<Long> part = new ArrayList<>(uids.subList(from, Math.min(uids.size(), from + MailboxChanged.MAX_UIDS)));
                publish(MailboxChanged.create(SOURCE, account.id(), after.id(), after.name(), after.uidValidity(),
                        ChangeKind.MESSAGE_ADDED, part, Math.max(1, after.highestModSeq()), null));
            }
            uids.clear();
        }
    }

    private void publish(MailboxChanged event) {
        if (publisher == null) {
            return;
        }
        // MongoDB is the truth and sessions re-read it; a lost event only delays what other sessions see
        publisher.publish(Topics.MAILBOX_CHANGES, event.kafkaKey(), event).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warnf("mailbox.changes %s for %s not published: %s", event.change(), event.mailboxId(), e.toString());
            }
        });
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message spooled to a file while hashed; past the size limit it only counts, so an oversized one costs no disk. */
    static final class Spooled extends OutputStream {
        final Path file;
        final long limit;
        final MessageDigest digest;
        final OutputStream out;
        long size;
        boolean oversized;
        private String hex;

        Spooled(Path file, long limit) throws IOException {
            this.file = file;
            this.limit = limit;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            this.out = new java.io.BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file), digest), 64 * 1024);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            size += len;
            if (size > limit) {
                oversized = true;
                return;
            }
            out.write(b, off, len);
        }

        /** Once the bytes are all written; the same value on every call. */
        String sha256() {
            if (hex == null) {
                hex = HexFormat.of().formatHex(digest.digest());
            }
            return hex;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
