package mail.devinfra.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.IndexKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries on a prefix of a unique index's fields, and aggregates that start with such a query, answered from the
 * index: the same documents in the same order as the server's scan of the whole collection. The reference is a second
 * collection with the same documents and no index but _id's, which the server can only scan.
 */
class IndexPrefixQueryTest {
    @TempDir
    Path dir;

    private de.bwaldvogel.mongo.backend.h2.H2Backend backend;
    private MongoServer server;
    private MongoClient client;
    private MongoCollection<Document> indexed;
    private MongoCollection<Document> scanned;

    @BeforeEach
    void start() {
        backend = CodecH2Backend.open(dir.resolve("mongo.mv").toString());
        server = new MongoServer(backend);
        InetSocketAddress at = server.bind();
        client = MongoClients.create("mongodb://127.0.0.1:" + at.getPort());
        MongoDatabase db = client.getDatabase("mail");
        indexed = db.getCollection("messages");
        scanned = db.getCollection("reference");
        indexed.createIndex(Indexes.ascending("mailboxId", "uid"), new IndexOptions().unique(true));
        indexed.createIndex(Indexes.ascending("deliveryKey"), new IndexOptions().unique(true));
        indexed.createIndex(Indexes.ascending("owner", "tags"), new IndexOptions().unique(true).sparse(true));
        // inserted in a shuffled order with ascending ids, so that an answer in index order would differ from the scan
        List<Document> docs = new ArrayList<>();
        int id = 0;
        for (String mailbox : List.of("m1", "m2", "m3")) {
            for (int uid = 1; uid <= 40; uid++) {
                docs.add(new Document("mailboxId", mailbox).append("uid", (long) uid).append("deliveryKey", mailbox + "/" + uid)
                        .append("size", 100L * uid).append("flags", uid % 3 == 0 ? List.of("\\Seen") : List.of()));
            }
        }
        // a multikey entry: two index entries (o1, a) and (o1, b) for one document
        docs.add(new Document("mailboxId", "m4").append("uid", 1L).append("deliveryKey", "m4/1").append("size", 7L)
                .append("flags", List.of()).append("owner", "o1").append("tags", List.of("a", "b")));
        Collections.shuffle(docs, new Random(42));
        for (Document d : docs) {
            d.put("_id", String.format("%05d", id++));
            indexed.insertOne(d);
            scanned.insertOne(new Document(d));
        }
    }

    @AfterEach
    void stop() {
        client.close();
        server.shutdown();
        backend.close();
    }

    private static List<Document> find(MongoCollection<Document> c, Bson filter, Bson sort) {
        return (sort == null ? c.find(filter) : c.find(filter).sort(sort)).into(new ArrayList<>());
    }

