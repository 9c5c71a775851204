package mail.delivery.adapter.mongo;

import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mail.core.mongo.CollectionSpec;
import mail.delivery.local.CreationAnnouncements;
import org.bson.Document;

/** One document per announced mailbox ({@code _id} = mailbox id), in {@value #COLLECTION}. */
public final class MongoCreationAnnouncements implements CreationAnnouncements {
    public static final String COLLECTION = "mailbox_announcements";

    private final MongoCollection<Document> collection;

    public MongoCreationAnnouncements(MongoDatabase db) {
        this.collection = db.getCollection(COLLECTION);
    }

    public static CollectionSpec spec() {
        return CollectionSpec.of(COLLECTION);
    }

    @Override
    public Set<String> announced(Collection<String> mailboxIds) {
        Set<String> out = new HashSet<>();
        if (!mailboxIds.isEmpty()) {
            collection.find(in("_id", mailboxIds)).forEach(d -> out.add(d.getString("_id")));
        }
        return out;
    }

    @Override
    public void markAnnounced(Collection<String> mailboxIds) {
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (String id : mailboxIds) {
            writes.add(new ReplaceOneModel<>(new Document("_id", id), new Document("_id", id), new ReplaceOptions().upsert(true)));
        }
        if (writes.isEmpty()) {
            return;
        }
        try {
            collection.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            // two workers marking the same mailbox: the losing upsert's insert collides, and the mark is there
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
        }
    }
}
