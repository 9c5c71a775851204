package mail.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import mail.core.event.MessageRef;
import mail.core.mongo.MongoSchema;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store against the MongoDB-wire-compatible server through the official driver. */
class MailStoreTest {
    private static MongoClient client;
    private static MongoDatabase db;
    private static MailStore store;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("store_test_" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, StoreSchema.collections());
        store = new MailStore(db, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    @AfterAll
    static void close() {
        db.drop();
        client.close();
    }

    private static String account() {
        return "acc-" + UUID.randomUUID();
    }

    private static MessageRef blob(String content) {
        String hex = String.format("%064x", new java.math.BigInteger(1, content.getBytes()));
        hex = hex.substring(hex.length() - 64);
        return MessageRef.of(hex, content.length());
    }

    private static NewMessage message(String account, MessageRef blob, String key, String... flags) {
        return new NewMessage(account, blob, Instant.parse("2026-11-29T10:00:00Z"), List.of(flags), List.of(),
                new Document("subject", "s-" + key), key);
    }

    private static Mailbox inbox(String account) {
        store.mailboxes().ensureDefaults(account);
        return store.mailboxes().find(account, "INBOX").orElseThrow();
    }

    @Test
    void defaultMailboxesAreCreatedOnceEvenWhenWorkersRace() throws Exception {
        String account = account();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Mailbox>>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return store.mailboxes().ensureDefaults(account);
            }));
        }
        start.countDown();
        int created = 0;
        for (Future<List<Mailbox>> f : results) {
            created += f.get().size();
        }
        pool.shutdown();
        assertThat(created).isEqualTo(6);
        List<Mailbox> all = store.mailboxes().list(account);
        assertThat(all).extracting(Mailbox::name).containsExactlyInAnyOrder("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
        assertThat(all).extracting(Mailbox::specialUse).containsExactlyInAnyOrder(SpecialUse.values());
        assertThat(all).allSatisfy(m -> {
            assertThat(m.uidNext()).isEqualTo(1);
            assertThat(m.uidValidity()).isBetween(1L, 0xFFFF_FFFFL);
        });
        assertThat(store.mailboxes().ensureDefaults(account)).isEmpty();
    }

    @Test
    void storesWithAscendingUidsAndDerivesCounts() {
        String account = account();
        Mailbox inbox = inbox(account);
        MessageRef a = blob("message a");
        StoredMessage first = store.store(inbox, message(account, a, "k1-" + account)).orElseThrow();
        StoredMessage second = store.store(inbox, message(account, blob("message bb"), "k2-" + account, Messages.SEEN)).orElseThrow();
        assertThat(first.uid()).isEqualTo(1);
        assertThat(second.uid()).isEqualTo(2);
        assertThat(second.modSeq()).isGreaterThan(first.modSeq());
        assertThat(first.created()).isTrue();

        Mailbox after = store.mailboxes().byId(inbox.id()).orElseThrow();
        assertThat(after.uidNext()).isEqualTo(3);
        assertThat(after.highestModSeq()).isEqualTo(second.modSeq());
        assertThat(store.messages().counts(inbox.id())).isEqualTo(new MailboxCounts(2, 1, 9 + 10));
        assertThat(store.messages().accountUsage(account)).isEqualTo(19);
        Document stored = store.messages().list(inbox.id()).get(0);
        assertThat(stored.get(Messages.METADATA, Document.class).getString("subject")).isEqualTo("s-k1-" + account);
        assertThat(stored.getString(Messages.BLOB_KEY)).isEqualTo(a.blobKey());
        assertThat(stored.getString(Messages.ACCOUNT_ID)).isEqualTo(account);
    }

    @Test
    void theSameDeliveryKeyStoresOneCopyAndOneReference() {
        String account = account();
        Mailbox inbox = inbox(account);
        MessageRef shared = blob("shared " + account);
        StoredMessage first = store.store(inbox, message(account, shared, "dup-" + account)).orElseThrow();
        StoredMessage again = store.store(inbox, message(account, shared, "dup-" + account)).orElseThrow();
        assertThat(again.created()).isFalse();
        assertThat(again.uid()).isEqualTo(first.uid());
        assertThat(store.messages().list(inbox.id())).hasSize(1);
        assertThat(store.blobRefs().count(shared.blobKey())).isEqualTo(1);
        // no UID was burnt by the redelivery
        assertThat(store.mailboxes().byId(inbox.id()).orElseThrow().uidNext()).isEqualTo(2);

        store.store(inbox, message(account, shared, "other-" + account));
        assertThat(store.blobRefs().count(shared.blobKey())).isEqualTo(2);
    }

    @Test
    void expungeReleasesReferencesAndARedeliveryDoesNotResurrect() {
        String account = account();
        Mailbox inbox = inbox(account);
        MessageRef ref = blob("expunge " + account);
        StoredMessage m = store.store(inbox, message(account, ref, "exp-" + account)).orElseThrow();
        MailStore.Expunged e = store.expunge(inbox, List.of(m.uid(), 99L));
        assertThat(e.uids()).containsExactly(m.uid());
        assertThat(e.highestModSeq()).isGreaterThan(m.modSeq());
        assertThat(store.blobRefs().count(ref.blobKey())).isZero();
        assertThat(store.messages().counts(inbox.id())).isEqualTo(new MailboxCounts(0, 0, 0));

        assertThat(store.store(inbox, message(account, ref, "exp-" + account))).isEmpty();
        assertThat(store.messages().list(inbox.id())).isEmpty();
        assertThat(store.blobRefs().count(ref.blobKey())).isZero();
        assertThat(store.expunge(inbox, List.of(m.uid())).uids()).isEmpty();
    }

    @Test
    void concurrentWritersGetUniqueUidsThatBecomeVisibleInAscendingOrder() throws Exception {
        String account = account();
        Mailbox inbox = inbox(account);
        int writers = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<TreeSet<Long>> snapshots = new ConcurrentLinkedQueue<>();
        Future<?> reader = pool.submit(() -> {
            while (!done.get()) {
                TreeSet<Long> seen = new TreeSet<>();
                store.messages().list(inbox.id()).forEach(d -> seen.add(Mailbox.number(d, Messages.UID)));
                snapshots.add(seen);
            }
        });
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            results.add(pool.submit(() -> {
                List<Long> uids = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String key = "c-" + writer + "-" + i + "-" + account;
                    uids.add(store.store(inbox, message(account, blob(key), key)).orElseThrow().uid());
                }
                return uids;
            }));
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : results) {
            List<Long> uids = f.get();
            assertThat(uids).isSorted();
            all.addAll(uids);
        }
        done.set(true);
        reader.get();
        pool.shutdown();
        assertThat(all).hasSize(writers * each);
        TreeSet<Long> fin = new TreeSet<>(all);
        // every snapshot a reader took is a prefix of the final mailbox: no UID ever appeared below one already visible
        assertThat(snapshots).isNotEmpty().allSatisfy(s -> {
            if (!s.isEmpty()) {
                assertThat(s).containsExactlyElementsOf(fin.headSet(s.last(), true));
            }
        });
        assertThat(store.messages().counts(inbox.id()).messages()).isEqualTo(writers * each);
    }

    @Test
    void aLeaseLeftByACrashedWriterExpiresAndABusyMailboxIsReportedAsUnavailable() {
        String account = account();
        Mailbox inbox = inbox(account);
        var leases = db.getCollection(StoreSchema.MAILBOX_LEASES);
        long now = System.currentTimeMillis();
        leases.insertOne(new Document("_id", inbox.id()).append(UidAllocator.OWNER, "crashed").append(UidAllocator.UNTIL, now + 1500));
        StoredMessage m = store.store(inbox, message(account, blob("late " + account), "late-" + account)).orElseThrow();
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(now + 1500);
        assertThat(m.uid()).isEqualTo(1);
        assertThat(leases.countDocuments(Filters.eq("_id", inbox.id()))).as("released after the insert").isZero();

        MailStore impatient = new MailStore(db, Duration.ofSeconds(2), Duration.ofMillis(200));
        leases.insertOne(new Document("_id", inbox.id()).append(UidAllocator.OWNER, "busy")
                .append(UidAllocator.UNTIL, System.currentTimeMillis() + 60_000));
        assertThatThrownBy(() -> impatient.store(inbox, message(account, blob("busy " + account), "busy-" + account)))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("stayed locked");
        assertThat(leases.find(Filters.eq("_id", inbox.id())).first().getString(UidAllocator.OWNER))
                .as("a live lease is never taken over").isEqualTo("busy");
        leases.deleteOne(Filters.eq("_id", inbox.id()));
        assertThat(store.messages().list(inbox.id())).hasSize(1);
        String gone = new ObjectId().toHexString();
        assertThatThrownBy(() -> impatient.store(new Mailbox(gone, account, "Gone", null, 1, 1, 1, false),
                message(account, blob("gone " + account), "gone-" + account)))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("does not exist");
        assertThat(leases.countDocuments(Filters.eq("_id", gone))).as("no lease left behind").isZero();
    }

    @Test
    void aDeliveryInterruptedBetweenClaimAndInsertIsCompletedOnceAndOverCountsAtMostByOne() {
        String account = account();
        Mailbox inbox = inbox(account);
        MessageRef ref = blob(account + "/interrupted");
        String key = "cut-" + account;
        // what a kill -9 after the claim and the reference count, before the insert, leaves behind
        new Deliveries(db).claim(key, ref.blobKey());
        store.blobRefs().increment(ref.blobKey());

        StoredMessage m = store.store(inbox, message(account, ref, key)).orElseThrow();
        assertThat(m.created()).isTrue();
        assertThat(store.store(inbox, message(account, ref, key)).orElseThrow().uid()).isEqualTo(m.uid());
        assertThat(store.messages().list(inbox.id())).hasSize(1);
        assertThat(store.blobRefs().count(ref.blobKey())).as("too high by the interrupted attempt, never too low").isEqualTo(2);

        // a record of the earlier format that says the reference was counted is not counted again
        MessageRef old = blob(account + "/old format");
        db.getCollection(StoreSchema.DELIVERIES).insertOne(new Document("_id", "old-" + account).append("blobKey", old.blobKey())
                .append(Deliveries.REF_COUNTED, true).append(Deliveries.DONE, false).append(Deliveries.AT, new java.util.Date()));
        store.blobRefs().increment(old.blobKey());
        store.store(inbox, message(account, old, "old-" + account)).orElseThrow();
        assertThat(store.blobRefs().count(old.blobKey())).isEqualTo(1);
    }

    @Test
    void rejectsAMessageWithoutDeliveryKey() {
        assertThatThrownBy(() -> message(account(), blob("x"), " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deliveryKey");
    }
}
