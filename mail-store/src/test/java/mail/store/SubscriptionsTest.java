package mail.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import mail.core.mailbox.MailboxName;
import mail.core.mongo.MongoSchema;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The subscription list as names apart from mailboxes (RFC 3501 §6.3.6, RFC 9051 §6.3.6-§6.3.8), and its migration. */
class SubscriptionsTest {
    private static MongoClient client;
    private static MongoDatabase db;
    private static MailStore store;
    private static MailboxOperations ops;
    private static Subscriptions subscriptions;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("subs_test_" + UUID.randomUUID().toString().substring(0, 8));
        List<mail.core.mongo.CollectionSpec> specs = new ArrayList<>(StoreSchema.collections());
        specs.add(Subscriptions.schema());
        MongoSchema.ensure(db, specs);
        store = new MailStore(db, Duration.ofSeconds(2), Duration.ofSeconds(10));
        ops = new MailboxOperations(store);
        subscriptions = ops.subscriptions();
    }

    @AfterAll
    static void close() {
        db.drop();
        client.close();
    }

    private static String account() {
        return "acc-" + UUID.randomUUID();
    }

    @Test
    void defaultsStartSubscribedButCreateDoesNotSubscribe() {
        String acc = account();
        store.mailboxes().ensureDefaults(acc);
        ops.create(acc, MailboxName.fromUtf8("Projects"), null);
        assertThat(subscriptions.names(acc)).containsExactly("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash");

        // a later call (another worker, the next login) creates nothing, so an unsubscribed default stays so
        subscriptions.unsubscribe(acc, "Junk");
        assertThat(store.mailboxes().ensureDefaults(acc)).isEmpty();
        assertThat(subscriptions.names(acc)).doesNotContain("Junk");
    }

    @Test
    void namesThatDoNotExistMayBeSubscribedTwiceAndUnsubscribedWhenAbsent() {
        String acc = account();
        subscriptions.subscribe(acc, "Nowhere/Deep");
        subscriptions.subscribe(acc, "Nowhere/Deep");
        subscriptions.unsubscribe(acc, "Never subscribed");
        assertThat(subscriptions.names(acc)).containsExactly("Nowhere/Deep");
        assertThat(db.getCollection(Subscriptions.COLLECTION).countDocuments(Filters.eq(Subscriptions.ACCOUNT_ID, acc))).isEqualTo(1);
        subscriptions.unsubscribe(acc, "Nowhere/Deep");
        assertThat(subscriptions.names(acc)).isEmpty();
    }

    @Test
    void deleteAndRenameLeaveTheSubscriptionsOfTheOldNames() {
        String acc = account();
        Mailbox work = ops.create(acc, MailboxName.fromUtf8("Work"), null).orElseThrow();
        ops.create(acc, MailboxName.fromUtf8("Work/2026"), null).orElseThrow();
        Mailbox old = ops.create(acc, MailboxName.fromUtf8("Old"), null).orElseThrow();
        subscriptions.subscribe(acc, "Work");
        subscriptions.subscribe(acc, "Work/2026");
        subscriptions.subscribe(acc, "Old");

        assertThat(ops.rename(acc, work, MailboxName.fromUtf8("Job"))).isTrue();
        ops.delete(old);

        assertThat(store.mailboxes().find(acc, "Job/2026")).isPresent();
        assertThat(store.mailboxes().find(acc, "Old")).isEmpty();
        assertThat(subscriptions.names(acc)).containsExactly("Old", "Work", "Work/2026");
    }

    /** Mailbox documents as the code before the subscriptions collection wrote them. */
    private static void legacyMailbox(String acc, String name, boolean subscribed) {
        db.getCollection(StoreSchema.MAILBOXES).insertOne(new Document("_id", new ObjectId()).append(Mailboxes.ACCOUNT_ID, acc)
                .append(Mailboxes.NAME, name).append(Mailboxes.UID_VALIDITY, 7L).append(Mailboxes.UID_NEXT, 1L)
                .append(Mailboxes.HIGHEST_MODSEQ, 1L).append(Mailboxes.SUBSCRIBED, subscribed).append("lockUntil", 0L));
    }

    @Test
    void legacyFlagsMoveIntoTheListOnceAndAreRemoved() {
        String acc = account();
        legacyMailbox(acc, "INBOX", true);
        legacyMailbox(acc, "Kept", true);
        legacyMailbox(acc, "Dropped", false);
        // a migration that crashed after writing one name and before removing its flag
        db.getCollection(Subscriptions.COLLECTION).insertOne(new Document(Subscriptions.ACCOUNT_ID, acc).append(Subscriptions.NAME, "Kept"));

        assertThat(subscriptions.names(acc)).containsExactly("INBOX", "Kept");
        assertThat(db.getCollection(StoreSchema.MAILBOXES).countDocuments(
                Filters.and(Filters.eq(Mailboxes.ACCOUNT_ID, acc), Filters.exists(Mailboxes.SUBSCRIBED)))).isZero();
        assertThat(db.getCollection(Subscriptions.COLLECTION).countDocuments(Filters.eq(Subscriptions.ACCOUNT_ID, acc))).isEqualTo(2);

        // after the migration the list is the truth: an UNSUBSCRIBE is not undone by a second migration
        subscriptions.unsubscribe(acc, "Kept");
        assertThat(subscriptions.names(acc)).containsExactly("INBOX");
    }

    @Test
    void subscribeAllMigratesLegacyFlagsOnceAndAddsEveryNameOnce() {
        String acc = account();
        legacyMailbox(acc, "Legacy", true);
        subscriptions.subscribe(acc, "Already");

        subscriptions.subscribeAll(acc, List.of("Already", "INBOX", "Sent"));
        subscriptions.subscribeAll(acc, List.of());

        assertThat(subscriptions.names(acc)).containsExactly("Already", "INBOX", "Legacy", "Sent");
        assertThat(db.getCollection(Subscriptions.COLLECTION).countDocuments(Filters.eq(Subscriptions.ACCOUNT_ID, acc))).isEqualTo(4);
        assertThat(db.getCollection(StoreSchema.MAILBOXES).countDocuments(
                Filters.and(Filters.eq(Mailboxes.ACCOUNT_ID, acc), Filters.exists(Mailboxes.SUBSCRIBED)))).isZero();
    }

    @Test
    void aLegacySubscribedMailboxThatIsDeletedOrRenamedKeepsItsName() {
        String acc = account();
        legacyMailbox(acc, "Gone", true);
        legacyMailbox(acc, "Moved", true);
        ops.delete(store.mailboxes().find(acc, "Gone").orElseThrow());
        assertThat(ops.rename(acc, store.mailboxes().find(acc, "Moved").orElseThrow(), MailboxName.fromUtf8("Elsewhere"))).isTrue();
        assertThat(subscriptions.names(acc)).containsExactly("Gone", "Moved");
        assertThat(store.mailboxes().find(acc, "Elsewhere").orElseThrow().legacySubscribed()).isFalse();
    }
}
