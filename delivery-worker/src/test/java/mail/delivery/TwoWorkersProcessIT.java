package mail.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mail.core.event.MailReceived;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;

/** Two worker copies in one group deliver concurrently into the same mailbox: unique UIDs, allocated in order. */
class TwoWorkersProcessIT {
    private static final int MESSAGES = 400;

    @Test
    void twoCopiesShareThePartitionsAndNeverCollideOnAUid() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String domain = Fixtures.uniqueDomain();
        String account = "acc-shared-" + run;
        String group = "two-it-" + run;
        String database = "two_it_" + run;
        try (Fixtures fx = new Fixtures(SharedInfra.require("kafka", "mongo", "s3"));
             MongoClient client = ProcessTests.mongo(fx.infra.mongoUri())) {
            MongoDatabase db = client.getDatabase(database);
            ProcessTests.ensureTopics(fx);
            int partitions = ProcessTests.receivedPartitions(fx);
            fx.startGroupAtEnd(group);
            fx.domain(domain);
            fx.account("shared@" + domain, account, 0, true);
            List<MailReceived> events = ProcessTests.burst(fx, MESSAGES, List.of("shared@" + domain));
            Map<String, String> config = Map.of("mail.mongo.database", database, "mail.delivery.consumer-group", group);
            try (WorkerProcess one = WorkerProcess.start("two-one-" + run, fx.infra, config);
                 WorkerProcess two = WorkerProcess.start("two-two-" + run, fx.infra, config)) {
                // the group has settled once all partitions of the topic are split between the two
                await().atMost(Duration.ofSeconds(120)).until(() -> one.metric("mail_delivery_partitions") >= 1
                        && two.metric("mail_delivery_partitions") >= 1
                        && one.metric("mail_delivery_partitions") + two.metric("mail_delivery_partitions") == partitions);
                ProcessTests.publishAll(fx, events);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ProcessTests.stored(db, account) >= MESSAGES);
                Thread.sleep(1000);
                assertThat(one.metric("mail_delivery_delivered_total")).isPositive();
                assertThat(two.metric("mail_delivery_delivered_total")).isPositive();
                assertThat(one.metric("mail_delivery_delivered_total") + two.metric("mail_delivery_delivered_total"))
                        .isEqualTo(MESSAGES);
            }
            List<Long> uids = ProcessTests.assertExactlyOnce(db, account, events);
            assertThat(uids).hasSize(MESSAGES).first().isEqualTo(1L);
            db.drop();
        }
    }
}
