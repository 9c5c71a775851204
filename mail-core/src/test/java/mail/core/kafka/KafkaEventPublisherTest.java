package mail.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mail.core.event.EventCodec;
import mail.core.event.MailEvent;
import mail.core.event.SampleEvents;
import mail.core.event.Topics;
import mail.core.runtime.PlatformTopics;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topics and publishing against a real Kafka broker. */
class KafkaEventPublisherTest {
    private static TestBroker broker;

    @BeforeAll
    static void connect() {
        broker = new TestBroker("core-test");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    void platformTopicsAreCreatedWithTheirLayoutAndCreationIsIdempotent() throws Exception {
        KafkaTopics.ensure(broker.admin, PlatformTopics.all(3, (short) 1));
        KafkaTopics.ensure(broker.admin, PlatformTopics.all(3, (short) 1));
        var described = broker.admin.describeTopics(List.of(Topics.MAIL_RECEIVED, Topics.DIRECTORY_CHANGES, "mail.received.dlq"))
                .allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(described.get(Topics.MAIL_RECEIVED).partitions()).hasSize(3);
        assertThat(described.get("mail.received.dlq").partitions()).hasSize(1);
        ConfigResource dir = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DIRECTORY_CHANGES);
        Config cfg = broker.admin.describeConfigs(List.of(dir)).all().get(30, TimeUnit.SECONDS).get(dir);
        assertThat(cfg.get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void publishedEventIsAcknowledgedAndReadBackIdentical() throws Exception {
        String topic = "core-test-" + UUID.randomUUID();
        KafkaTopics.ensure(broker.admin, List.of(TopicSpec.deleting(topic, 2, (short) 1)));
        MailEvent event = SampleEvents.mailReceived();
        EventPublisher.Published p = broker.publisher.publish(topic, event.kafkaKey(), event).get(30, TimeUnit.SECONDS);
        assertThat(p.topic()).isEqualTo(topic);
        assertThat(p.offset()).isGreaterThanOrEqualTo(0);
        broker.publisher.publishTombstone(topic, "ACCOUNT:gone@example.test").get(30, TimeUnit.SECONDS);

        List<ConsumerRecord<String, byte[]>> records = broker.readAll(topic, 2);
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
}
