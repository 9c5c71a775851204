package mail.delivery.adapter.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.delivery.process.TransientFailure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Copies a record that can never be delivered to {@code <topic>.dlq}, byte for byte (it may not even decode), with
 * the reason and its origin in headers, so an operator can inspect it and re-publish it once fixed.
 */
public final class DeadLetters implements AutoCloseable {
    public static final String REASON = "dlq-reason";
    public static final String ORIGIN = "dlq-origin";

    private final Producer<String, byte[]> producer;
    private final Duration timeout;

    public DeadLetters(String bootstrapServers, String clientId, Duration timeout) {
        this.producer = new KafkaProducer<>(KafkaEventPublisher.producerConfig(bootstrapServers, clientId, timeout),
                new StringSerializer(), new ByteArraySerializer());
        this.timeout = timeout;
    }

    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetterTopic(record.topic()), record.key(), record.value());
        for (Header h : record.headers()) {
            dead.headers().add(h);
        }
        dead.headers().add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add(ORIGIN, (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(dead).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new TransientFailure("dead-letter topic not writable: " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
