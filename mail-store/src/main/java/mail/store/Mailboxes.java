package mail.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mail.core.mailbox.MailboxName;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The mailboxes collection. Creation is insert-and-ignore-duplicate on the unique (account, name) index, so any
 * number of workers may create an account's mailboxes at the same moment and exactly one of each survives.
 */
public final class Mailboxes {
    public static final String ACCOUNT_ID = "accountId";
    public static final String NAME = "name";
    public static final String SPECIAL_USE = "specialUse";
    public static final String UID_VALIDITY = "uidValidity";
    public static final String UID_NEXT = "uidNext";
    public static final String HIGHEST_MODSEQ = "highestModSeq";
    /** The subscription flag of mailboxes written before {@link Subscriptions}; only its migration reads it. */
    public static final String SUBSCRIBED = "subscribed";
    /**
     * The highest UID some IMAP4rev1 session has been told of as \Recent (RFC 3501 §2.3.2); absent means 0. Only
     * {@link #claimRecent} moves it, and only upwards.
     */
    public static final String RECENT_UID = "recentUid";
    /** Allocation lease, see {@link UidAllocator}. */
    static final String LOCK_OWNER = "lockOwner";
    static final String LOCK_UNTIL = "lockUntil";

    private final MongoCollection<Document> collection;
    private final Subscriptions subscriptions;

    public Mailboxes(MongoDatabase db) {
        this.collection = db.getCollection(StoreSchema.MAILBOXES);
        this.subscriptions = new Subscriptions(db);
    }

    MongoCollection<Document> collection() {
        return collection;
    }

    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /**
     * INBOX and the RFC 6154 folders; returns the ones this call created (empty when they all existed). The ones it
     * creates are subscribed: the account's starting subscription list, which clients that show only subscribed
     * folders rely on. Only the caller that created a mailbox subscribes it, so a name the user unsubscribed is not
     * subscribed again by a later call.
     */
    public List<Mailbox> ensureDefaults(String accountId) {
        List<Mailbox> created = new ArrayList<>();
        for (SpecialUse use : SpecialUse.values()) {
            create(accountId, MailboxName.fromUtf8(use.defaultName()), use).ifPresent(created::add);
        }
        // together: each subscribe first checks the account for legacy flags, a scan of all mailboxes on the local
        // MongoDB-compatible server, once per call rather than once per mailbox
        subscriptions.subscribeAll(accountId, created.stream().map(Mailbox::name).toList());
        return created;
    }

    /**
     * Creates the mailbox unless one of that name exists; empty if it existed. It is not subscribed: the
     * subscription list is the client's ({@link Subscriptions}).
     */
    public Optional<Mailbox> create(String accountId, MailboxName name, SpecialUse specialUse) {
        Document d = new Document("_id", new ObjectId())
                .append(ACCOUNT_ID, accountId)
                .append(NAME, name.name())
                .append(SPECIAL_USE, specialUse == null ? null : specialUse.name())
                .append(UID_VALIDITY, newUidValidity())
                .append(UID_NEXT, 1L)
                .append(HIGHEST_MODSEQ, 1L)
                .append(LOCK_UNTIL, 0L);
        try {
            collection.insertOne(d);
            return Optional.of(Mailbox.from(d));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<Mailbox> find(String accountId, String name) {
        return Optional.ofNullable(collection.find(and(eq(ACCOUNT_ID, accountId), eq(NAME, name))).first()).map(Mailbox::from);
    }

    public Optional<Mailbox> byId(String mailboxId) {
        return Optional.ofNullable(collection.find(eq("_id", new ObjectId(mailboxId))).first()).map(Mailbox::from);
    }

    public List<Mailbox> list(String accountId) {
        return collection.find(eq(ACCOUNT_ID, accountId)).map(Mailbox::from).into(new ArrayList<>());
    }

    /**
     * Takes the UIDs up to {@code upToUid} that no session has claimed as \Recent yet and returns the mark before
     * the claim: the caller's recent messages are those in {@code (returned, upToUid]}, none if the returned value is
     * not below {@code upToUid}. One {@code $max} update, read with ReturnDocument.BEFORE (AFTER is racy on the local
     * MongoDB-compatible server), so two sessions claiming at once never both get a UID. A mailbox that is gone
     * claims nothing.
     */
    public long claimRecent(String mailboxId, long upToUid) {
        Document before = collection.findOneAndUpdate(eq("_id", new ObjectId(mailboxId)), Updates.max(RECENT_UID, upToUid),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE).projection(new Document(RECENT_UID, 1)));
        return before == null ? upToUid : Mailbox.number(before, RECENT_UID);
    }

    /** The \Recent mark of {@link #claimRecent}: messages above it are recent to the next session that claims them. */
    public long recentMark(String mailboxId) {
        Document d = collection.find(eq("_id", new ObjectId(mailboxId))).projection(new Document(RECENT_UID, 1)).first();
        return d == null ? 0 : Mailbox.number(d, RECENT_UID);
    }

    // Seconds since the epoch, as most IMAP servers do: a mailbox re-created under the same name gets a new value.
    // RFC 9051 requires non-zero and 32 bits; the clock wraps in 2106.
    private static long newUidValidity() {
        long v = (System.currentTimeMillis() / 1000) & 0xFFFF_FFFFL;
        return v == 0 ? 1 : v;
    }
}
