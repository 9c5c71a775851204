package mail.store;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import java.util.Collection;
import java.util.Date;
import org.bson.Document;

/**
 * One record per delivery key: whether the message was stored (and expunged since). It outlives the message (until its TTL), so an event redelivered after the user expunged the message does
 * not bring the message back.
 */
final class Deliveries {
    static final String AT = "at";
    /** Written by earlier versions once the blob reference was counted; read so their records stay valid. */
    static final String REF_COUNTED = "refCounted";
    static final String DONE = "done";
    private static final String FRESH = "fresh";

    private final MongoCollection<Document> collection;

    Deliveries(MongoDatabase db) {
        this.collection = db.getCollection(StoreSchema.DELIVERIES);
    }

    /** The record of the key: a fresh one (see {@link #isFresh}) or the one an earlier attempt left. */
    Document claim(String deliveryKey, String blobKey) {
        Document fresh = new Document("_id", deliveryKey).append("blobKey", blobKey).append(DONE, false).append(AT, new Date());
        try {
            // insert first: almost every delivery is a first one, so this is one round trip
            collection.insertOne(fresh);
            fresh.put(FRESH, true);
            return fresh;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return collection.find(eq("_id", deliveryKey)).first();
        }
    }

    static boolean isFresh(Document claim) {
        return claim.getBoolean(FRESH, false);
    }

    void markDone(Collection<String> deliveryKeys) {
        if (!deliveryKeys.isEmpty()) {
            collection.updateMany(in("_id", deliveryKeys), Updates.set(DONE, true));
        }
    }
}
