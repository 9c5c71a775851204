package mail.directory.adapter.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Mail data of deleted accounts waiting to be removed, keyed by account id (a repeated delete is one request).
 * {@code MailPurger} processes PENDING records with the mailbox store's rules and marks them DONE.
 */
@ApplicationScoped
public class PurgeQueue {
    public static final String PENDING = "PENDING";
    public static final String DONE = "DONE";

    private final MongoCollection<Document> collection;

    public PurgeQueue(MongoDatabase db) {
        this.collection = db.getCollection(DirectorySchema.PURGES);
    }

    public void request(String accountId, String address, Instant now) {
        collection.replaceOne(new Document("_id", accountId),
                new Document("_id", accountId).append("address", address).append("state", PENDING)
                        .append("requestedAt", Date.from(now)), new ReplaceOptions().upsert(true));
    }

    public record Request(String accountId, String address) {
    }

    public List<Request> pending(int limit) {
        return collection.find(Filters.eq("state", PENDING)).sort(Sorts.ascending("requestedAt")).limit(limit)
                .map(d -> new Request(d.getString("_id"), d.getString("address"))).into(new ArrayList<>());
    }

    public void markDone(String accountId, long messages, long mailboxes, Instant now) {
        collection.updateOne(Filters.and(Filters.eq("_id", accountId), Filters.eq("state", PENDING)),
                Updates.combine(Updates.set("state", DONE), Updates.set("doneAt", Date.from(now)),
                        Updates.set("messagesRemoved", messages), Updates.set("mailboxesRemoved", mailboxes)));
    }
}
