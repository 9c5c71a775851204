package mail.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.Recipient;
import mail.core.event.Topics;
import mail.core.kafka.KafkaTopics;
import mail.core.runtime.PlatformTopics;
import mail.store.Messages;
import mail.store.StoreSchema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.bson.Document;

/** Shared steps of the tests that run workers as processes: a private database and group, bursts, exactly-once checks. */
final class ProcessTests {
    private ProcessTests() {
    }

    static void ensureTopics(Fixtures fx) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fx.infra.kafkaBootstrap()))) {
            KafkaTopics.ensure(admin, PlatformTopics.all(8, (short) 1));
        }
    }

    /**
     * The partitions mail.received really has: another module's test of the same build may have created the topic
     * first, with another count, so a test must not assume the platform's default.
     */
    static int receivedPartitions(Fixtures fx) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fx.infra.kafkaBootstrap()))) {
            return admin.describeTopics(List.of(mail.core.event.Topics.MAIL_RECEIVED)).allTopicNames().get()
                    .get(mail.core.event.Topics.MAIL_RECEIVED).partitions().size();
        }
    }

    /** Stores {@code n} distinct small messages in parallel and returns the events (not yet published). */
    static List<MailReceived> burst(Fixtures fx, int n, List<String> recipients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<MessageRef>> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            refs.add(pool.submit(() -> fx.store(Fixtures.message("sender@remote.example", recipients.get(0), "burst " + k,
                    "message number " + k + " of a burst"))));
        }
        List<Recipient> rcpts = recipients.stream().map(Recipient::of).toList();
        List<MailReceived> events = new ArrayList<>();
        for (Future<MessageRef> f : refs) {
            events.add(Fixtures.received(f.get(), "sender@remote.example", rcpts, null));
        }
        pool.shutdown();
        return events;
    }

    static void publishAll(Fixtures fx, List<MailReceived> events) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (MailReceived e : events) {
            sent.add(fx.publisher.publish(Topics.MAIL_RECEIVED, e.kafkaKey(), e));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).join();
    }

    static long stored(MongoDatabase db, String accountId) {
        return db.getCollection(StoreSchema.MESSAGES).countDocuments(Filters.eq(Messages.ACCOUNT_ID, accountId));
    }

    /**
     * Every event is in the account's INBOX exactly once, UIDs are unique, and in UID order the MODSEQs ascend too
     * (the allocation happened in one order). Returns the UIDs in order.
     */
    static List<Long> assertExactlyOnce(MongoDatabase db, String accountId, List<MailReceived> events) {
        List<Document> docs = db.getCollection(StoreSchema.MESSAGES).find(Filters.eq(Messages.ACCOUNT_ID, accountId))
                .sort(new Document(Messages.UID, 1)).into(new ArrayList<>());
        Map<String, Integer> perEvent = new HashMap<>();
        for (Document d : docs) {
            String key = d.getString(Messages.DELIVERY_KEY);
            perEvent.merge(key.substring(0, key.indexOf('/')), 1, Integer::sum);
        }
        Set<String> expected = new HashSet<>();
        events.forEach(e -> expected.add(e.id()));
        assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(perEvent.values()).containsOnly(1);
        List<Long> uids = docs.stream().map(d -> d.getLong(Messages.UID)).toList();
        assertThat(uids).doesNotHaveDuplicates().isSorted();
        List<Long> modSeqs = docs.stream().map(d -> d.getLong(Messages.MODSEQ)).toList();
        for (int i = 1; i < modSeqs.size(); i++) {
            assertThat(modSeqs.get(i)).as("modseq of uid %d", uids.get(i)).isGreaterThan(modSeqs.get(i - 1));
        }
        return uids;
    }

    static MongoClient mongo(String uri) {
        return MongoClients.create(uri);
    }
}
