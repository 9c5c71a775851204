package mail.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mail.core.event.EventCodec;
import mail.core.event.MailEvent;
import mail.core.event.SampleEvents;
import mail.core.event.Topics;
import mail.core.runtime.PlatformTopics;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topics and publishing against a real Kafka broker. */
class KafkaEventPublisherTest {
    private static String bootstrap;
    private static Admin admin;
    private static KafkaEventPublisher publisher;

    @BeforeAll
    static void connect() {
        bootstrap = SharedInfra.require("kafka").kafkaBootstrap();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        publisher = KafkaEventPublisher.create(bootstrap, "core-test", Duration.ofSeconds(20));
    }

    @AfterAll
    static void close() {
        publisher.close();
        admin.close();
    }

    @Test
    void platformTopicsAreCreatedWithTheirLayoutAndCreationIsIdempotent() throws Exception {
        KafkaTopics.ensure(admin, PlatformTopics.all(3, (short) 1));
        KafkaTopics.ensure(admin, PlatformTopics.all(3, (short) 1));
        var described = admin.describeTopics(List.of(Topics.MAIL_RECEIVED, Topics.DIRECTORY_CHANGES, "mail.received.dlq"))
                .allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(described.get(Topics.MAIL_RECEIVED).partitions()).hasSize(3);
        assertThat(described.get("mail.received.dlq").partitions()).hasSize(1);
        ConfigResource dir = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DIRECTORY_CHANGES);
        Config cfg = admin.describeConfigs(List.of(dir)).all().get(30, TimeUnit.SECONDS).get(dir);
        assertThat(cfg.get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void publishedEventIsAcknowledgedAndReadBackIdentical() throws Exception {
        String topic = "core-test-" + UUID.randomUUID();
        KafkaTopics.ensure(admin, List.of(TopicSpec.deleting(topic, 2, (short) 1)));
        MailEvent event = SampleEvents.mailReceived();
        EventPublisher.Published p = publisher.publish(topic, event.kafkaKey(), event).get(30, TimeUnit.SECONDS);
        assertThat(p.topic()).isEqualTo(topic);
        assertThat(p.offset()).isGreaterThanOrEqualTo(0);
        publisher.publishTombstone(topic, "ACCOUNT:gone@example.test").get(30, TimeUnit.SECONDS);

        List<ConsumerRecord<String, byte[]>> records = readAll(topic, 2);
        ConsumerRecord<String, byte[]> first = records.stream().filter(r -> r.value() != null).findFirst().orElseThrow();
        assertThat(first.key()).isEqualTo(event.kafkaKey());
        assertThat(new EventCodec().decode(first.value())).isEqualTo(event);
        assertThat(new String(first.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .startsWith("application/cloudevents+json");
        assertThat(records).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo("ACCOUNT:gone@example.test");
            assertThat(r.value()).isNull();
        });
    }

    @Test
    void unreachableBrokerFailsThePublishInsteadOfHanging() {
        try (KafkaEventPublisher down = KafkaEventPublisher.create("127.0.0.1:1", "core-test-down", Duration.ofSeconds(2))) {
            var f = down.publish("anything", "k", SampleEvents.mailReceived());
            assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "core-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        assertThat(out).hasSize(expected);
        return out;
    }
}
