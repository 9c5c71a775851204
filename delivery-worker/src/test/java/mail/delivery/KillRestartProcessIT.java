package mail.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mail.core.event.MailReceived;
import mail.store.BlobRefs;
import mail.store.StoreSchema;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a worker in the middle of a burst of 1,000 messages to two recipients, then a fresh copy: every
 * (message, recipient) ends up stored exactly once, whatever step the killed copy was in.
 */
class KillRestartProcessIT {
    private static final int MESSAGES = 1000;

    @Test
    void everyMessageAndRecipientIsStoredExactlyOnceAfterAKill9() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String domain = Fixtures.uniqueDomain();
        String a = "acc-a-" + run;
        String b = "acc-b-" + run;
        String group = "kill-it-" + run;
        String database = "kill_it_" + run;
        try (Fixtures fx = new Fixtures(SharedInfra.require("kafka", "mongo", "s3"));
             MongoClient client = ProcessTests.mongo(fx.infra.mongoUri())) {
            MongoDatabase db = client.getDatabase(database);
            ProcessTests.ensureTopics(fx);
            fx.startGroupAtEnd(group);
            fx.domain(domain);
            fx.account("a@" + domain, a, 0, true);
            fx.account("b@" + domain, b, 0, true);
            List<MailReceived> events = ProcessTests.burst(fx, MESSAGES, List.of("a@" + domain, "b@" + domain));
            Map<String, String> config = Map.of("mail.mongo.database", database, "mail.delivery.consumer-group", group,
                    "mail.delivery.session-timeout", "10s");

            WorkerProcess first = WorkerProcess.start("kill-first-" + run, fx.infra, config);
            long killedAt;
            try {
                ProcessTests.publishAll(fx, events);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                        .until(() -> ProcessTests.stored(db, a) + ProcessTests.stored(db, b) >= 300);
                first.kill9();
                killedAt = ProcessTests.stored(db, a) + ProcessTests.stored(db, b);
            } finally {
                first.close();
            }
            assertThat(killedAt).as("killed in the middle of the burst").isLessThan(2L * MESSAGES);

            try (WorkerProcess second = WorkerProcess.start("kill-second-" + run, fx.infra, config)) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ProcessTests.stored(db, a) + ProcessTests.stored(db, b) >= 2L * MESSAGES);
                // anything the killed copy left half-done has been redone by now; give a duplicate time to show up
                Thread.sleep(2000);
            }
            ProcessTests.assertExactlyOnce(db, a, events);
            ProcessTests.assertExactlyOnce(db, b, events);

            // references are counted before the insert, so a kill can only leave a count too high, and only for
            // the few deliveries that were in flight (at most one per worker thread)
            long over = 0;
            for (MailReceived e : events) {
                Document refs = db.getCollection(StoreSchema.BLOB_REFS).find(Filters.eq("_id", e.message().blobKey())).first();
                long n = refs == null ? 0 : ((Number) refs.get(BlobRefs.REFS)).longValue();
                assertThat(n).as("references of %s", e.message().blobKey()).isGreaterThanOrEqualTo(2);
                over += n - 2;
            }
            assertThat(over).isLessThanOrEqualTo(8);
            db.drop();
        }
    }
}
