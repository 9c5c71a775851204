package mail.backup.engine;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import mail.core.blob.S3BlobStore;
import mail.core.event.MessageRef;
import mail.core.mailbox.MailboxName;
import mail.core.mongo.MongoSchema;
import mail.message.MessageMetadataBson;
import mail.message.MessageParser;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.NewMessage;
import mail.store.StoreSchema;
import mail.store.StoredMessage;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.SharedInfra;
import org.bson.Document;

/**
 * A platform of its own inside the shared test infrastructure: a database and a message bucket nobody else uses, so
 * "an empty platform" can be had by making another one. Messages go in the way delivery stores them: the raw bytes to
 * the object store, parsed by mail-message, stored by mail-store.
 */
final class Fixture implements AutoCloseable {
    static final InfraEndpoints INFRA = SharedInfra.require("kafka", "mongo", "s3", "keycloak");
    private static final MongoClient CLIENT = MongoClients.create(INFRA.mongoUri());

    final String name;
    final MongoDatabase db;
    final S3BlobStore blobs;
    final MailStore store;

    Fixture() {
        this.name = "bk" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.db = CLIENT.getDatabase(name);
        MongoSchema.ensure(db, StoreSchema.collections());
        this.blobs = S3BlobStore.create(INFRA.s3Endpoint(), INFRA.s3AccessKey(), INFRA.s3SecretKey(), "us-east-1", name);
        blobs.ensureBucket();
        this.store = new MailStore(db);
    }

    static MongoClient client() {
        return CLIENT;
    }

    Mailbox inbox(String account) {
        store.mailboxes().ensureDefaults(account);
        return store.mailboxes().find(account, "INBOX").orElseThrow();
    }

    Mailbox mailbox(String account, String name) {
        store.mailboxes().create(account, MailboxName.fromUtf8(name), null);
        return store.mailboxes().find(account, name).orElseThrow();
    }

    static byte[] message(String from, String to, String subject, String body) {
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@backup.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    StoredMessage deliver(Mailbox mailbox, byte[] raw, List<String> flags, Instant internalDate) throws IOException {
        MessageRef ref = blobs.put(new ByteArrayInputStream(raw));
        Document metadata;
        try (InputStream in = new ByteArrayInputStream(raw)) {
            metadata = MessageMetadataBson.toDocument(new MessageParser().parse(in));
        }
        return store.store(mailbox, new NewMessage(mailbox.accountId(), ref, internalDate, flags, List.of("$label1"), metadata,
                "evt-" + UUID.randomUUID() + "/" + mailbox.accountId())).orElseThrow();
    }

    /** Every document of a collection, sorted by id, for comparing two platforms. */
    List<Document> all(String collection) {
        return db.getCollection(collection).find().sort(Sorts.ascending("_id")).into(new ArrayList<>());
    }

    byte[] blob(MessageRef ref) throws IOException {
        try (InputStream in = blobs.get(ref)) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        db.drop();
    }
}
