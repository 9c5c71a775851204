package mail.store;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * How many stored messages point at each blob. Callers increment before the message insert and decrement after the
 * delete, so a crash in between can only leave a count too high (a blob kept too long), never too low (a blob a
 * garbage collector would delete while a message still needs it).
 */
public final class BlobRefs {
    public static final String REFS = "refs";

    private final MongoCollection<Document> collection;

    public BlobRefs(MongoDatabase db) {
        this.collection = db.getCollection(StoreSchema.BLOB_REFS);
    }

    public void increment(String blobKey) {
        add(blobKey, 1);
    }

    public void decrement(String blobKey) {
        add(blobKey, -1);
    }

    public long count(String blobKey) {
        Document d = collection.find(eq("_id", blobKey)).first();
        return d == null ? 0 : Mailbox.number(d, REFS);
    }

    private void add(String blobKey, long delta) {
        UpdateOptions upsert = new UpdateOptions().upsert(true);
        try {
            collection.updateOne(eq("_id", blobKey), Updates.inc(REFS, delta), upsert);
        } catch (MongoWriteException e) {
            // two first references racing: both upserts try to insert, one loses; now the document exists
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            collection.updateOne(eq("_id", blobKey), Updates.inc(REFS, delta), upsert);
        }
    }
}
