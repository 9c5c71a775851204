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
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Allocates UIDs and MODSEQs and makes the new message visible in UID order.
 *
 * <p>A unique counter alone is not enough for IMAP: if writer A takes UID 4 and writer B takes UID 5 but B's insert
 * lands first, a client may see 5, remember UIDNEXT 6, and never look at 4. So the allocation and the insert happen
 * under a short per-mailbox lease. Without multi-document transactions this is the cheapest way to have "visible in
 * ascending order". The counters are read with ReturnDocument.BEFORE: the local MongoDB-compatible server returns
 * duplicates for concurrent AFTER reads, BEFORE is race-free there.
 *
 * <p>The lease is a document of its own in {@link StoreSchema#MAILBOX_LEASES} ({@code _id} = mailbox id): taking it
 * is an insert that the unique {@code _id} refuses while someone holds it. A lease field inside the mailbox document,
 * taken with a condition on its expiry, cost a scan of every mailbox twice per message on the local
 * MongoDB-compatible server, which uses an index only when the filter names exactly the indexed fields (measured in
 * docs/benchmarks.md); the release's {@code {_id, owner}} filter scans there too, but only the few leases held.
 *
 * <p>A writer that dies holding the lease blocks the mailbox only until the lease expires (the next writer replaces
 * the expired document, compare-and-delete on its owner); it may leave a UID gap, which IMAP allows. A writer that
 * stalls beyond its lease (a very long GC pause) could still insert out of order; the unique (mailbox, uid) index
 * keeps even that from ever producing two messages with one UID.
 */
public final class UidAllocator {
    static final String OWNER = "owner";
    static final String UNTIL = "until";
    private static final int STRIPES = 256;

    private final MongoCollection<Document> mailboxes;
    private final MongoCollection<Document> leases;
    private final Duration lease;
    private final Duration maxWait;
    // Writers of one process queue here for a mailbox instead of polling the lease in MongoDB against each other;
    // the lease still decides between processes.
    private final ReentrantLock[] local = new ReentrantLock[STRIPES];

    public UidAllocator(MongoDatabase db, Duration lease, Duration maxWait) {
        this.mailboxes = db.getCollection(StoreSchema.MAILBOXES);
        this.leases = db.getCollection(StoreSchema.MAILBOX_LEASES);
        this.lease = lease;
        this.maxWait = maxWait;
        for (int i = 0; i < STRIPES; i++) {
            local[i] = new ReentrantLock(true);
        }
    }

    /** UID and MODSEQ for one new message. */
    public record Allocation(long uid, long modSeq) {
    }

    /**
     * Runs {@code insert} with a freshly allocated UID while holding the mailbox's lease.
     *
     * @throws StoreUnavailableException when the lease could not be had within the wait, or the mailbox is gone
     */
    public <T> T withNewUid(String mailboxId, Function<Allocation, T> insert) {
        ReentrantLock lock = local[Math.floorMod(mailboxId.hashCode(), STRIPES)];
        try {
            if (!lock.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreUnavailableException("mailbox " + mailboxId + " stayed locked for " + maxWait.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for a mailbox lease");
        }
        try {
            return underLease(mailboxId, insert);
        } finally {
            lock.unlock();
        }
    }

    private <T> T underLease(String mailboxId, Function<Allocation, T> insert) {
        String token = acquire(mailboxId);
        try {
            Document before = mailboxes.findOneAndUpdate(eq("_id", new ObjectId(mailboxId)),
                    Updates.combine(Updates.inc(Mailboxes.UID_NEXT, 1L), Updates.inc(Mailboxes.HIGHEST_MODSEQ, 1L)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
            if (before == null) {
                throw new StoreUnavailableException("mailbox " + mailboxId + " does not exist");
            }
            return insert.apply(new Allocation(Mailbox.number(before, Mailboxes.UID_NEXT),
                    Mailbox.number(before, Mailboxes.HIGHEST_MODSEQ) + 1));
        } finally {
            leases.deleteOne(and(eq("_id", mailboxId), eq(OWNER, token)));
        }
    }

    private String acquire(String mailboxId) {
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pause = 1;
        while (true) {
            long now = System.currentTimeMillis();
            try {
                leases.insertOne(new Document("_id", mailboxId).append(OWNER, token).append(UNTIL, now + lease.toMillis()));
                return token;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            Document held = leases.find(eq("_id", mailboxId)).first();
            if (held == null) {
                continue;
            }
            if (Mailbox.number(held, UNTIL) < now) {
                // expired: remove exactly that holder's document; a competitor that replaced it first wins instead
                leases.deleteOne(and(eq("_id", mailboxId), eq(OWNER, held.getString(OWNER))));
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new StoreUnavailableException("mailbox " + mailboxId + " stayed locked for " + maxWait.toMillis() + " ms");
            }
            sleep(pause + ThreadLocalRandom.current().nextLong(pause + 1));
            pause = Math.min(pause * 2, 10);
        }
    }

    /** A MODSEQ for a change that adds no message (flags, expunge); needs no ordering lease. */
    public long nextModSeq(String mailboxId) {
        Document before = mailboxes.findOneAndUpdate(eq("_id", new ObjectId(mailboxId)), Updates.inc(Mailboxes.HIGHEST_MODSEQ, 1L),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        if (before == null) {
            throw new StoreUnavailableException("mailbox " + mailboxId + " does not exist");
        }
        return Mailbox.number(before, Mailboxes.HIGHEST_MODSEQ) + 1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for a mailbox lease");
        }
    }
}
