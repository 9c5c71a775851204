package mail.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mail.core.mailbox.MailboxName;
import mail.core.mongo.MongoSchema;
import mail.testsupport.SharedInfra;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-mailbox \Recent mark (RFC 3501 §2.3.2): each UID is claimed by one session at most. */
class RecentMarkTest {
    private static MongoClient client;
    private static MongoDatabase db;
    private static Mailboxes mailboxes;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("recent_test_" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, StoreSchema.collections());
        mailboxes = new Mailboxes(db);
    }

    @AfterAll
    static void close() {
        db.drop();
        client.close();
    }

    private static String newMailbox() {
        return mailboxes.create("acc-" + UUID.randomUUID(), MailboxName.fromUtf8("INBOX"), null).orElseThrow().id();
    }

    @Test
    void theMarkOnlyMovesUpAndReturnsWhatWasThereBefore() {
        String id = newMailbox();
        assertThat(mailboxes.recentMark(id)).isZero();
        assertThat(mailboxes.claimRecent(id, 3)).isZero();
        assertThat(mailboxes.recentMark(id)).isEqualTo(3);
        // a session that knows fewer messages claims nothing and does not move the mark back
        assertThat(mailboxes.claimRecent(id, 2)).isEqualTo(3);
        assertThat(mailboxes.recentMark(id)).isEqualTo(3);
        assertThat(mailboxes.claimRecent(id, 5)).isEqualTo(3);
        assertThat(mailboxes.recentMark(id)).isEqualTo(5);
    }

    @Test
    void concurrentClaimsNeverShareAUid() throws Exception {
        String id = newMailbox();
        int sessions = 8;
        int steps = 25;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (long upTo = 1; upTo <= steps; upTo++) {
                        long before = mailboxes.claimRecent(id, upTo);
                        for (long u = before + 1; u <= upTo; u++) {
                            mine.add(u);
                        }
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get());
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(steps);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMailboxThatIsGoneClaimsNothing() {
        String gone = new ObjectId().toHexString();
        assertThat(mailboxes.claimRecent(gone, 7)).isEqualTo(7);
        assertThat(mailboxes.recentMark(gone)).isZero();
    }
}
