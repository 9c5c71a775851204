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
 * One record per delivery key: whether the blob reference was already counted for it, and whether the message was
 * stored. It outlives the message (until its TTL), so an event redelivered after the user expunged the message does
 * not bring the message back.
 */
final class Deliveries {
    static final String AT = "at";
    static final String REF_COUNTED = "refCounted";
    static final String DONE = "done";

    private final MongoCollection<Document> collection;

    Deliveries(MongoDatabase db) {
        this.collection = db.getCollection(StoreSchema.DELIVERIES);
    }

    Document claim(String deliveryKey, String blobKey) {
        Document d = collection.find(eq("_id", deliveryKey)).first();
        if (d != null) {
            return d;
        }
        Document fresh = new Document("_id", deliveryKey).append("blobKey", blobKey).append(REF_COUNTED, false)
                .append(DONE, false).append(AT, new Date());
        try {
            collection.insertOne(fresh);
            return fresh;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return collection.find(eq("_id", deliveryKey)).first();
        }
    }

    void markRefCounted(String deliveryKey) {
        collection.updateOne(eq("_id", deliveryKey), Updates.set(REF_COUNTED, true));
    }

    void markDone(Collection<String> deliveryKeys) {
        if (!deliveryKeys.isEmpty()) {
            collection.updateMany(in("_id", deliveryKeys), Updates.set(DONE, true));
        }
    }
}
