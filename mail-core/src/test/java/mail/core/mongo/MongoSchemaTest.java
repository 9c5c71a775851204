package mail.core.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Collections and indexes against the MongoDB-wire-compatible server, through the official driver. */
class MongoSchemaTest {
    private static MongoClient client;
    private static MongoDatabase db;

    private static final List<CollectionSpec> SPECS = List.of(
            CollectionSpec.of("messages",
                    CollectionSpec.IndexSpec.unique("mailbox_uid", Indexes.ascending("mailboxId", "uid")),
                    CollectionSpec.IndexSpec.plain("by_account", Indexes.ascending("accountId"))),
            CollectionSpec.of("counters"));

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("core_schema_test_" + UUID.randomUUID().toString().substring(0, 8));
    }

    @AfterAll
    static void close() {
        db.drop();
        client.close();
    }

    @Test
    void createsCollectionsAndIndexesAndIsIdempotent() {
        MongoSchema.ensure(db, SPECS);
        MongoSchema.ensure(db, SPECS);
        assertThat(db.listCollectionNames().into(new ArrayList<>())).contains("messages", "counters");
        List<String> names = db.getCollection("messages").listIndexes().map(d -> d.getString("name")).into(new ArrayList<>());
        assertThat(names).contains("mailbox_uid", "by_account");
    }

    @Test
    void uniqueIndexRefusesADuplicateAndKeepsTheFirst() {
        MongoSchema.ensure(db, SPECS);
        MongoCollection<Document> messages = db.getCollection("messages");
        messages.insertOne(new Document("mailboxId", "m1").append("uid", 1L).append("subject", "first"));
        assertThatThrownBy(() -> messages.insertOne(new Document("mailboxId", "m1").append("uid", 1L).append("subject", "second")))
                .isInstanceOfSatisfying(MongoWriteException.class, e -> assertThat(e.getCode()).isEqualTo(11000));
        assertThat(messages.find(new Document("mailboxId", "m1")).into(new ArrayList<>()))
                .singleElement().extracting(d -> d.getString("subject")).isEqualTo("first");
    }

    /** The allocation pattern the mailbox store relies on for UIDs (see notes: AFTER is racy on this server, BEFORE is not). */
    @Test
    void concurrentCounterIncrementsNeverHandOutTheSameValue() throws Exception {
        MongoSchema.ensure(db, SPECS);
        MongoCollection<Document> counters = db.getCollection("counters");
        // created with its mailbox, before any allocation: concurrent upserts of a missing counter would race
        counters.insertOne(new Document("_id", "uidnext").append("n", 0L));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(pool.submit(() -> {
                Document before = counters.findOneAndUpdate(new Document("_id", "uidnext"), Updates.inc("n", 1L),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
                long value = before.getLong("n") + 1;
                return seen.add(value);
            }));
        }
        for (Future<Boolean> f : results) {
            assertThat(f.get()).isTrue();
        }
        pool.shutdown();
        assertThat(seen).hasSize(200);
        assertThat(counters.find(new Document("_id", "uidnext")).first().getLong("n")).isEqualTo(200L);
    }
}
