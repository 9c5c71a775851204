package mail.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/**
 * The messages collection: one document per message per mailbox, with everything IMAP and POP3 need except the body.
 *
 * <p>Counts (messages, unseen, octets) are derived with indexed queries instead of being kept as counters in the
 * mailbox document. Without multi-document transactions a counter and the message it counts can never be written
 * atomically, so a kill -9 between the two writes would leave a counter wrong for good (or need a repair pass that
 * has to know which half happened). A count over the (mailbox, uid) / (mailbox, flags) / (account) indexes is
 * always right, costs one query when a client asks, and there is nothing to repair.
 */
public final class Messages {
    public static final String ACCOUNT_ID = "accountId";
    public static final String MAILBOX_ID = "mailboxId";
    public static final String UID = "uid";
    public static final String MODSEQ = "modSeq";
    /** System flags ({@code \Seen}, {@code \Answered}, …) as IMAP spells them. */
    public static final String FLAGS = "flags";
    public static final String KEYWORDS = "keywords";
    public static final String INTERNAL_DATE = "internalDate";
    public static final String SIZE = "size";
    /** The object-store key ({@code sha256/<hex>}) of the raw message. */
    public static final String BLOB_KEY = "blobKey";
    public static final String SHA256 = "sha256";
    /** The parsed-message document from mail-message. */
    public static final String METADATA = "metadata";
    public static final String DELIVERY_KEY = "deliveryKey";
    /** When the store wrote the message (ms precision), for delivery latency and diagnostics. */
    public static final String SAVED_AT = "savedAt";
    public static final String SEEN = "\\Seen";

    private final MongoCollection<Document> collection;

    public Messages(MongoDatabase db) {
        this.collection = db.getCollection(StoreSchema.MESSAGES);
    }

    MongoCollection<Document> collection() {
        return collection;
    }

    Document insert(String mailboxId, NewMessage m, long uid, long modSeq) {
        Document d = new Document("_id", new ObjectId())
                .append(ACCOUNT_ID, m.accountId())
                .append(MAILBOX_ID, mailboxId)
                .append(UID, uid)
                .append(MODSEQ, modSeq)
                .append(FLAGS, m.flags())
                .append(KEYWORDS, m.keywords())
                .append(INTERNAL_DATE, Date.from(m.internalDate()))
                .append(SIZE, m.blob().size())
                .append(BLOB_KEY, m.blob().blobKey())
                .append(SHA256, m.blob().sha256())
                .append(METADATA, m.metadata())
                .append(DELIVERY_KEY, m.deliveryKey())
                .append(SAVED_AT, new Date());
        collection.insertOne(d);
        return d;
    }

    public Optional<Document> byDeliveryKey(String deliveryKey) {
        return Optional.ofNullable(collection.find(eq(DELIVERY_KEY, deliveryKey)).first());
    }

    /** The mailbox's messages in UID order (metadata included); for tests, POP3 and small mailboxes. */
    public List<Document> list(String mailboxId) {
        return collection.find(eq(MAILBOX_ID, mailboxId)).sort(Sorts.ascending(UID)).into(new ArrayList<>());
    }

    public List<Document> byUids(String mailboxId, Collection<Long> uids) {
        return collection.find(and(eq(MAILBOX_ID, mailboxId), in(UID, uids))).sort(Sorts.ascending(UID)).into(new ArrayList<>());
    }

    public MailboxCounts counts(String mailboxId) {
        long messages = collection.countDocuments(eq(MAILBOX_ID, mailboxId));
        long unseen = collection.countDocuments(and(eq(MAILBOX_ID, mailboxId), ne(FLAGS, SEEN)));
        return new MailboxCounts(messages, unseen, sumSize(eq(MAILBOX_ID, mailboxId)));
    }

    /** Octets stored for the account over all its mailboxes, for quota. */
    public long accountUsage(String accountId) {
        return sumSize(eq(ACCOUNT_ID, accountId));
    }

    /** Messages stored for the account over all its mailboxes, for a message-count quota. */
    public long accountMessages(String accountId) {
        return collection.countDocuments(eq(ACCOUNT_ID, accountId));
    }

    /** Messages with a UID above {@code uid} (STATUS RECENT: those above the \Recent mark). */
    public long countAbove(String mailboxId, long uid) {
        return collection.countDocuments(and(eq(MAILBOX_ID, mailboxId), com.mongodb.client.model.Filters.gt(UID, uid)));
    }

    /** The lowest-UID message without the seen flag (UID only), or null. */
    public Document firstUnseen(String mailboxId) {
        return collection.find(and(eq(MAILBOX_ID, mailboxId), ne(FLAGS, SEEN))).projection(new Document(UID, 1))
                .sort(Sorts.ascending(UID)).first();
    }

    /** UIDs of the mailbox's messages carrying a system flag, ascending (EXPUNGE, STATUS DELETED). */
    public List<Long> uidsWithFlag(String mailboxId, String flag) {
        List<Long> out = new ArrayList<>();
        collection.find(and(eq(MAILBOX_ID, mailboxId), eq(FLAGS, flag))).projection(new Document(UID, 1))
                .sort(Sorts.ascending(UID)).forEach(d -> out.add(Mailbox.number(d, UID)));
        return out;
    }

    /**
     * The messages of the given UIDs in UID order, projected (FETCH asks only for what its items need), optionally
     * only those changed after {@code changedSince} (CONDSTORE CHANGEDSINCE; negative for all).
     */
    public List<Document> project(String mailboxId, Collection<Long> uids, long changedSince, Bson projection) {
        Bson filter = and(eq(MAILBOX_ID, mailboxId), in(UID, uids));
        if (changedSince >= 0) {
            filter = and(filter, com.mongodb.client.model.Filters.gt(MODSEQ, changedSince));
        }
        return collection.find(filter).projection(projection).sort(Sorts.ascending(UID)).into(new ArrayList<>());
    }

    long delete(String mailboxId, Collection<Long> uids) {
        return collection.deleteMany(and(eq(MAILBOX_ID, mailboxId), in(UID, uids))).getDeletedCount();
    }

    private long sumSize(Bson filter) {
        Document d = collection.aggregate(List.of(Aggregates.match(filter),
                Aggregates.group(null, Accumulators.sum("total", "$" + SIZE)))).first();
        return d == null ? 0 : Mailbox.number(d, "total");
    }
}
