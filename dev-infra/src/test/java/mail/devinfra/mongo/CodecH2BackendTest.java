package mail.devinfra.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.bson.UuidRepresentation;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local MongoDB-compatible server on the compact value storage, spoken to with the real MongoDB driver. */
class CodecH2BackendTest {
    @TempDir
    Path dir;

    /** A server on a data file, with a driver connected to it; closing stops both and closes the file. */
    private static final class Running implements AutoCloseable {
        final H2Backend backend;
        final MongoServer server;
        final MongoClient client;

        Running(H2Backend backend) {
            this.backend = backend;
            this.server = new MongoServer(backend);
            InetSocketAddress at = server.bind();
            this.client = MongoClients.create(com.mongodb.MongoClientSettings.builder()
                    .applyConnectionString(new com.mongodb.ConnectionString("mongodb://127.0.0.1:" + at.getPort()))
                    .uuidRepresentation(UuidRepresentation.STANDARD).build());
        }

        MongoDatabase db() {
            return client.getDatabase("mail");
        }

        @Override
        public void close() {
            client.close();
            server.shutdown();
            backend.close();
        }
    }

    private String file() {
        return dir.resolve("mongo.mv").toString();
    }

    private static Document everyType(Object id) {
        return new Document("_id", id)
                .append("string", "Grüße \u2603 \uD83D\uDE00")
                .append("int", 42)
                .append("long", 1L << 40)
                .append("double", -0.5)
                .append("true", true)
                .append("false", false)
                .append("null", null)
                .append("date", new Date(1_795_989_332_754L))
                .append("oid", new ObjectId("65f000000000000000000001"))
                .append("nested", new Document("a", List.of(1, "two", new Document("three", 3L))).append("empty", new Document()))
                .append("array", List.of(List.of(), List.of(1.5, 2.5)))
                .append("binary", new Binary(new byte[] {0, 1, 2, (byte) 255}))
                .append("uuid", UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e"))
                .append("decimal", Decimal128.parse("12345.678900"));
    }

    @Test
    void everyValueTypeAndEveryIndexSurvivesARestartOfTheServer() {
        ObjectId oid = new ObjectId();
        Document compoundId = new Document("account", "a1").append("n", 7);
        try (Running r = new Running(CodecH2Backend.open(file()))) {
            assertThat(r.backend).isInstanceOf(CodecH2Backend.class);
            MongoCollection<Document> values = r.db().getCollection("values");
            values.insertOne(everyType(oid));
            values.insertOne(everyType("text-id"));
            values.insertOne(everyType(compoundId));
            MongoCollection<Document> boxes = r.db().getCollection("boxes");
            boxes.createIndex(Indexes.ascending("account", "name"), new IndexOptions().unique(true));
            boxes.insertOne(new Document("_id", 5L).append("account", "a1").append("name", "INBOX"));
            boxes.insertOne(new Document("_id", 6L).append("account", "a1").append("name", "Sent"));
        }

        try (Running r = new Running(CodecH2Backend.open(file()))) {
            assertThat(r.backend).isInstanceOf(CodecH2Backend.class);
            MongoCollection<Document> values = r.db().getCollection("values");
            for (Object id : List.of(oid, "text-id", compoundId)) {
                Document back = values.find(Filters.eq("_id", id)).first();
                assertThat(back).as("document %s", id).isNotNull();
                assertThat(back.toJson()).isEqualTo(everyType(id).toJson());
            }
            assertThatThrownBy(() -> values.insertOne(new Document("_id", oid)))
                    .isInstanceOfSatisfying(MongoWriteException.class, e ->
                            assertThat(e.getError().getCategory()).isEqualTo(ErrorCategory.DUPLICATE_KEY));
            assertThat(values.deleteOne(Filters.eq("_id", "text-id")).getDeletedCount()).isEqualTo(1);
            assertThat(values.countDocuments()).isEqualTo(2);

            MongoCollection<Document> c = r.db().getCollection("boxes");
            assertThat(c.find(Filters.eq("_id", 5L)).first().getString("name")).isEqualTo("INBOX");
            assertThat(c.find(Filters.and(Filters.eq("account", "a1"), Filters.eq("name", "Sent"))).first().get("_id")).isEqualTo(6L);
            // 5 (a long) and 5 (an int) are equal in a query, as in MongoDB
            assertThat(c.find(Filters.eq("_id", 5)).first()).isNotNull();

            // the unique index still refuses after the restart, the _id index too
            MongoWriteException dup = org.junit.jupiter.api.Assertions.assertThrows(MongoWriteException.class, () ->
                    c.insertOne(new Document("_id", 9L).append("account", "a1").append("name", "INBOX")));
            assertThat(dup.getError().getCategory()).isEqualTo(ErrorCategory.DUPLICATE_KEY);

            // counters, updates and deletes through the indexes
            Document before = c.findOneAndUpdate(Filters.eq("_id", 5L), Updates.inc("uidNext", 1L),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
            assertThat(before.get("uidNext")).isNull();
            assertThat(c.find(Filters.eq("_id", 5L)).first().get("uidNext")).isEqualTo(1L);
            c.updateOne(Filters.eq("_id", 6L), Updates.set("name", "Archive"));
            c.insertOne(new Document("_id", 10L).append("account", "a1").append("name", "Sent"));
            assertThat(c.find(Filters.in("_id", List.of(5L, 6L, 10L))).sort(Sorts.ascending("_id")).map(d -> d.getString("name"))
                    .into(new ArrayList<>())).containsExactly("INBOX", "Archive", "Sent");
        }

        // collections that were not touched since the restart can be renamed and dropped
        try (Running r = new Running(CodecH2Backend.open(file()))) {
            r.db().getCollection("boxes").renameCollection(new MongoNamespace("mail", "renamed"));
            MongoCollection<Document> renamed = r.db().getCollection("renamed");
            assertThat(renamed.countDocuments()).isEqualTo(3);
            assertThat(renamed.find(Filters.eq("_id", 10L)).first().getString("name")).isEqualTo("Sent");
            assertThatThrownBy(() -> renamed.insertOne(new Document("account", "a1").append("name", "INBOX")))
                    .isInstanceOf(MongoWriteException.class);
            r.db().getCollection("other").insertOne(new Document("_id", 1));
        }
        try (Running r = new Running(CodecH2Backend.open(file()))) {
            r.db().getCollection("renamed").drop();
            assertThat(r.db().listCollectionNames().into(new ArrayList<>())).containsExactlyInAnyOrder("other", "values");
            assertThat(r.db().getCollection("values").find(Filters.eq("_id", compoundId)).first()).isNotNull();
            r.db().drop();
            assertThat(r.client.listDatabaseNames().into(new ArrayList<>())).doesNotContain("mail");
        }
        try (Running r = new Running(CodecH2Backend.open(file()))) {
            assertThat(r.db().listCollectionNames().into(new ArrayList<>())).isEmpty();
            r.db().getCollection("again").insertOne(everyType("x"));
            assertThat(r.db().getCollection("again").find().first().toJson()).isEqualTo(everyType("x").toJson());
        }
    }

    @Test
    void aDataFileWrittenBeforeIsOpenedInItsOwnFormatWithItsData() throws Exception {
        Files.createDirectories(dir);
        try (Running r = new Running(new H2Backend(file()))) {
            r.db().getCollection("old").insertOne(everyType("kept"));
        }
        try (Running r = new Running(CodecH2Backend.open(file()))) {
            assertThat(r.backend).isNotInstanceOf(CodecH2Backend.class);
            assertThat(r.db().getCollection("old").find(Filters.eq("_id", "kept")).first().toJson())
                    .isEqualTo(everyType("kept").toJson());
            r.db().getCollection("old").insertOne(new Document("_id", "new"));
        }
        try (Running r = new Running(CodecH2Backend.open(file()))) {
            assertThat(r.backend).isNotInstanceOf(CodecH2Backend.class);
            assertThat(r.db().getCollection("old").countDocuments()).isEqualTo(2);
        }
    }

    @Test
    void aDataFileOfAnUnknownFormatIsRefusedAndLeftAsItWas() throws Exception {
        try (Running r = new Running(CodecH2Backend.open(file()))) {
            r.db().getCollection("kept").insertOne(new Document("_id", "x"));
        }
        org.h2.mvstore.MVStore store = org.h2.mvstore.MVStore.open(file());
        store.<String, String>openMap(CodecMaps.FORMAT_MAP).put("values", "codec-99");
        store.close();

        assertThatThrownBy(() -> CodecH2Backend.open(file()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("codec-99");

        org.h2.mvstore.MVStore again = org.h2.mvstore.MVStore.open(file());
        assertThat(again.<String, String>openMap(CodecMaps.FORMAT_MAP).get("values")).isEqualTo("codec-99");
        assertThat(again.hasMap("databases.mail.kept")).isTrue();
        again.close();
    }

    @Test
    void inMemoryWorksTheSame() {
        try (Running r = new Running(CodecH2Backend.open(null))) {
            assertThat(r.backend).isInstanceOf(CodecH2Backend.class);
            r.db().getCollection("m").insertOne(everyType(1));
            assertThat(r.db().getCollection("m").find(Filters.eq("_id", 1)).first().toJson()).isEqualTo(everyType(1).toJson());
        }
    }
}
