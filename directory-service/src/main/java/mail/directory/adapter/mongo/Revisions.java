package mail.directory.adapter.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

/**
 * The revision counter of every directory.changes key. It outlives the entity: a deleted and re-created address
 * continues above its old revisions, so no cache can mistake the new entity's first event for a stale replay.
 */
@ApplicationScoped
public class Revisions {
    private final MongoCollection<Document> collection;

    public Revisions(MongoDatabase db) {
        this.collection = db.getCollection(DirectorySchema.REVISIONS);
    }

    public long next(String compactionKey) {
        Document d = collection.findOneAndUpdate(eq("_id", compactionKey), Updates.inc("revision", 1L),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return ((Number) d.get("revision")).longValue();
    }
}
