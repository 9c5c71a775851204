package mail.directory.adapter.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ReplaceOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * Mail data of deleted accounts waiting to be removed. The directory only records the request (keyed by account id,
 * so a repeated delete is one request); removing mailboxes, messages and blob references belongs to the mailbox
 * store, which processes PENDING records.
 */
@ApplicationScoped
public class PurgeQueue {
    private final MongoCollection<Document> collection;

    public PurgeQueue(MongoDatabase db) {
        this.collection = db.getCollection(DirectorySchema.PURGES);
    }

    public void request(String accountId, String address, Instant now) {
        collection.replaceOne(new Document("_id", accountId),
                new Document("_id", accountId).append("address", address).append("state", "PENDING")
                        .append("requestedAt", Date.from(now)), new ReplaceOptions().upsert(true));
    }
}
