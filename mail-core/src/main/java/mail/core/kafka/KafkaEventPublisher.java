package mail.core.kafka;

import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import mail.core.event.EventCodec;
import mail.core.event.MailEvent;
import mail.core.tracing.TraceHeaders;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one way events reach Kafka: an idempotent producer with acks=all, so that an acknowledged event survives a
 * broker failure and a retried send is never written twice. Values are CloudEvents in structured mode, which the
 * content-type header announces (CloudEvents Kafka protocol binding). The caller's current span, if any, travels in
 * the W3C traceparent header, so that consumers continue the sender's trace.
 */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {
    private final Producer<String, byte[]> producer;
    private final EventCodec codec;

    public KafkaEventPublisher(Producer<String, byte[]> producer, EventCodec codec) {
        this.producer = producer;
        this.codec = codec;
    }

    public static KafkaEventPublisher create(String bootstrapServers, String clientId, Duration deliveryTimeout) {
        return new KafkaEventPublisher(new KafkaProducer<>(producerConfig(bootstrapServers, clientId, deliveryTimeout),
                new StringSerializer(), new ByteArraySerializer()), new EventCodec());
    }

    public static Properties producerConfig(String bootstrapServers, String clientId, Duration deliveryTimeout) {
        long linger = 2;
        long request = Math.max(500, Math.min(deliveryTimeout.toMillis() - linger, 30_000));
        long delivery = Math.max(deliveryTimeout.toMillis(), request + linger);
        Properties p = new Properties();
        p.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
                ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // bounded: a caller waiting on an SMTP DATA must get its answer (451) while the client still listens
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(delivery)));
        return p;
    }

    @Override
    public CompletableFuture<Published> publish(String topic, String key, MailEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, codec.encode(event));
        record.headers().add(new RecordHeader("content-type", EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
        TraceHeaders.inject(Context.current(), record.headers());
        return send(record);
    }

    @Override
    public CompletableFuture<Published> publishTombstone(String topic, String key) {
        return send(new ProducerRecord<>(topic, key, null));
    }

    private CompletableFuture<Published> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Published> f = new CompletableFuture<>();
        try {
            producer.send(record, (meta, error) -> {
                if (error != null) {
                    f.completeExceptionally(error);
                } else {
                    f.complete(new Published(meta.topic(), meta.partition(), meta.offset()));
                }
            });
        } catch (RuntimeException e) {
            // metadata unavailable within max.block.ms, serialisation failure: report it the same way
            f.completeExceptionally(e);
        }
        return f;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
