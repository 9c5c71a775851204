package mail.backup.restore;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.BackupFormatException;
import mail.backup.archive.ContentFile;
import mail.backup.engine.Chain;
import mail.backup.engine.Progress;
import mail.backup.engine.RealmGateway;
import mail.backup.engine.Snapshot;
import mail.backup.engine.Verifier;
import mail.backup.location.BackupTarget;
import mail.core.blob.BlobStore;
import mail.core.event.MessageRef;
import mail.core.mailbox.MailboxName;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.Mailboxes;
import mail.store.Messages;
import mail.store.NewMessage;
import mail.store.StoreSchema;
import mail.store.StoredMessage;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Restores a backup into a platform. Every write is "insert if missing" by the document's own {@code _id} (or, for
 * messages restored under a new folder, by a delivery key derived from backup and message), so running a restore
 * again, or again after it stopped half way, completes it without duplicating anything. Blobs are restored before
 * the documents that refer to them, so no message ever points at a missing body.
 */
public final class Restorer {
    private static final Logger LOG = Logger.getLogger(Restorer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;
    private static final DateTimeFormatter FOLDER_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    /** What makes a platform "not empty": any mail, any mailbox, any directory entry. */
    static final List<String> CONTENT_COLLECTIONS = List.of(StoreSchema.MESSAGES, StoreSchema.MAILBOXES, "directory_entries",
            "directory_domains");
    // directory-service's layout (mail.directory.adapter.mongo.EntryStore): the Keycloak user an account belongs to,
    // and the mark that makes its Republisher publish the entry on directory.changes again
    static final String ENTRIES = "directory_entries";
    static final String DOMAINS = "directory_domains";
    static final String KEYCLOAK_ID = "keycloakId";
    static final String DIRTY = "dirty";

    private final MongoDatabase db;
    private final BlobStore blobs;
    private final RealmGateway realm;
    private final MailStore store;
    private final Clock clock;

    public Restorer(MongoDatabase db, BlobStore blobs, RealmGateway realm, Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.realm = realm;
        this.store = new MailStore(db);
        this.clock = clock;
    }

    public RestoreResult restore(BackupTarget target, RestoreRequest request, Progress progress) {
        long started = System.nanoTime();
        Chain chain = Chain.load(target, request.backupId());
        Snapshot snapshot = new Snapshot(target, chain);
        Counts counts = new Counts();
        if (request.scope() == RestoreRequest.Scope.FULL) {
            full(target, snapshot, request, progress, counts);
        } else {
            mailboxes(target, snapshot, request, progress, counts);
        }
        RestoreResult r = new RestoreResult(chain.top().id(), request.scope(), counts.inserted, counts.skipped,
                counts.messages, counts.blobs, counts.users, List.copyOf(counts.restoredInto), List.copyOf(counts.warnings),
                (System.nanoTime() - started) / 1_000_000);
        LOG.infof("restore of %s (%s) done: %d inserted, %d skipped, %d blobs, %d users created", r.backupId(),
                r.scope(), r.inserted(), r.skipped(), r.blobsRestored(), r.usersCreated());
        return r;
    }

    // ------------------------------------------------------------------------------------------------ full

    private void full(BackupTarget target, Snapshot snapshot, RestoreRequest request, Progress progress, Counts counts) {
        Verifier.Report report = new Verifier().verify(target, snapshot.manifest().id(), progress);
        if (!report.ok()) {
            throw new RestoreRefusedException("backupId", "backup " + report.backupId() + " failed verification, nothing was restored: "
                    + String.join("; ", report.problems()));
        }
        checkEmpty(request);
        Map<String, Long> refs = snapshot.blobRefs();
        progress.phase("blobs", refs.size());
        Set<String> seen = new HashSet<>();
        long done = 0;
        for (Map.Entry<String, Long> e : refs.entrySet()) {
            ensureBlob(target, e.getKey(), e.getValue(), seen, counts);
            progress.advance(++done);
        }
        Map<String, String> userIds = restoreRealm(target, snapshot, null, counts);
        for (String c : snapshot.manifest().collections()) {
            progress.phase("collection " + c, snapshot.index(c).size());
            MongoCollection<Document> coll = db.getCollection(c);
            List<Document> batch = new ArrayList<>();
            long[] n = new long[1];
            snapshot.documents(c, d -> true, d -> {
                batch.add(adjust(c, d, userIds));
                if (batch.size() >= BATCH) {
                    write(coll, batch, counts);
                    batch.clear();
                }
                progress.advance(++n[0]);
            });
            write(coll, batch, counts);
            if (StoreSchema.MESSAGES.equals(c)) {
                counts.messages = n[0];
            }
        }
    }

    /** A full restore goes into an empty platform unless forced; checked before the job starts and again when it runs. */
    public void checkEmpty(RestoreRequest request) {
        if (request.scope() != RestoreRequest.Scope.FULL || request.force()) {
            return;
        }
        Map<String, Long> present = new LinkedHashMap<>();
        for (String c : CONTENT_COLLECTIONS) {
            long n = db.getCollection(c).countDocuments();
            if (n > 0) {
                present.put(c, n);
            }
        }
        if (!present.isEmpty()) {
            throw new RestoreRefusedException("force", "the platform is not empty (" + present + "); a full restore goes into an "
                    + "empty platform, or pass force to restore into it anyway (documents that exist are kept, never overwritten)");
        }
    }

    /** Points restored accounts at their restored Keycloak users and asks directory-service to publish them again. */
    private static Document adjust(String collection, Document d, Map<String, String> userIds) {
        if (ENTRIES.equals(collection)) {
            Object id = d.get(KEYCLOAK_ID);
            if (id instanceof String old && userIds.containsKey(old)) {
                d.put(KEYCLOAK_ID, userIds.get(old));
            }
            d.put(DIRTY, true);
        } else if (DOMAINS.equals(collection)) {
            d.put(DIRTY, true);
        }
        return d;
    }

    private static void write(MongoCollection<Document> coll, List<Document> batch, Counts counts) {
        if (batch.isEmpty()) {
            return;
        }
        List<Object> ids = new ArrayList<>();
        batch.forEach(d -> ids.add(d.get("_id")));
        Set<Object> existing = new HashSet<>();
        coll.find(in("_id", ids)).projection(Projections.include("_id")).forEach(d -> existing.add(d.get("_id")));
        List<Document> missing = new ArrayList<>();
        for (Document d : batch) {
            if (!existing.contains(d.get("_id"))) {
                missing.add(d);
            } else {
                // there already: either restored by an earlier run of this restore, or newer than the backup
                counts.skipped++;
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            coll.insertMany(missing, new InsertManyOptions().ordered(false));
            counts.inserted += missing.size();
        } catch (MongoBulkWriteException e) {
            // a concurrent writer created some meanwhile: those are newer than the backup and stay
            for (BulkWriteError err : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            counts.inserted += missing.size() - e.getWriteErrors().size();
            counts.skipped += e.getWriteErrors().size();
        }
    }

    // ------------------------------------------------------------------------------------------------ account / mailbox

    private void mailboxes(BackupTarget target, Snapshot snapshot, RestoreRequest request, Progress progress, Counts counts) {
        if (request.account() == null || request.account().isBlank()) {
            throw new RestoreRefusedException("account", "account is required for a " + request.scope() + " restore");
        }
        if (request.scope() == RestoreRequest.Scope.MAILBOX && (request.mailbox() == null || request.mailbox().isBlank())) {
            throw new RestoreRefusedException("mailbox", "mailbox is required for a MAILBOX restore");
        }
        Account account = account(snapshot, request.account().trim());
        List<Document> backedUp = new ArrayList<>();
        snapshot.documents(StoreSchema.MAILBOXES, d -> account.id.equals(d.getString(Mailboxes.ACCOUNT_ID))
                && (request.scope() == RestoreRequest.Scope.ACCOUNT || request.mailbox().equals(d.getString(Mailboxes.NAME))), backedUp::add);
        if (backedUp.isEmpty()) {
            throw new RestoreRefusedException(request.scope() == RestoreRequest.Scope.MAILBOX ? "mailbox" : "account",
                    "backup " + snapshot.manifest().id() + " has no " + (request.scope() == RestoreRequest.Scope.MAILBOX
                            ? "mailbox '" + request.mailbox() + "' of " : "mailboxes of ") + request.account());
        }
        if (request.scope() == RestoreRequest.Scope.ACCOUNT) {
            restoreAccountEntry(target, snapshot, account, counts);
        }
        MongoCollection<Document> mailboxes = db.getCollection(StoreSchema.MAILBOXES);
        String date = FOLDER_DATE.format(snapshot.manifest().createdAt());
        Map<String, Plan> plans = new HashMap<>();
        for (Document bm : backedUp) {
            String id = bm.getObjectId("_id").toHexString();
            String name = bm.getString(Mailboxes.NAME);
            Document live = mailboxes.find(eq("_id", bm.get("_id"))).first();
            if (live != null && number(live, Mailboxes.UID_NEXT) == number(bm, Mailboxes.UID_NEXT)
                    && number(live, Mailboxes.HIGHEST_MODSEQ) == number(bm, Mailboxes.HIGHEST_MODSEQ)) {
                // untouched since the backup, so whatever is missing is from an earlier run of this restore: resume it
                plans.put(id, Plan.whole(id, bm));
                counts.skipped++;
            } else if (live != null || store.mailboxes().find(account.id, name).isPresent()) {
                // the mailbox moved on since the backup: putting old UIDs back into it would hide them from clients
                // that already saw them expunged, so the backup's copy goes into a new folder with its own UIDVALIDITY
                String into = "Restored/" + date + "/" + name;
                MailboxName newName = MailboxName.fromUtf8(into);
                store.mailboxes().create(account.id, newName, null);
                Mailbox target2 = store.mailboxes().find(account.id, newName.name()).orElseThrow();
                plans.put(id, Plan.into(target2));
                counts.restoredInto.add(name + " -> " + into);
            } else {
                try {
                    mailboxes.insertOne(bm);
                    counts.inserted++;
                } catch (MongoWriteException e) {
                    if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    counts.skipped++;
                }
                plans.put(id, Plan.whole(id, bm));
            }
        }
        MongoCollection<Document> messages = db.getCollection(StoreSchema.MESSAGES);
        Set<String> seenBlobs = new HashSet<>();
        progress.phase("messages", -1);
        long[] n = new long[1];
        snapshot.documents(StoreSchema.MESSAGES, d -> account.id.equals(d.getString(Messages.ACCOUNT_ID))
                && plans.containsKey(d.getString(Messages.MAILBOX_ID)), d -> {
            Plan plan = plans.get(d.getString(Messages.MAILBOX_ID));
            MessageRef ref = new MessageRef(d.getString(Messages.BLOB_KEY), d.getString(Messages.SHA256), number(d, Messages.SIZE));
            ensureBlob(target, ref.sha256(), ref.size(), seenBlobs, counts);
            if (plan.into == null) {
                if (messages.find(eq("_id", d.get("_id"))).projection(Projections.include("_id")).first() != null) {
                    counts.skipped++;
                } else {
                    // counted before the insert, as MailStore does: a crash in between over-counts, never under-counts
                    store.blobRefs().increment(ref.blobKey());
                    try {
                        messages.insertOne(d);
                        counts.inserted++;
                        counts.messages++;
                    } catch (MongoWriteException e) {
                        store.blobRefs().decrement(ref.blobKey());
                        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                            throw e;
                        }
                        counts.skipped++;
                    }
                }
            } else {
                Date internal = d.getDate(Messages.INTERNAL_DATE);
                NewMessage m = new NewMessage(account.id, ref, internal == null ? clock.instant() : internal.toInstant(),
                        strings(d, Messages.FLAGS), strings(d, Messages.KEYWORDS), d.get(Messages.METADATA, Document.class),
                        "restore/" + snapshot.manifest().id() + "/" + d.get("_id"));
                Optional<StoredMessage> s = store.store(plan.into, m);
                if (s.isPresent() && s.get().created()) {
                    counts.inserted++;
                    counts.messages++;
                } else {
                    counts.skipped++;
                }
            }
            progress.advance(++n[0]);
        });
        for (Plan p : plans.values()) {
            if (p.into == null) {
                // never move the counters back: UIDs handed out since the backup stay used
                mailboxes.updateOne(eq("_id", new ObjectId(p.mailboxId)), Updates.combine(
                        Updates.max(Mailboxes.UID_NEXT, number(p.backedUp, Mailboxes.UID_NEXT)),
                        Updates.max(Mailboxes.HIGHEST_MODSEQ, number(p.backedUp, Mailboxes.HIGHEST_MODSEQ))));
            }
        }
    }

    private record Account(String id, String address) {
    }

    private static Account account(Snapshot snapshot, String given) {
        Account[] found = new Account[1];
        String lower = given.toLowerCase(Locale.ROOT);
        if (snapshot.manifest().collections().contains(ENTRIES)) {
            snapshot.documents(ENTRIES, d -> "ACCOUNT".equals(d.getString("kind")), d -> {
                String address = d.getString("address");
                String id = d.getString("accountId");
                if ((address != null && address.toLowerCase(Locale.ROOT).equals(lower)) || given.equals(id)) {
                    found[0] = new Account(id, address);
                }
            });
        }
        if (found[0] != null) {
            return found[0];
        }
        if (given.contains("@")) {
            throw new RestoreRefusedException("account", "backup " + snapshot.manifest().id() + " has no account " + given);
        }
        return new Account(given, null);
    }

    /** The account's directory entry and Keycloak user, if the platform lost them. */
    private void restoreAccountEntry(BackupTarget target, Snapshot snapshot, Account account, Counts counts) {
        if (account.address == null) {
            return;
        }
        Map<String, String> userIds = restoreRealm(target, snapshot, Set.of(account.address.toLowerCase(Locale.ROOT)), counts);
        List<Document> entries = new ArrayList<>();
        snapshot.documents(ENTRIES, d -> account.id.equals(d.getString("accountId")), entries::add);
        MongoCollection<Document> coll = db.getCollection(ENTRIES);
        List<Document> adjusted = new ArrayList<>();
        for (Document d : entries) {
            adjusted.add(adjust(ENTRIES, d, userIds));
        }
        write(coll, adjusted, counts);
    }

    // ------------------------------------------------------------------------------------------------ realm, blobs

    private Map<String, String> restoreRealm(BackupTarget target, Snapshot snapshot, Set<String> users, Counts counts) {
        String name = ArchiveNames.realmFile(snapshot.manifest().id());
        Optional<ContentFile> f = snapshot.manifest().files().stream().filter(x -> x.name().equals(name)).findFirst();
        if (f.isEmpty() || realm == null) {
            if (f.isEmpty()) {
                counts.warnings.add("backup " + snapshot.manifest().id() + " holds no Keycloak realm; identities were not restored");
            }
            return Map.of();
        }
        JsonNode tree;
        try (InputStream in = new GZIPInputStream(target.open(name))) {
            tree = JSON.readTree(in);
        } catch (IOException e) {
            throw new BackupFormatException("cannot read " + name + ": " + e.getMessage(), e);
        }
        RealmGateway.Restored r = realm.restore(tree, users);
        counts.users += r.usersCreated();
        counts.warnings.addAll(r.warnings());
        return r.userIds();
    }

    private void ensureBlob(BackupTarget target, String digest, long size, Set<String> seen, Counts counts) {
        if (!seen.add(digest)) {
            return;
        }
        if (blobs.exists(MessageRef.of(digest, Math.max(0, size)))) {
            return;
        }
        String name = ArchiveNames.blobFile(digest);
        MessageRef stored;
        try (InputStream in = new GZIPInputStream(target.open(name), 64 * 1024)) {
            stored = blobs.put(in);
        } catch (FileNotFoundException e) {
            throw new BackupFormatException("missing blob " + digest + " (" + name + ")");
        } catch (IOException e) {
            throw new BackupFormatException(name + " cannot be read: " + e.getMessage(), e);
        }
        if (!stored.sha256().equals(digest)) {
            // the object store keys by content, so the wrong bytes went under their own name, not this one
            throw new BackupFormatException("checksum mismatch in " + name + ": its content hashes to " + stored.sha256());
        }
        counts.blobs++;
    }

    private static long number(Document d, String field) {
        Object v = d.get(field);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Document d, String field) {
        Object v = d.get(field);
        return v instanceof List<?> l ? new ArrayList<>((List<String>) l) : new ArrayList<>();
    }

    private static final class Plan {
        final String mailboxId;
        final Document backedUp;
        final Mailbox into;

        private Plan(String mailboxId, Document backedUp, Mailbox into) {
            this.mailboxId = mailboxId;
            this.backedUp = backedUp;
            this.into = into;
        }

        static Plan whole(String id, Document backedUp) {
            return new Plan(id, backedUp, null);
        }

        static Plan into(Mailbox m) {
            return new Plan(m.id(), null, m);
        }
    }

    private static final class Counts {
        long inserted;
        long skipped;
        long messages;
        long blobs;
        long users;
        final List<String> restoredInto = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
    }
}
