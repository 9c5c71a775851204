package mail.directory.adapter.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
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
import mail.directory.api.ApiException;
import mail.directory.dkim.DkimKey;
import mail.directory.domain.DomainRecord;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Domains, one document per name: a primary domain, or an alias domain pointing at its primary. One _id space for
 * both means a name is never both, and never the alias of two domains.
 */
@ApplicationScoped
public class DomainStore {
    private static final String PRIMARY = "PRIMARY";
    private static final String ALIAS = "ALIAS";

    private final MongoCollection<Document> collection;

    public DomainStore(MongoDatabase db) {
        this.collection = db.getCollection(DirectorySchema.DOMAINS);
    }

    public void insert(DomainRecord d) {
        try {
            collection.insertOne(new Document("_id", d.name()).append("type", PRIMARY).append("unicodeName", d.unicodeName())
                    .append("aliasDomains", d.aliasDomains()).append("catchAll", d.catchAll())
                    .append("dkim", dkim(d.dkimKeys())).append("revision", d.revision()).append("deleted", false)
                    .append("dirty", true).append("createdAt", Date.from(d.createdAt())));
        } catch (RuntimeException e) {
            if (MongoErrors.duplicateKey(e)) {
                throw ApiException.exists("name", "domain " + d.name() + " already exists (as a domain or alias domain)");
            }
            throw e;
        }
    }

    public void insertAlias(String alias, String primary) {
        try {
            collection.insertOne(new Document("_id", alias).append("type", ALIAS).append("aliasOf", primary));
        } catch (RuntimeException e) {
            if (MongoErrors.duplicateKey(e)) {
                throw ApiException.exists("name", alias + " is already hosted (as a domain or alias domain)");
            }
            throw e;
        }
    }

    /** Removes a domain that was never published (its creation failed half-way). */
    public void discard(String name) {
        collection.deleteOne(and(eq("_id", name), eq("type", PRIMARY)));
    }

    public void deleteAlias(String alias) {
        collection.deleteOne(and(eq("_id", alias), eq("type", ALIAS)));
    }

    public Optional<DomainRecord> primary(String name) {
        Document d = collection.find(and(eq("_id", name), eq("type", PRIMARY))).first();
        return Optional.ofNullable(d).map(DomainStore::record);
    }

    /** The primary domain that hosts {@code name}: itself, or the domain it is an alias of. */
    public Optional<String> hostingPrimary(String name) {
        Document d = collection.find(eq("_id", name)).first();
        if (d == null || d.getBoolean("deleted", false)) {
            return Optional.empty();
        }
        return Optional.of(ALIAS.equals(d.getString("type")) ? d.getString("aliasOf") : name);
    }

    public List<DomainRecord> primaries() {
        return collection.find(and(eq("type", PRIMARY), eq("deleted", false))).sort(Sorts.ascending("_id"))
                .map(DomainStore::record).into(new ArrayList<>());
    }

    public List<String> dirty() {
        return collection.find(and(eq("type", PRIMARY), eq("dirty", true))).map(d -> d.getString("_id"))
                .into(new ArrayList<>());
    }

    public void setAliasDomains(String name, List<String> aliases, long revision) {
        update(name, revision, Updates.set("aliasDomains", aliases));
    }

    public void setCatchAll(String name, String catchAll, long revision) {
        update(name, revision, Updates.set("catchAll", catchAll));
    }

    public void setDkim(String name, List<DkimKey> keys, long revision) {
        update(name, revision, Updates.set("dkim", dkim(keys)));
    }

    public void markDeleted(String name, long revision) {
        update(name, revision, Updates.set("deleted", true));
    }

    /** Clears the dirty flag only if nothing was written since {@code revision} was read. */
    public void markPublished(String name, long revision) {
        collection.updateOne(and(eq("_id", name), eq("revision", revision)), Updates.set("dirty", false));
    }

    public void removeDeleted(String name, long revision) {
        collection.deleteOne(and(eq("_id", name), eq("revision", revision), eq("deleted", true)));
        collection.deleteMany(and(eq("type", ALIAS), eq("aliasOf", name)));
    }

    private void update(String name, long revision, Bson change) {
        // a change that drew a lower revision than what is stored lost a race; it must not overwrite the newer state
        collection.updateOne(and(eq("_id", name), eq("type", PRIMARY), lt("revision", revision)),
                Updates.combine(change, Updates.set("revision", revision), Updates.set("dirty", true)));
    }

    private static List<Document> dkim(List<DkimKey> keys) {
        List<Document> l = new ArrayList<>();
        for (DkimKey k : keys) {
            l.add(new Document("selector", k.selector()).append("algorithm", k.algorithm())
                    .append("publicKey", k.publicKey()).append("privateKey", k.encryptedPrivateKey())
                    .append("createdAt", Date.from(k.createdAt())));
        }
        return l;
    }

    private static DomainRecord record(Document d) {
        List<DkimKey> keys = new ArrayList<>();
        for (Document k : d.getList("dkim", Document.class, List.of())) {
            keys.add(new DkimKey(k.getString("selector"), k.getString("algorithm"), k.getString("publicKey"),
                    k.getString("privateKey"), k.getDate("createdAt").toInstant()));
        }
        Date created = d.getDate("createdAt");
        return new DomainRecord(d.getString("_id"), d.getString("unicodeName"), d.getList("aliasDomains", String.class, List.of()),
                d.getString("catchAll"), keys, ((Number) d.get("revision")).longValue(), d.getBoolean("deleted", false),
                created == null ? Instant.EPOCH : created.toInstant());
    }
}
