package mail.pop3.maildrop;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.InstantSource;
import mail.core.mongo.CollectionSpec;
import org.bson.Document;

/**
 * RFC 1939 §8 exclusive-access lock on an account's maildrop, shared by every pop3-service instance: one document
 * per account with the owning session and a lease. The owner renews the lease while the session lives; a lock whose
 * lease ran out (its instance crashed) may be taken over. No transactions are needed: taking the lock is either
 * the insert of the document or an update conditional on the old lease having expired.
 */
public final class MaildropLock {
    public static final String COLLECTION = "pop3_locks";
    static final String OWNER = "owner";
    static final String UNTIL = "until";

    private final MongoCollection<Document> locks;
    private final Duration lease;
    private final InstantSource clock;

    public MaildropLock(MongoDatabase db, Duration lease, InstantSource clock) {
        this.locks = db.getCollection(COLLECTION);
        this.lease = lease;
        this.clock = clock;
    }

    public static CollectionSpec collection() {
        return CollectionSpec.of(COLLECTION);
    }

    public Duration lease() {
        return lease;
    }

    /** @return false if another live session holds the maildrop */
    public boolean acquire(String accountId, String owner) {
        long now = clock.millis();
        try {
            locks.insertOne(new Document("_id", accountId).append(OWNER, owner).append(UNTIL, now + lease.toMillis()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return locks.updateOne(and(eq("_id", accountId), or(lt(UNTIL, now), eq(OWNER, owner))),
                Updates.combine(Updates.set(OWNER, owner), Updates.set(UNTIL, now + lease.toMillis()))).getMatchedCount() == 1;
    }

    /** @return false if the lock was lost (the lease ran out and another session took it) */
    public boolean renew(String accountId, String owner) {
        return locks.updateOne(and(eq("_id", accountId), eq(OWNER, owner)),
                Updates.set(UNTIL, clock.millis() + lease.toMillis())).getMatchedCount() == 1;
    }

    public void release(String accountId, String owner) {
        locks.deleteOne(and(eq("_id", accountId), eq(OWNER, owner)));
    }
}
