package mail.core.abuse;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.CollectionSpec.IndexSpec;
import org.bson.Document;

/**
 * Rate counters shared by every gateway instance, in MongoDB: one document per key and fixed window
 * ({@code <key>@<window seconds>@<window start>}), read as a sliding window by weighting the previous window's count
 * with the part of it that still overlaps the last {@code window} (the usual approximation: no burst of twice the
 * limit across a window boundary, two documents per key at most). Every change is to one document, and a charge that
 * must stay within a limit is one conditional increment, so instances racing for the last unit cannot both get it.
 * Documents carry {@code expireAt} for a TTL index; {@link #purge} deletes them where the server does not expire.
 */
public final class RateCounters {
    public static final String COLLECTION = "rate_counters";
    private static final int RETRIES = 10;

    private final MongoCollection<Document> col;

    public RateCounters(MongoDatabase db) {
        this.col = db.getCollection(COLLECTION);
    }

    public static CollectionSpec spec() {
        return CollectionSpec.of(COLLECTION, IndexSpec.ttl("expiry", Indexes.ascending("expireAt"), 0));
    }

    /** How much of {@code key} was used in the {@code window} up to {@code now}. */
    public long usage(String key, Duration window, Instant now) {
        Window w = Window.at(window, now);
        return previousShare(key, w) + count(w.id(key));
    }

    /**
     * Charges {@code amount} if the usage stays within {@code limit}; false, and nothing charged, when it would not.
     */
    public boolean tryCharge(String key, Duration window, long limit, long amount, Instant now) {
        Window w = Window.at(window, now);
        long room = limit - previousShare(key, w);
        if (amount > room) {
            return false;
        }
        String id = w.id(key);
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            // ReturnDocument.BEFORE: the local MongoDB-compatible server returns stale AFTER documents under concurrency
            Document before = col.findOneAndUpdate(Filters.and(Filters.eq("_id", id), Filters.lte("count", room - amount)),
                    Updates.inc("count", amount), new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
            if (before != null) {
                return true;
            }
            if (col.find(Filters.eq("_id", id)).first() != null) {
                return false;
            }
            if (insert(id, key, w, amount)) {
                return true;
            }
        }
        throw new IllegalStateException("rate counter " + id + " keeps changing under us");
    }

    /** Charges {@code amount} whatever the usage (for what was accepted after a check). */
    public void charge(String key, Duration window, long amount, Instant now) {
        Window w = Window.at(window, now);
        String id = w.id(key);
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            if (col.updateOne(Filters.eq("_id", id), Updates.inc("count", amount)).getMatchedCount() > 0) {
                return;
            }
            if (insert(id, key, w, amount)) {
                return;
            }
        }
        throw new IllegalStateException("rate counter " + id + " keeps changing under us");
    }

    /** Removes windows nobody reads any more (the TTL index does this on MongoDB proper). */
    public long purge(Instant now) {
        return col.deleteMany(Filters.lte("expireAt", Date.from(now))).getDeletedCount();
    }

    /** Forgets every window of a key (tests, and an administrator lifting a limit early). */
    public long forget(String key) {
        return col.deleteMany(Filters.eq("key", key)).getDeletedCount();
    }

    /** False when another instance created the document first: the caller counts into theirs. */
    private boolean insert(String id, String key, Window w, long amount) {
        // a plain insert, not an upsert: documents inserted by an upsert break the local server's indexes
        Document d = new Document("_id", id).append("key", key).append("count", amount)
                .append("windowStart", Date.from(w.start()))
                // the window is read as "previous" during the next one: keep it for two
                .append("expireAt", Date.from(w.start().plus(w.length().multipliedBy(2))));
        try {
            col.insertOne(d);
            return true;
        } catch (MongoWriteException e) {
            // the local MongoDB-compatible server reports a duplicate _id as a generic error: check for the document
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY && col.find(Filters.eq("_id", id)).first() == null) {
                throw e;
            }
            return false;
        }
    }

    private long previousShare(String key, Window w) {
        long previous = count(w.previousId(key));
        if (previous == 0) {
            return 0;
        }
        long len = w.length().toMillis();
        long elapsed = Duration.between(w.start(), w.now()).toMillis();
        // rounded up: a client at its limit is not let through by rounding
        return (previous * (len - elapsed) + len - 1) / len;
    }

    private long count(String id) {
        Document d = col.find(Filters.eq("_id", id)).first();
        return d == null ? 0 : ((Number) d.get("count")).longValue();
    }

    private record Window(Duration length, Instant start, Instant now) {
        static Window at(Duration length, Instant now) {
            if (length.toMillis() < 1000) {
                throw new IllegalArgumentException("rate window too short: " + length);
            }
            long len = length.toMillis();
            long start = Math.floorDiv(now.toEpochMilli(), len) * len;
            return new Window(length, Instant.ofEpochMilli(start), now);
        }

        String id(String key) {
            return key + "@" + length.toSeconds() + "@" + start.getEpochSecond();
        }

        String previousId(String key) {
            return key + "@" + length.toSeconds() + "@" + start.minus(length).getEpochSecond();
        }
    }
}
