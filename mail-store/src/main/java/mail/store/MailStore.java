package mail.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * The mailbox rules shared by delivery, IMAP and POP3: one implementation of storing, numbering and removing
 * messages. Every write is idempotent or safe to repeat after a crash at any point, because there are no
 * multi-document transactions to lean on.
 */
public final class MailStore {
    private final Mailboxes mailboxes;
    private final Messages messages;
    private final BlobRefs blobRefs;
    private final Deliveries deliveries;
    private final UidAllocator allocator;

    public MailStore(MongoDatabase db, Duration lockLease, Duration lockWait) {
        this.mailboxes = new Mailboxes(db);
        this.messages = new Messages(db);
        this.blobRefs = new BlobRefs(db);
        this.deliveries = new Deliveries(db);
        this.allocator = new UidAllocator(db, lockLease, lockWait);
    }

    public MailStore(MongoDatabase db) {
        this(db, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public Mailboxes mailboxes() {
        return mailboxes;
    }

    public Messages messages() {
        return messages;
    }

    public BlobRefs blobRefs() {
        return blobRefs;
    }

    public UidAllocator allocator() {
        return allocator;
    }

    /**
     * Stores the message once per delivery key. The steps, each safe to repeat after a crash at any point:
     * <ol>
     *   <li>the delivery record of the key is created; if it existed (a redelivery, or a retry after a crash) and a
     *       message with the key exists, that one is returned; if the record says the message was stored and has
     *       been expunged since ({@link #expunge} marks it), nothing is stored again (empty result);</li>
     *   <li>the blob reference is counted before the insert, once per key: a claim that finds neither the message
     *       nor a "done" mark counts again, so a crash between the claim and the insert (or two copies racing on
     *       one key) over-counts by one, never under-counts. No separate "counted" mark is written: it cost a round
     *       trip on every delivery to save one extra count after a rare crash;</li>
     *   <li>UID and MODSEQ are allocated and the message inserted under the mailbox lease; two copies racing on the
     *       same key both allocate, the unique key index lets one insert win and the other's UID stays unused.</li>
     * </ol>
     */
    public Optional<StoredMessage> store(Mailbox mailbox, NewMessage message) {
        String key = message.deliveryKey();
        Document record = deliveries.claim(key, message.blob().blobKey());
        if (!Deliveries.isFresh(record)) {
            Optional<Document> existing = messages.byDeliveryKey(key);
            if (existing.isPresent()) {
                return Optional.of(stored(existing.get(), false));
            }
            if (record.getBoolean(Deliveries.DONE, false)) {
                return Optional.empty();
            }
        }
        // records written before the mark was dropped may still say the count was taken
        if (!record.getBoolean(Deliveries.REF_COUNTED, false)) {
            blobRefs.increment(message.blob().blobKey());
        }
        return Optional.of(allocator.withNewUid(mailbox.id(), a -> {
            try {
                return stored(messages.insert(mailbox.id(), message, a.uid(), a.modSeq()), true);
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                Document winner = messages.byDeliveryKey(key).orElseThrow(() ->
                        new StoreUnavailableException("UID " + a.uid() + " of mailbox " + mailbox.id() + " is taken: " + e.getMessage()));
                return stored(winner, false);
            }
        }));
    }

    /** Removes the messages and releases their blob references (after the delete: a crash leaks, never loses). */
    public Expunged expunge(Mailbox mailbox, Collection<Long> uids) {
        List<Document> docs = messages.byUids(mailbox.id(), uids);
        if (docs.isEmpty()) {
            return new Expunged(List.of(), 0);
        }
        long modSeq = allocator.nextModSeq(mailbox.id());
        List<Long> removed = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Document d : docs) {
            removed.add(Mailbox.number(d, Messages.UID));
            keys.add(d.getString(Messages.DELIVERY_KEY));
        }
        deliveries.markDone(keys);
        messages.delete(mailbox.id(), removed);
        for (Document d : docs) {
            blobRefs.decrement(d.getString(Messages.BLOB_KEY));
        }
        return new Expunged(removed, modSeq);
    }

    public record Expunged(List<Long> uids, long highestModSeq) {
    }

    private static StoredMessage stored(Document d, boolean created) {
        return new StoredMessage(d.getObjectId("_id").toHexString(), d.getString(Messages.MAILBOX_ID),
                Mailbox.number(d, Messages.UID), Mailbox.number(d, Messages.MODSEQ), created);
    }
}
