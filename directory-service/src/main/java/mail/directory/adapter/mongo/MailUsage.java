package mail.directory.adapter.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import org.bson.Document;

/**
 * Quota usage read from the mailbox store's {@code messages} collection (mail-store's Messages: accountId, size).
 * Before anything was ever delivered the collection does not exist, and usage is zero.
 */
@ApplicationScoped
public class MailUsage {
    static final String MESSAGES = "messages";
    static final String ACCOUNT_ID = "accountId";
    static final String SIZE = "size";

    private final MongoDatabase db;

    public MailUsage(MongoDatabase db) {
        this.db = db;
    }

    public record Usage(long bytes, long messages) {
    }

    public Usage of(String accountId) {
        if (!db.listCollectionNames().into(new HashSet<>()).contains(MESSAGES)) {
            return new Usage(0, 0);
        }
        Document d = db.getCollection(MESSAGES).aggregate(List.of(Aggregates.match(eq(ACCOUNT_ID, accountId)),
                Aggregates.group(null, Accumulators.sum("bytes", "$" + SIZE), Accumulators.sum("count", 1)))).first();
        if (d == null) {
            return new Usage(0, 0);
        }
        return new Usage(((Number) d.get("bytes")).longValue(), ((Number) d.get("count")).longValue());
    }
}