    @Test
    void findsTheSameDocumentsInTheSameOrderAsTheScan() {
        List<Bson> filters = List.of(
                Filters.eq("mailboxId", "m2"),
                Filters.and(Filters.eq("mailboxId", "m2"), Filters.gt("uid", 30L)),
                Filters.and(Filters.eq("mailboxId", "m1"), Filters.ne("flags", "\\Seen")),
                Filters.and(Filters.eq("mailboxId", "m3"), Filters.in("uid", List.of(3L, 17L, 99L))),
                Filters.and(Filters.eq("mailboxId", "m3"), Filters.eq("uid", 5L), Filters.eq("size", 500L)),
                Filters.and(Filters.eq("mailboxId", "m3"), Filters.eq("uid", 5L), Filters.eq("size", 1L)),
                Filters.eq("mailboxId", "nowhere"),
                Filters.eq("owner", "o1"),
                Filters.and(Filters.eq("_id", "00007"), Filters.eq("mailboxId", "m1")),
                Filters.and(Filters.eq("mailboxId", "m1"), Filters.eq("uid", 9L)),
                Filters.and(Filters.and(Filters.eq("mailboxId", "m1"), Filters.gte("uid", 9L)),
                        Filters.or(Filters.eq("size", 1000L), Filters.eq("size", 1100L))),
                Filters.and(Filters.eq("mailboxId", "m1"), Filters.eq("mailboxId", "m2")),
                Filters.and(Filters.eq("uid", 9L), Filters.eq("mailboxId", "m1"), Filters.eq("uid", 10L)),
                // both fields of the compound index, one not by a plain value: the server's own lookup cannot
                Filters.and(Filters.eq("mailboxId", "m2"), Filters.regex("deliveryKey", "^m2/1")),
                Filters.and(Filters.eq("owner", "o1"), Filters.regex("tags", "^b")),
                Filters.and(Filters.eq("mailboxId", "m2"), Filters.in("uid", List.of(1L, 2L))),
                Filters.and(Filters.eq("mailboxId", "m2"), Filters.eq("uid", new Document("$gt", 38L))),
                Filters.and(Filters.eq("owner", "o1"), Filters.eq("tags", List.of("a", "b"))));
        for (Bson filter : filters) {
            for (Bson sort : java.util.Arrays.asList(null, Sorts.descending("uid"))) {
                List<Document> expected = find(scanned, filter, sort);
                assertThat(find(indexed, filter, sort)).as("%s sorted by %s", filter, sort).isEqualTo(expected);
            }
        }
        assertThat(find(indexed, Filters.eq("mailboxId", "m2"), null)).hasSize(40);
        assertThat(find(indexed, Filters.eq("owner", "o1"), null)).as("one document for its two index entries").hasSize(1);
    }

    @Test
    void countsAndSumsOfAnIndexedMatchAreThoseOfTheScan() {
        for (String mailbox : List.of("m1", "m2", "m3", "m4", "nowhere")) {
            Bson all = Filters.eq("mailboxId", mailbox);
            Bson unseen = Filters.and(all, Filters.ne("flags", "\\Seen"));
            assertThat(indexed.countDocuments(all)).isEqualTo(scanned.countDocuments(all));
            assertThat(indexed.countDocuments(unseen)).isEqualTo(scanned.countDocuments(unseen));
            List<Bson> sum = List.of(Aggregates.match(all), Aggregates.group(null, Accumulators.sum("total", "$size")));
            assertThat(indexed.aggregate(sum).into(new ArrayList<>())).isEqualTo(scanned.aggregate(sum).into(new ArrayList<>()));
        }
        assertThat(indexed.countDocuments(Filters.eq("mailboxId", "m1"))).isEqualTo(40);
        assertThat(indexed.countDocuments(Filters.and(Filters.eq("mailboxId", "m1"), Filters.ne("flags", "\\Seen")))).isEqualTo(27);
        // stages after the match, and a pipeline the index path leaves to the server ($$ROOT)
        List<Bson> shaped = List.of(Aggregates.match(Filters.eq("mailboxId", "m2")), Aggregates.sort(Sorts.descending("uid")),
                Aggregates.skip(2), Aggregates.limit(3), Aggregates.project(new Document("uid", 1).append("whole", "$$ROOT")));
        assertThat(indexed.aggregate(shaped).into(new ArrayList<>())).isEqualTo(scanned.aggregate(shaped).into(new ArrayList<>()))
                .extracting(d -> d.getLong("uid")).containsExactly(38L, 37L, 36L);
    }

