package mail.backup.portability;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import mail.backup.engine.Progress;
import mail.core.blob.BlobStore;
import mail.core.event.MessageRef;
import mail.store.Mailbox;
import mail.store.Mailboxes;
import mail.store.Messages;
import mail.store.StoreSchema;
import org.bson.Document;

/**
 * Writes one account's mailboxes as mboxrd files or as a Maildir++ tree. Messages are read from MongoDB with a cursor
 * and their bodies streamed from the object store straight into the files, so memory does not grow with the mailbox.
 * The export is built in a hidden sibling directory and renamed into place at the end: the named directory either
 * holds a whole export or does not exist, and an interrupted export leaves nothing that could be taken for one.
 */
public final class Exporter {
    private final MongoDatabase db;
    private final BlobStore blobs;
    private final Mailboxes mailboxes;

    public Exporter(MongoDatabase db, BlobStore blobs) {
        this.db = db;
        this.blobs = blobs;
        this.mailboxes = new Mailboxes(db);
    }

    public ExportResult export(Account account, Format format, Path target, String shownAs, Progress progress) {
        long started = System.nanoTime();
        if (Files.exists(target)) {
            throw new PortabilityException("target", shownAs + " exists; an export never writes into an existing directory");
        }
        Path work = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            deleteTree(work);
            Files.createDirectories(work);
            List<Mailbox> boxes = mailboxes.list(account.id()).stream().sorted(Comparator.comparing(Mailbox::name)).toList();
            progress.phase("messages", db.getCollection(StoreSchema.MESSAGES).countDocuments(eq(Messages.ACCOUNT_ID, account.id())));
            long[] counts = new long[2];
            for (Mailbox m : boxes) {
                if (format == Format.MBOX) {
                    mbox(m, work, counts, progress);
                } else {
                    maildir(m, work, counts, progress);
                }
            }
            if (format == Format.MAILDIR && boxes.stream().noneMatch(b -> "INBOX".equals(b.name()))) {
                for (String sub : List.of("cur", "new", "tmp")) {
                    Files.createDirectories(work.resolve(sub));
                }
            }
            try {
                Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new PortabilityException("target", shownAs + " was created by someone else while the export ran");
            }
            return new ExportResult(account.address(), format.name().toLowerCase(java.util.Locale.ROOT), shownAs, boxes.size(),
                    counts[0], counts[1], (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("export to " + shownAs + " failed: " + e.getMessage(), e);
        } finally {
            try {
                deleteTree(work);
            } catch (IOException ignored) {
                // a leftover is removed by the next export to the same place
            }
        }
    }

    private void mbox(Mailbox m, Path work, long[] counts, Progress progress) throws IOException {
        Path file = work.resolve(MboxPaths.fileOf(m.name()));
        Files.createDirectories(file.getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            forEach(m, d -> {
                MessageRef ref = ref(d);
                try (InputStream in = blobs.get(ref)) {
                    long n = Mboxrd.write(out, sender(d), date(d), in);
                    check(ref, n, m, d);
                    counts[1] += n;
                }
                progress.advance(++counts[0]);
            });
        }
    }

    private void maildir(Mailbox m, Path work, long[] counts, Progress progress) throws IOException {
        Path dir = MaildirNames.folderDir(m.name()).map(work::resolve).orElse(work);
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        if (!dir.equals(work)) {
            Files.createFile(dir.resolve("maildirfolder"));
        }
        java.util.Map<String, Integer> keywords = new java.util.LinkedHashMap<>();
        forEach(m, d -> {
            MessageRef ref = ref(d);
            Instant date = date(d);
            String name = MaildirNames.fileName(date.getEpochSecond(), m.uidValidity(), number(d, Messages.UID),
                    ref.size(), MaildirNames.info(strings(d, Messages.FLAGS), strings(d, Messages.KEYWORDS), keywords));
            Path tmp = dir.resolve("tmp").resolve(name);
            long n;
            try (InputStream in = blobs.get(ref); OutputStream out = Files.newOutputStream(tmp)) {
                n = in.transferTo(out);
            }
            check(ref, n, m, d);
            Files.setLastModifiedTime(tmp, FileTime.from(date));
            // tmp -> cur is how a Maildir delivery becomes visible (rename is atomic)
            Files.move(tmp, dir.resolve("cur").resolve(name), StandardCopyOption.ATOMIC_MOVE);
            counts[1] += n;
            progress.advance(++counts[0]);
        });
        if (!keywords.isEmpty()) {
            Files.writeString(dir.resolve(MaildirNames.KEYWORDS_FILE), MaildirNames.keywordsFile(keywords));
        }
    }

    private interface MessageWork {
        void accept(Document message) throws IOException;
    }

    private void forEach(Mailbox m, MessageWork work) throws IOException {
        try (MongoCursor<Document> c = db.getCollection(StoreSchema.MESSAGES).find(eq(Messages.MAILBOX_ID, m.id()))
                .projection(Projections.include(Messages.UID, Messages.FLAGS, Messages.KEYWORDS, Messages.INTERNAL_DATE,
                        Messages.SIZE, Messages.BLOB_KEY, Messages.SHA256, Messages.METADATA + ".env.from"))
                .sort(Sorts.ascending(Messages.UID)).batchSize(200).iterator()) {
            while (c.hasNext()) {
                work.accept(c.next());
            }
        }
    }

    private static void check(MessageRef ref, long n, Mailbox m, Document d) {
        if (n != ref.size()) {
            throw new PortabilityException("store", "message UID " + number(d, Messages.UID) + " of " + m.name()
                    + ": the object store returned " + n + " bytes, the message has " + ref.size() + "; the export was abandoned");
        }
    }

    private static MessageRef ref(Document d) {
        return new MessageRef(d.getString(Messages.BLOB_KEY), d.getString(Messages.SHA256), number(d, Messages.SIZE));
    }

    private static Instant date(Document d) {
        Date date = d.getDate(Messages.INTERNAL_DATE);
        return date == null ? Instant.EPOCH : date.toInstant();
    }

    /** The first From address of the message, for the From_ line (the SMTP envelope sender is not kept). */
    static String sender(Document d) {
        Document meta = d.get(Messages.METADATA, Document.class);
        Document env = meta == null ? null : meta.get("env", Document.class);
        List<Document> from = env == null ? null : env.getList("from", Document.class);
        if (from == null || from.isEmpty() || from.get(0).getString("mbox") == null || from.get(0).getString("host") == null) {
            return null;
        }
        return from.get(0).getString("mbox") + "@" + from.get(0).getString("host");
    }

    static long number(Document d, String field) {
        Object v = d.get(field);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Document d, String field) {
        Object v = d.get(field);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
