package mail.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mail.core.event.MailEvent;
import mail.core.event.SampleEvents;
import mail.core.tracing.TraceHeaders;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher carries the caller's span to the consumer in a W3C traceparent header, through a real broker. */
class KafkaEventPublisherTraceTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private static String bootstrap;
    private static Admin admin;
    private static KafkaEventPublisher publisher;

    @BeforeAll
    static void connect() {
        bootstrap = SharedInfra.require("kafka").kafkaBootstrap();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        publisher = KafkaEventPublisher.create(bootstrap, "core-trace-test", Duration.ofSeconds(20));
    }

    @AfterAll
    static void close() {
        publisher.close();
        admin.close();
    }

    @Test
    void aCurrentSpanTravelsAsTraceparentAndNoSpanMeansNoHeader() throws Exception {
        String topic = "core-trace-" + UUID.randomUUID();
        KafkaTopics.ensure(admin, List.of(TopicSpec.deleting(topic, 1, (short) 1)));
        MailEvent traced = SampleEvents.mailReceived();
        Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
        try (Scope ignored = span.makeCurrent()) {
            publisher.publish(topic, "traced", traced).get(30, TimeUnit.SECONDS);
        }
        publisher.publish(topic, "untraced", traced).get(30, TimeUnit.SECONDS);

        List<ConsumerRecord<String, byte[]>> records = readAll(topic, 2);
        ConsumerRecord<String, byte[]> withSpan = records.stream().filter(r -> r.key().equals("traced")).findFirst().orElseThrow();
        ConsumerRecord<String, byte[]> without = records.stream().filter(r -> r.key().equals("untraced")).findFirst().orElseThrow();

        Header parent = withSpan.headers().lastHeader(TraceHeaders.TRACEPARENT);
        assertThat(parent).isNotNull();
        assertThat(new String(parent.value(), StandardCharsets.UTF_8)).isEqualTo("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
        SpanContext extracted = Span.fromContext(TraceHeaders.extract(withSpan.headers())).getSpanContext();
        assertThat(extracted.isRemote()).isTrue();
        assertThat(extracted.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(extracted.getSpanId()).isEqualTo(SPAN_ID);

        assertThat(without.headers().lastHeader(TraceHeaders.TRACEPARENT)).isNull();
        assertThat(Span.fromContext(TraceHeaders.extract(without.headers())).getSpanContext().isValid()).isFalse();
        // the content type is still there on both: tracing adds a header, it replaces none
        assertThat(without.headers().lastHeader("content-type")).isNotNull();
    }

    @Test
    void storedTraceparentRoundTripsAndMalformedOnesAreIgnored() {
        Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
        String stored;
        try (Scope ignored = span.makeCurrent()) {
            stored = TraceHeaders.currentTraceparent().orElseThrow();
        }
        assertThat(TraceHeaders.currentTraceparent()).isEmpty();
        SpanContext back = TraceHeaders.spanContext(stored);
        assertThat(back.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(back.getSpanId()).isEqualTo(SPAN_ID);
        assertThat(TraceHeaders.spanContext(null).isValid()).isFalse();
        assertThat(TraceHeaders.spanContext("").isValid()).isFalse();
        assertThat(TraceHeaders.spanContext("00-zz-00f067aa0ba902b7-01").isValid()).isFalse();
        assertThat(TraceHeaders.spanContext("00-" + TRACE_ID + "-" + SPAN_ID).isValid()).isFalse();
        assertThat(TraceHeaders.spanContext("00-00000000000000000000000000000000-" + SPAN_ID + "-01").isValid()).isFalse();
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "core-trace-test-" + UUID.randomUUID());
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