    @Test
    void pipelinesTheIndexPathDoesNotTakeStillRunOnTheServersOwnPath() {
        // a stage that reads another collection: left to the server, with its own answer
        List<Bson> joined = List.of(Aggregates.match(Filters.eq("mailboxId", "m3")), Aggregates.sort(Sorts.ascending("uid")),
                Aggregates.limit(2), Aggregates.lookup("reference", "deliveryKey", "deliveryKey", "copies"));
        List<Document> answer = indexed.aggregate(joined).into(new ArrayList<>());
        assertThat(answer).extracting(d -> d.getLong("uid")).containsExactly(1L, 2L);
        assertThat(answer).allSatisfy(d -> assertThat(d.getList("copies", Document.class)).singleElement()
                .satisfies(c -> assertThat(c.getString("deliveryKey")).isEqualTo(d.getString("deliveryKey"))));
        // a collection that does not exist: counts nothing, and is not created by being asked
        MongoCollection<Document> absent = client.getDatabase("mail").getCollection("absent");
        assertThat(absent.countDocuments(Filters.eq("mailboxId", "m1"))).isZero();
        assertThat(client.getDatabase("mail").listCollectionNames().into(new ArrayList<>())).doesNotContain("absent");
        // a match no index answers (no string or ObjectId equality on a leading field): the server's scan
        Bson bySize = Filters.gt("size", 3900L);
        assertThat(indexed.countDocuments(bySize)).isEqualTo(scanned.countDocuments(bySize)).isEqualTo(3);
    }

    @Test
    void theIndexAnswersAPrefixWithThePositionsOfThatPrefixOnly() {
        try (MVStore store = MVStore.open(null)) {
            CodecUniqueIndex index = new CodecUniqueIndex(CodecMaps.open(store, "databases.mail.t._index_x"), "x",
                    List.of(new IndexKey("mailboxId", true), new IndexKey("uid", true)), false);
            for (String mailbox : List.of("a", "b", "c")) {
                for (long uid = 3; uid >= 1; uid--) {
                    de.bwaldvogel.mongo.bson.Document d = new de.bwaldvogel.mongo.bson.Document("mailboxId", mailbox).append("uid", uid);
                    index.add(d, mailbox + uid, null);
                }
            }
            de.bwaldvogel.mongo.bson.Document prefix = new de.bwaldvogel.mongo.bson.Document("mailboxId", "b");
            assertThat(index.canHandle(prefix)).isTrue();
            assertThat(index.getPositions(prefix)).containsExactly("b1", "b2", "b3");
            de.bwaldvogel.mongo.bson.Document withRange = new de.bwaldvogel.mongo.bson.Document("mailboxId", "c")
                    .append("uid", new de.bwaldvogel.mongo.bson.Document("$gt", 1L));
            assertThat(index.getPositions(withRange)).as("a superset, filtered later by the whole query").containsExactly("c1", "c2", "c3");
            assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("mailboxId", "b").append("uid", 2L)))
                    .containsExactly("b2");
            // the MongoDB driver writes Filters.and(eq(..), eq(..)) as {$and: [..]}
            de.bwaldvogel.mongo.bson.Document and = new de.bwaldvogel.mongo.bson.Document("$and", List.of(
                    new de.bwaldvogel.mongo.bson.Document("mailboxId", "b"), new de.bwaldvogel.mongo.bson.Document("uid", 2L)));
            assertThat(index.canHandle(and)).isTrue();
            assertThat(index.getPositions(and)).containsExactly("b2");
            de.bwaldvogel.mongo.bson.Document andRange = new de.bwaldvogel.mongo.bson.Document("$and", List.of(
                    new de.bwaldvogel.mongo.bson.Document("$and", List.of(new de.bwaldvogel.mongo.bson.Document("mailboxId", "a"))),
                    new de.bwaldvogel.mongo.bson.Document("$or", List.of(new de.bwaldvogel.mongo.bson.Document("uid", 1L)))));
            assertThat(index.getPositions(andRange)).containsExactly("a1", "a2", "a3");
            assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document("uid", 2L))).as("not a prefix").isFalse();
            assertThat(index.canHandle(new de.bwaldvogel.mongo.bson.Document("mailboxId",
                    new de.bwaldvogel.mongo.bson.Document("$gt", "a")))).as("not an equality").isFalse();
            assertThat(index.getPositions(new de.bwaldvogel.mongo.bson.Document("mailboxId", "bb"))).isEmpty();
        }
    }
}
