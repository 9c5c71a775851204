package mail.directory.adapter.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.directory.api.ApiException;
import mail.directory.entry.Entry;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Accounts, aliases and groups, keyed by canonical address: one _id space makes an address only one of them. */
@ApplicationScoped
public class EntryStore {
    private final MongoCollection<Document> collection;

    public EntryStore(MongoDatabase db) {
        this.collection = db.getCollection(DirectorySchema.ENTRIES);
    }

    public void insert(Entry e) {
        Document d = new Document("_id", e.id()).append("kind", e.kind().name()).append("address", e.address())
                .append("domain", e.domain()).append("revision", e.revision()).append("deleted", false).append("dirty", true)
                .append("createdAt", Date.from(e.createdAt()));
        if (e.kind() == EntityKind.ACCOUNT) {
            d.append("accountId", e.accountId()).append("keycloakId", e.keycloakId()).append("displayName", e.displayName())
                    .append("quotaBytes", e.quotaBytes()).append("quotaMessages", e.quotaMessages())
                    .append("enabled", e.enabled()).append("credentialsVersion", e.credentialsVersion())
                    .append("saveSentCopy", e.saveSentCopy());
        } else {
            d.append("targets", e.targets());
        }
        try {
            collection.insertOne(d);
        } catch (RuntimeException ex) {
            if (MongoErrors.duplicateKey(ex)) {
                Optional<Entry> existing = find(e.id());
                String what = existing.map(x -> x.deleted() ? "is being deleted" : "is already " + article(x.kind()))
                        .orElse("is already in use");
                throw ApiException.exists("address", e.address() + " " + what);
            }
            throw ex;
        }
    }

    private static String article(EntityKind kind) {
        return (kind == EntityKind.ALIAS || kind == EntityKind.ACCOUNT ? "an " : "a ") + kind.name().toLowerCase();
    }

    public Optional<Entry> find(String id) {
        return Optional.ofNullable(collection.find(eq("_id", id)).first()).map(EntryStore::entry);
    }

    /** Keyset paging in address order: the next page starts after the last address of this one. */
    public List<Entry> list(EntityKind kind, String domain, String after, int limit) {
        List<Bson> filters = new ArrayList<>(List.of(eq("kind", kind.name()), eq("deleted", false)));
        if (domain != null) {
            filters.add(eq("domain", domain));
        }
        if (after != null) {
            filters.add(gt("_id", after));
        }
        return collection.find(and(filters)).sort(Sorts.ascending("_id")).limit(limit).map(EntryStore::entry)
                .into(new ArrayList<>());
    }

    public List<Entry> accounts() {
        return collection.find(eq("kind", EntityKind.ACCOUNT.name())).map(EntryStore::entry).into(new ArrayList<>());
    }

    public List<Entry> inDomain(String domain) {
        return collection.find(and(eq("domain", domain), eq("deleted", false))).map(EntryStore::entry)
                .into(new ArrayList<>());
    }

    public long countInDomain(String domain) {
        return collection.countDocuments(and(eq("domain", domain), eq("deleted", false)));
    }

    public List<String> dirty() {
        return collection.find(eq("dirty", true)).map(d -> d.getString("_id")).into(new ArrayList<>());
    }

    /** Applies {@code change} unless a newer revision is stored already (a concurrent change won the race). */
    public boolean update(String id, long revision, Bson change) {
        return collection.updateOne(and(eq("_id", id), lt("revision", revision), eq("deleted", false)),
                Updates.combine(change, Updates.set("revision", revision), Updates.set("dirty", true)))
                .getMatchedCount() == 1;
    }

    public void markDeleted(String id, long revision) {
        collection.updateOne(and(eq("_id", id), lt("revision", revision)),
                Updates.combine(Updates.set("deleted", true), Updates.set("revision", revision), Updates.set("dirty", true)));
    }

    /** Undoes a delete mark whose Keycloak half failed; the entry is published again at a new revision. */
    public void unmarkDeleted(String id, long revision) {
        collection.updateOne(and(eq("_id", id), lt("revision", revision)),
                Updates.combine(Updates.set("deleted", false), Updates.set("revision", revision), Updates.set("dirty", true)));
    }

    public void delete(String id) {
        collection.deleteOne(eq("_id", id));
    }

    public void markPublished(String id, long revision) {
        collection.updateOne(and(eq("_id", id), eq("revision", revision)), Updates.set("dirty", false));
    }

    public void removeDeleted(String id, long revision) {
        collection.deleteOne(and(eq("_id", id), eq("revision", revision), eq("deleted", true)));
    }

    private static Entry entry(Document d) {
        Number quotaMessages = (Number) d.get("quotaMessages");
        Number quotaBytes = (Number) d.get("quotaBytes");
        Number credentials = (Number) d.get("credentialsVersion");
        Date created = d.getDate("createdAt");
        return new Entry(d.getString("_id"), EntityKind.valueOf(d.getString("kind")), d.getString("address"),
                d.getString("domain"), ((Number) d.get("revision")).longValue(), d.getBoolean("deleted", false),
                d.getString("accountId"), d.getString("keycloakId"), d.getString("displayName"),
                quotaBytes == null ? 0 : quotaBytes.longValue(), quotaMessages == null ? null : quotaMessages.longValue(),
                d.getBoolean("enabled", true), credentials == null ? 0 : credentials.longValue(),
                d.getList("targets", String.class, List.of()), created == null ? Instant.EPOCH : created.toInstant(),
                d.getBoolean("saveSentCopy", false));
    }
}
