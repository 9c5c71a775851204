package mail.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The build's real broker with an admin client and a publisher of ours, and a fresh consumer to read a topic back. */
final class TestBroker implements AutoCloseable {
    final String bootstrap;
    final Admin admin;
    final KafkaEventPublisher publisher;
    private final String clientId;

    TestBroker(String clientId) {
        this.clientId = clientId;
        this.bootstrap = SharedInfra.require("kafka").kafkaBootstrap();
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.publisher = KafkaEventPublisher.create(bootstrap, clientId, Duration.ofSeconds(20));
    }

    /** Reads the topic from its start in a group of its own until the expected number of records have come. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, clientId + "-" + UUID.randomUUID());
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

    @Override
    public void close() {
        publisher.close();
        admin.close();
    }
}
