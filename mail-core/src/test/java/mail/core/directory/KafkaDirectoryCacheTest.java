package mail.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.kafka.KafkaTopics;
import mail.core.kafka.TopicSpec;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The directory cache loads a compacted topic from a real broker, follows it, and survives a record it cannot read. */
class KafkaDirectoryCacheTest {

    @Test
    void loadsExistingRecordsThenFollowsChangesAndTombstones() throws Exception {
        String bootstrap = SharedInfra.require("kafka").kafkaBootstrap();
        String topic = "directory-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            KafkaTopics.ensure(admin, List.of(TopicSpec.compacted(topic, 2, (short) 1)));
        }
        try (KafkaEventPublisher pub = KafkaEventPublisher.create(bootstrap, "directory-test", Duration.ofSeconds(20))) {
            DirectoryChanged domain = DirectoryChanged.upserted("test", 1, new DirectorySnapshot.Domain("example.test", List.of()));
            DirectoryChanged alice = DirectoryChanged.upserted("test", 1,
                    new DirectorySnapshot.Account("alice@example.test", "acc-alice", "Alice", 0, true));
            pub.publish(topic, domain.compactionKey(), domain).get(20, TimeUnit.SECONDS);
            pub.publish(topic, alice.compactionKey(), alice).get(20, TimeUnit.SECONDS);
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(topic, "ACCOUNT:junk@example.test", "{not json".getBytes(StandardCharsets.UTF_8))).get();
            }

            DirectoryState state = new DirectoryState();
            try (KafkaDirectoryCache cache = new KafkaDirectoryCache(bootstrap, topic, state)) {
                cache.startThread();
                assertThat(cache.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
                assertThat(state.resolve(EmailAddress.parse("alice@example.test"))).isInstanceOf(Resolution.Deliverable.class);
                assertThat(state.resolve(EmailAddress.parse("bob@example.test"))).isInstanceOf(Resolution.Unknown.class);
                assertThat(cache.malformedRecords()).isEqualTo(1);

                DirectoryChanged bob = DirectoryChanged.upserted("test", 1,
                        new DirectorySnapshot.Account("bob@example.test", "acc-bob", "Bob", 0, true));
                pub.publish(topic, bob.compactionKey(), bob).get(20, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        state.resolve(EmailAddress.parse("bob@example.test")) instanceof Resolution.Deliverable);

                pub.publishTombstone(topic, alice.compactionKey()).get(20, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        state.resolve(EmailAddress.parse("alice@example.test")) instanceof Resolution.Unknown);
            }
        }
    }
}
