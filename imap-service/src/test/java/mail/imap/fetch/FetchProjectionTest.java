package mail.imap.fetch;

import static mail.imap.fetch.FetchRendererTest.body;
import static mail.imap.fetch.FetchRendererTest.section;
import static mail.imap.fetch.StoredMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import mail.core.event.MessageRef;
import mail.core.mongo.MongoSchema;
import mail.imap.protocol.ImapCommand.FetchItem;
import mail.imap.protocol.ImapCommand.Section;
import mail.imap.protocol.ImapCommand.Simple;
import mail.message.MessageMetadataBson;
import mail.message.ParserLimits;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.Messages;
import mail.store.NewMessage;
import mail.store.StoreSchema;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What FetchPlan projects from the real store is enough: rendering from the projected document gives the same
 * octets as rendering from the whole document.
 */
class FetchProjectionTest {
    private static MongoClient client;
    private static MongoDatabase db;
    private static MongoCollection<Document> messages;
    private static final MemoryBlobStore BLOBS = new MemoryBlobStore();
    private static long uid;
    private static long bigHeaderUid;

    @BeforeAll
    static void store() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("imap_fetch_" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, StoreSchema.collections());
        MailStore store = new MailStore(db);
        String account = "acc-" + UUID.randomUUID();
        store.mailboxes().ensureDefaults(account);
        Mailbox inbox = store.mailboxes().find(account, "INBOX").orElseThrow();
        uid = put(store, inbox, account, crlf(FetchRendererTest.MIXED), "mixed");
        byte[] bigHeader = ("Subject: big header\r\n" + "X-Pad: 0123456789\r\n".repeat(4000) + "\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        bigHeaderUid = put(store, inbox, account, bigHeader, "big");
        messages = db.getCollection(StoreSchema.MESSAGES);
    }

    private static long put(MailStore store, Mailbox inbox, String account, byte[] raw, String key) {
        MessageRef ref = BLOBS.put(raw);
        return store.store(inbox, new NewMessage(account, ref, Instant.parse("2026-02-03T04:05:06Z"), List.of(),
                List.of("$Label1"), MessageMetadataBson.toDocument(StoredMessages.parse(raw, ParserLimits.DEFAULTS)),
                "fetch-test/" + account + "/" + key)).orElseThrow().uid();
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.drop();
        }
        if (client != null) {
            client.close();
        }
    }

    private static String render(long id, boolean projected, FetchItem... items) {
        FetchPlan plan = FetchPlan.of(List.of(items), true, true);
        var find = messages.find(Filters.eq(Messages.UID, id));
        Document d = projected ? find.projection(plan.projection()).first() : find.first();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FetchRenderer(BLOBS, ZoneOffset.UTC, 2048).render(3, FetchedMessage.from(d), plan, false, false, out::write);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyItemRendersTheSameFromTheProjection() {
        List<FetchItem> items = List.of(new Simple("FLAGS"), new Simple("INTERNALDATE"), new Simple("RFC822.SIZE"),
                new Simple("ENVELOPE"), new Simple("BODY"), new Simple("BODYSTRUCTURE"), new Simple("RFC822.HEADER"),
                new Simple("RFC822.TEXT"), new Simple("RFC822"), body(""), body("HEADER"), body("TEXT"),
                body("HEADER.FIELDS (SUBJECT TO)"), body("HEADER.FIELDS.NOT (SUBJECT)"), body("1"), body("1.MIME"),
                body("2.HEADER"), body("2.1"), section(Section.Kind.BINARY, true, "1", null),
                section(Section.Kind.BINARY, true, "3", new long[] {2, 3}),
                section(Section.Kind.BINARY_SIZE, true, "3", null));
        for (FetchItem item : items) {
            String projected = render(uid, true, item);
            assertThat(projected).as(item.toString()).isEqualTo(render(uid, false, item));
            assertThat(projected).startsWith("* 3 FETCH (UID " + uid + " ");
        }
        assertThat(render(uid, true, new Simple("FLAGS"), new Simple("INTERNALDATE")))
                .isEqualTo("* 3 FETCH (UID " + uid + " FLAGS ($Label1) INTERNALDATE \"03-Feb-2026 04:05:06 +0000\" MODSEQ ("
                        + messages.find(Filters.eq(Messages.UID, uid)).first().getLong(Messages.MODSEQ) + "))\r\n");
    }

    @Test
    void aHeaderTooLongToStoreIsReadFromTheBlob() {
        assertThat(messages.find(Filters.eq(Messages.UID, bigHeaderUid)).first().get(Messages.METADATA, Document.class)
                .getString("rawHdr")).as("over the 64 KiB raw header cap").isNull();
        String r = render(bigHeaderUid, true, body("HEADER.FIELDS (SUBJECT)"));
        assertThat(r).isEqualTo("* 3 FETCH (UID " + bigHeaderUid + " BODY[HEADER.FIELDS (SUBJECT)] {23}\r\n"
                + "Subject: big header\r\n\r\n MODSEQ (" + messages.find(Filters.eq(Messages.UID, bigHeaderUid)).first()
                .getLong(Messages.MODSEQ) + "))\r\n");
    }
}
