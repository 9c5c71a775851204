package mail.backup.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.ContentFile;
import mail.backup.archive.Manifest;
import mail.backup.archive.ManifestCodec;
import mail.backup.location.BackupTarget;
import mail.core.blob.BlobStore;
import mail.core.blob.BlobStoreException;
import mail.core.event.MessageRef;
import mail.store.StoreSchema;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * Takes one backup. Order matters for consistency while mail keeps arriving: Kafka end offsets first, then the
 * documents, then the blobs they refer to (blobs are immutable and content-addressed, so a blob read after its message
 * is the same blob), and the manifest last, so that a backup without a manifest is plainly unfinished. Whatever
 * arrived after the offsets is either in the backup or replayable from them; every consumer write is idempotent, so
 * both at once is harmless.
 */
public final class BackupRunner {
    private static final Logger LOG = Logger.getLogger(BackupRunner.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Short-lived allocation locks: meaningless after a restore, and restoring one could block a mailbox. */
    static final Set<String> SKIPPED_COLLECTIONS = Set.of(StoreSchema.MAILBOX_LEASES);

    private final MongoDatabase db;
    private final BlobStore blobs;
    private final RealmGateway realm;
    private final OffsetSource offsets;
    private final Path spoolDir;
    private final Clock clock;

    /** @param realm null to leave identities out; @param offsets null to record none */
    public BackupRunner(MongoDatabase db, BlobStore blobs, RealmGateway realm, OffsetSource offsets, Path spoolDir, Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.realm = realm;
        this.offsets = offsets;
        this.spoolDir = spoolDir;
        this.clock = clock;
    }

    public static String newId(Instant at) {
        String time = ID_TIME.format(at) + "-";
        // name order is time order, and the newest name is the parent of an increment: two backups started in the same
        // second must not get random suffixes that sort the later one first
        return LAST_ID.updateAndGet(last -> {
            String id = time + UUID.randomUUID().toString().substring(0, 8);
            if (last.startsWith(time) && id.compareTo(last) <= 0) {
                long next = Long.parseLong(last.substring(time.length()), 16) + 1;
                id = next > 0xFFFF_FFFFL ? id : time + String.format("%08x", next);
            }
            return id;
        });
    }

    private static final java.util.concurrent.atomic.AtomicReference<String> LAST_ID = new java.util.concurrent.atomic.AtomicReference<>("");

    /**
     * @param incremental builds on the newest backup of the target; with none there, a full backup is taken
     */
    public Manifest run(BackupTarget target, String id, boolean incremental, Progress progress) throws IOException {
        ArchiveNames.backupId(id);
        long started = System.nanoTime();
        Instant createdAt = clock.instant();
        Files.createDirectories(spoolDir);
        Snapshot parent = null;
        if (incremental) {
            List<String> ids = target.backupIds();
            if (!ids.isEmpty()) {
                String parentId = ids.get(ids.size() - 1);
                parent = new Snapshot(target, Chain.load(target, parentId));
            }
        }
        Set<String> chainBlobs = parent == null ? Set.of() : parent.chain().blobDigests();

        progress.phase("kafka offsets", 1);
        Map<String, Map<String, Long>> endOffsets = offsets == null ? Map.of() : offsets.endOffsets();

        List<ContentFile> files = new ArrayList<>();
        Map<String, Long> refs = new TreeMap<>();
        long documents = 0;
        long changed = 0;
        long messages = 0;
        long rawBytes = 0;
        List<String> collections = new ArrayList<>();
        for (String c : db.listCollectionNames()) {
            if (ArchiveNames.isCollection(c) && !SKIPPED_COLLECTIONS.contains(c)) {
                collections.add(c);
            } else if (!SKIPPED_COLLECTIONS.contains(c)) {
                LOG.warnf("collection %s has a name a backup cannot hold; left out", c);
            }
        }
        collections.sort(null);
        for (String c : collections) {
            Map<String, String> before = parent == null ? null : parent.index(c);
            progress.phase("collection " + c, db.getCollection(c).estimatedDocumentCount());
            long done = 0;
            try (StoredFile data = new StoredFile(spoolDir); StoredFile index = new StoredFile(spoolDir);
                 MongoCursor<Document> cursor = db.getCollection(c).find().batchSize(500).iterator()) {
                long written = 0;
                while (cursor.hasNext()) {
                    Document d = cursor.next();
                    String line = Documents.json(d);
                    String hash = Digests.sha256(line);
                    String key = Documents.idKey(d);
                    index.line(hash + " " + key);
                    if (before == null || !hash.equals(before.get(key))) {
                        data.line(line);
                        written++;
                    }
                    Documents.blobRefs(d, refs);
                    progress.advance(++done);
                }
                documents += done;
                changed += written;
                if (StoreSchema.MESSAGES.equals(c)) {
                    messages = done;
                }
                if (written > 0 || parent == null) {
                    rawBytes += data.rawBytes();
                    files.add(put(target, data, ArchiveNames.collectionFile(id, c), ContentFile.COLLECTION));
                }
                files.add(put(target, index, ArchiveNames.indexFile(id, c), ContentFile.INDEX));
            }
        }

        if (realm != null) {
            progress.phase("keycloak realm", 1);
            JsonNode exported = realm.export();
            try (StoredFile f = new StoredFile(spoolDir)) {
                JSON.writeValue(new NonClosing(f.stream()), exported);
                f.items(exported.path("users").size());
                rawBytes += f.rawBytes();
                files.add(put(target, f, ArchiveNames.realmFile(id), ContentFile.REALM));
            }
        }

        progress.phase("blobs", refs.size());
        long blobsWritten = 0;
        long done = 0;
        try (StoredFile list = new StoredFile(spoolDir)) {
            for (Map.Entry<String, Long> e : refs.entrySet()) {
                String digest = e.getKey();
                list.line(digest + " " + e.getValue());
                String name = ArchiveNames.blobFile(digest);
                if (!chainBlobs.contains(digest) && !target.exists(name)) {
                    ContentFile f = copyBlob(target, digest, e.getValue(), name);
                    files.add(f);
                    rawBytes += Math.max(0, e.getValue());
                    blobsWritten++;
                }
                progress.advance(++done);
            }
            files.add(put(target, list, ArchiveNames.blobRefsFile(id), ContentFile.BLOB_REFS));
        }

        long bytesWritten = files.stream().mapToLong(ContentFile::size).sum();
        Manifest m = new Manifest(Manifest.FORMAT_VERSION, id, parent == null ? null : parent.manifest().id(),
                parent == null ? Manifest.FULL : Manifest.INCREMENTAL, createdAt, clock.instant(), endOffsets, collections, files,
                new Manifest.Stats(documents, changed, messages, blobsWritten, refs.size(), bytesWritten, rawBytes,
                        (System.nanoTime() - started) / 1_000_000));
        Path manifest = Files.createTempFile(spoolDir, "manifest-", ".json");
        try {
            Files.write(manifest, ManifestCodec.encode(m));
            target.write(ArchiveNames.manifest(id), manifest);
        } finally {
            Files.deleteIfExists(manifest);
        }
        LOG.infof("backup %s (%s) written to %s: %d documents (%d changed), %d blobs copied of %d referenced, %d bytes",
                id, m.kind(), target.describe(), documents, changed, blobsWritten, refs.size(), bytesWritten);
        return m;
    }

    private ContentFile put(BackupTarget target, StoredFile f, String name, String kind) throws IOException {
        ContentFile c = f.finish(ArchiveNames.content(name), kind);
        target.write(name, f.path());
        return c;
    }

    /** Compresses the blob into the spool while checking that its bytes still hash to its name. */
    private ContentFile copyBlob(BackupTarget target, String digest, long size, String name) throws IOException {
        MessageDigest content = Digests.sha256();
        try (StoredFile f = new StoredFile(spoolDir)) {
            try (InputStream in = new DigestInputStream(blobs.get(MessageRef.of(digest, Math.max(0, size))), content)) {
                in.transferTo(f.stream());
            } catch (BlobStoreException e) {
                throw new BackupFormatException("blob " + digest + " is referenced but cannot be read from the object store: "
                        + e.getMessage(), e);
            }
            String actual = HexFormat.of().formatHex(content.digest());
            if (!actual.equals(digest)) {
                throw new BackupFormatException("blob " + digest + " in the object store hashes to " + actual + "; not backed up");
            }
            f.items(1);
            return put(target, f, name, ContentFile.BLOB);
        }
    }

    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
