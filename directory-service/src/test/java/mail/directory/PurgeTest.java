package mail.directory;

import static mail.directory.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import mail.core.event.MessageRef;
import mail.core.mailbox.MailboxName;
import mail.core.mongo.MongoSchema;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.NewMessage;
import mail.store.StoreSchema;
import mail.testsupport.InfraTestResource;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting an account removes its mail: the background job expunges every message of every mailbox through the
 * mailbox store (blob references released), removes the mailboxes and marks the purge DONE; it finishes a run that
 * stopped half-way and changes nothing when repeated. Real MongoDB, messages stored with MailStore as delivery does.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class PurgeTest {
    private static final String DOMAIN = "purge.test";
    private static MongoClient client;
    private static MongoDatabase db;
    private static MailStore store;
    private static boolean prepared;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(Api.INFRA.mongoUri());
        db = client.getDatabase("mail");
        // delivery-worker provisions these on a running platform; this test stores mail without it
        MongoSchema.ensure(db, StoreSchema.collections());
        store = new MailStore(db);
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @BeforeEach
    void domain() {
        if (!prepared) {
            Api.domain(DOMAIN);
            prepared = true;
        }
    }

    @Test
    void theMailOfADeletedAccountIsRemovedAndTheBlobReferencesReleased() {
        String leaver = account("leaver");
        String stayer = account("stayer");
        Mailbox inbox = inbox(leaver);
        Mailbox sent = store.mailboxes().find(leaver, "Sent").orElseThrow();
        Mailbox projects = store.mailboxes().create(leaver, MailboxName.fromUtf8("Projects/2026"), null).orElseThrow();
        MessageRef shared = blob("one message to both accounts");
        List<MessageRef> own = List.of(blob("a"), blob("b"), blob("c"), blob("d"));
        store(inbox, shared);
        store(inbox(stayer), shared);
        store(inbox, own.get(0));
        store(inbox, own.get(1));
        store(sent, own.get(2));
        store(projects, own.get(3));
        int mailboxes = store.mailboxes().list(leaver).size();
        assertThat(store.blobRefs().count(shared.blobKey())).isEqualTo(2);

        delete(leaver);
        assertThat(purgeState(leaver).getString("state")).isEqualTo("PENDING");
        // nothing is removed before the job runs: the delete itself only queues the work
        assertThat(messagesOf(leaver)).isEqualTo(5);

        admin().post("/api/v1/maintenance/purge").then().statusCode(200);

        assertThat(store.mailboxes().list(leaver)).isEmpty();
        assertThat(messagesOf(leaver)).isZero();
        for (MessageRef r : own) {
            assertThat(store.blobRefs().count(r.blobKey())).isZero();
        }
        assertThat(store.blobRefs().count(shared.blobKey())).isEqualTo(1);
        Document done = purgeState(leaver);
        assertThat(done.getString("state")).isEqualTo("DONE");
        assertThat(((Number) done.get("messagesRemoved")).longValue()).isEqualTo(5);
        assertThat(((Number) done.get("mailboxesRemoved")).longValue()).isEqualTo(mailboxes);
        // the other account's copy is untouched
        assertThat(store.messages().list(inbox(stayer).id())).hasSize(1);

        // running again changes nothing
        admin().post("/api/v1/maintenance/purge").then().statusCode(200);
        assertThat(store.blobRefs().count(shared.blobKey())).isEqualTo(1);
        assertThat(store.messages().list(inbox(stayer).id())).hasSize(1);
        assertThat(purgeState(leaver).getString("state")).isEqualTo("DONE");
    }

    @Test
    void aPurgeThatStoppedHalfWayIsFinishedWithoutReleasingAReferenceTwice() {
        String crashy = account("crashy");
        Mailbox inbox = inbox(crashy);
        Mailbox trash = store.mailboxes().find(crashy, "Trash").orElseThrow();
        List<MessageRef> blobs = List.of(blob("x1"), blob("x2"), blob("x3"), blob("x4"));
        long first = store(inbox, blobs.get(0));
        store(inbox, blobs.get(1));
        store(inbox, blobs.get(2));
        long trashed = store(trash, blobs.get(3));
        delete(crashy);

        // where a run that died would have left things: Trash done (messages and mailbox), INBOX expunged in part
        store.expunge(trash, List.of(trashed));
        db.getCollection(StoreSchema.MAILBOXES).deleteOne(new Document("_id", new org.bson.types.ObjectId(trash.id())));
        store.expunge(inbox, List.of(first));

        admin().post("/api/v1/maintenance/purge").then().statusCode(200);

        assertThat(store.mailboxes().list(crashy)).isEmpty();
        assertThat(messagesOf(crashy)).isZero();
        for (MessageRef r : blobs) {
            assertThat(store.blobRefs().count(r.blobKey())).as(r.blobKey()).isZero();
        }
        Document done = purgeState(crashy);
        assertThat(done.getString("state")).isEqualTo("DONE");
        assertThat(((Number) done.get("messagesRemoved")).longValue()).isEqualTo(2);
    }

    @Test
    void anAccountWithoutMailIsPurgedToo() {
        String empty = account("empty");
        delete(empty);
        admin().post("/api/v1/maintenance/purge").then().statusCode(200);
        assertThat(purgeState(empty).getString("state")).isEqualTo("DONE");
        assertThat(((Number) purgeState(empty).get("messagesRemoved")).longValue()).isZero();
    }

    private static String account(String name) {
        String address = name + "-" + System.nanoTime() + "@" + DOMAIN;
        Api.account(address, "Purge-pass-123");
        return admin().get("/api/v1/accounts/" + address).then().statusCode(200).extract().path("accountId");
    }

    private static void delete(String accountId) {
        Document entry = db.getCollection("directory_entries").find(new Document("accountId", accountId)).first();
        admin().delete("/api/v1/accounts/" + entry.getString("_id")).then().statusCode(204);
    }

    private static Mailbox inbox(String accountId) {
        store.mailboxes().ensureDefaults(accountId);
        return store.mailboxes().find(accountId, "INBOX").orElseThrow();
    }

    private static long store(Mailbox mailbox, MessageRef blob) {
        return store.store(mailbox, new NewMessage(mailbox.accountId(), blob, Instant.now(), List.of(), List.of(),
                new Document("subject", "purge test"), UUID.randomUUID() + "/" + mailbox.accountId())).orElseThrow().uid();
    }

    private static long messagesOf(String accountId) {
        return db.getCollection(StoreSchema.MESSAGES).countDocuments(new Document("accountId", accountId));
    }

    private static Document purgeState(String accountId) {
        return db.getCollection("directory_purges").find(new Document("_id", accountId)).first();
    }

    private static MessageRef blob(String content) {
        try {
            byte[] bytes = (content + " " + UUID.randomUUID()).getBytes();
            return MessageRef.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), bytes.length);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
