package mail.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mail.core.event.MailEvent;
import mail.core.event.SampleEvents;
import mail.core.tracing.TraceHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher carries the caller's span to the consumer in a W3C traceparent header, through a real broker. */
class KafkaEventPublisherTraceTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";

    private static TestBroker broker;

    @BeforeAll
    static void connect() {
        broker = new TestBroker("core-trace-test");
    }

    @AfterAll
    static void close() {
        broker.close();
    }

    @Test
    void aCurrentSpanTravelsAsTraceparentAndNoSpanMeansNoHeader() throws Exception {
        String topic = "core-trace-" + UUID.randomUUID();
        KafkaTopics.ensure(broker.admin, List.of(TopicSpec.deleting(topic, 1, (short) 1)));
        MailEvent traced = SampleEvents.mailReceived();
        Span span = Span.wrap(SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
        try (Scope ignored = span.makeCurrent()) {
            broker.publisher.publish(topic, "traced", traced).get(30, TimeUnit.SECONDS);
        }
        broker.publisher.publish(topic, "untraced", traced).get(30, TimeUnit.SECONDS);

        List<ConsumerRecord<String, byte[]>> records = broker.readAll(topic, 2);
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
}
