package mail.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.CollectionSpec.IndexSpec;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * An account's subscription list (IMAP SUBSCRIBE/LSUB, LIST (SUBSCRIBED)): names, not mailboxes. RFC 3501 §6.3.6
 * says a server MUST NOT (RFC 9051 §6.3.7: SHOULD NOT) unilaterally remove a name from the list when the mailbox is
 * gone, and a client may subscribe a name that does not exist, so the list lives apart from the mailboxes
 * collection and nothing done to a mailbox (DELETE, RENAME) touches it.
 *
 * <p>Mailboxes written before this collection existed carry a {@code subscribed} flag; {@link #names} moves an
 * account's flags here the first time it reads the account's list (see {@link #migrate}).
 */
public final class Subscriptions {
    public static final String COLLECTION = "subscriptions";
    static final String ACCOUNT_ID = "accountId";
    static final String NAME = "name";

    private final MongoCollection<Document> collection;
    private final MongoCollection<Document> mailboxes;

    public Subscriptions(MongoDatabase db) {
        this.collection = db.getCollection(COLLECTION);
        this.mailboxes = db.getCollection(StoreSchema.MAILBOXES);
    }

    /** For the SchemaContributor of every service that reads or writes subscriptions. */
    public static CollectionSpec schema() {
        return CollectionSpec.of(COLLECTION, IndexSpec.unique("account_name", Indexes.ascending(ACCOUNT_ID, NAME)));
    }

    /** Adds the name (a UTF-8 mailbox name, existing or not); subscribing twice is not an error (RFC 9051 §6.3.7). */
    public void subscribe(String accountId, String name) {
        migrate(accountId);
        insert(accountId, name);
    }

    /** Adds every name, as {@link #subscribe} does one by one. */
    public void subscribeAll(String accountId, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        migrate(accountId);
        names.forEach(name -> insert(accountId, name));
    }

    /** Removes the name; removing a name that is not subscribed is not an error (RFC 9051 §6.3.8). */
    public void unsubscribe(String accountId, String name) {
        migrate(accountId);
        collection.deleteMany(and(eq(ACCOUNT_ID, accountId), eq(NAME, name)));
    }

    /** The account's subscribed names, sorted and without duplicates. */
    public List<String> names(String accountId) {
        migrate(accountId);
        TreeSet<String> out = new TreeSet<>();
        collection.find(eq(ACCOUNT_ID, accountId)).projection(Projections.include(NAME))
                .forEach(d -> out.add(d.getString(NAME)));
        return new ArrayList<>(out);
    }

    /**
     * Moves the legacy {@code subscribed} flags of the account's mailboxes into this collection and removes them.
     * Repeatable after a crash at any point: the inserts ignore duplicates, and a flag is removed only after its
     * name was written. One query per call once an account is migrated (the flag no longer exists), served by the
     * mailboxes' (account, name) index prefix. An UNSUBSCRIBE racing the very first migration of the account on
     * another instance could see its name re-added once; that window exists only during the one-time migration.
     */
    void migrate(String accountId) {
        List<Document> flagged = mailboxes.find(and(eq(Mailboxes.ACCOUNT_ID, accountId), exists(Mailboxes.SUBSCRIBED)))
                .projection(Projections.include(Mailboxes.NAME, Mailboxes.SUBSCRIBED)).into(new ArrayList<>());
        for (Document d : flagged) {
            if (d.getBoolean(Mailboxes.SUBSCRIBED, false)) {
                insert(accountId, d.getString(Mailboxes.NAME));
            }
            mailboxes.updateOne(eq("_id", d.getObjectId("_id")), Updates.unset(Mailboxes.SUBSCRIBED));
        }
    }

    private void insert(String accountId, String name) {
        // looked up first: a service that never ensured the unique index must not write duplicates that would stop
        // the index from being created later
        if (collection.find(and(eq(ACCOUNT_ID, accountId), eq(NAME, name))).first() != null) {
            return;
        }
        try {
            collection.insertOne(new Document("_id", new ObjectId()).append(ACCOUNT_ID, accountId).append(NAME, name));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }
}
