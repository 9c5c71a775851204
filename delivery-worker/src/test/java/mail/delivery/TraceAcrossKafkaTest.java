package mail.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mail.core.event.EventCodec;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.Recipient;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.tracing.TraceHeaders;
import mail.delivery.local.LocalDelivery;
import mail.delivery.process.DeliveryService;
import mail.store.MailStore;
import mail.testsupport.InfraTestResource;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trace of a message crosses Kafka: an event published while a span is current (as the gateway does inside its
 * SMTP transaction span) is delivered under a span that is that span's child, and the mail.outbound request the
 * delivery publishes carries the delivery span on to the relay. Real Kafka, MongoDB-compatible server and S3; the
 * spans are read from the real OpenTelemetry SDK through an in-process exporter.
 */
@QuarkusTest
@TestProfile(TraceAcrossKafkaTest.Tracing.class)
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class TraceAcrossKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    // fresh ids per run: the topics outlive a run when the infrastructure is shared
    private static final String TRACE_ID = UUID.randomUUID().toString().replace("-", "");
    private static final String SENDER_SPAN = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("mail.message.id");

    public static final class Tracing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    private static Fixtures fx;
    private static String domain;
    private static String account;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    MailStore store;

    @Inject
    DeliveryService service;

    @BeforeEach
    void directory() {
        if (fx != null) {
            return;
        }
        fx = new Fixtures(SharedInfra.require("kafka", "mongo", "s3"));
        domain = Fixtures.uniqueDomain();
        account = "acc-trace-" + UUID.randomUUID();
        fx.domain(domain);
        fx.account("tracy@" + domain, account, 0, true);
        await().atMost(WAIT).until(() -> service.directory().map(d -> d.account("tracy@" + domain).isPresent()).orElse(false));
    }

    @AfterAll
    static void close() {
        if (fx != null) {
            fx.close();
            fx = null;
        }
    }

    @Test
    void deliverySpanIsTheChildOfTheSendersSpanAndTheOutboundRequestCarriesItOn() {
        MailReceived e = event("traced", List.of(new Recipient("tracy@" + domain, null, null),
                new Recipient("someone@remote.example", null, null)));
        Span sender = Span.wrap(SpanContext.create(TRACE_ID, SENDER_SPAN, TraceFlags.getSampled(), TraceState.getDefault()));
        try (Scope ignored = sender.makeCurrent()) {
            fx.publish(e);
        }

        SpanData delivery = awaitDeliverySpan(e);
        assertThat(delivery.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(delivery.getParentSpanId()).isEqualTo(SENDER_SPAN);
        assertThat(delivery.getParentSpanContext().isRemote()).isTrue();
        assertThat(delivery.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo(Topics.MAIL_RECEIVED);
        assertThat(store.messages().byDeliveryKey(LocalDelivery.deliveryKey(e.id(), account))).isPresent();

        // the next hop: the relay continues from the delivery span
        List<ConsumerRecord<String, byte[]>> outbound = fx.readAll(Topics.MAIL_OUTBOUND, r -> {
            Header h = r.headers().lastHeader(TraceHeaders.TRACEPARENT);
            return h != null && new String(h.value(), StandardCharsets.UTF_8).contains(TRACE_ID);
        });
        assertThat(outbound).hasSize(1);
        SpanContext next = Span.fromContext(TraceHeaders.extract(outbound.get(0).headers())).getSpanContext();
        assertThat(next.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(next.getSpanId()).isEqualTo(delivery.getSpanId());
    }

    @Test
    void anEventWithoutOrWithAMalformedTraceparentIsDeliveredUnderANewTrace() throws Exception {
        MailReceived plain = event("untraced", List.of(new Recipient("tracy@" + domain, null, null)));
        fx.publish(plain);
        MailReceived garbled = event("garbled", List.of(new Recipient("tracy@" + domain, null, null)));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MAIL_RECEIVED, garbled.kafkaKey(),
                new EventCodec().encode(garbled));
        record.headers().add(TraceHeaders.TRACEPARENT, "00-not-a-trace-01".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(KafkaEventPublisher.producerConfig(fx.infra.kafkaBootstrap(),
                "trace-test-" + UUID.randomUUID(), Duration.ofSeconds(30)), new StringSerializer(), new ByteArraySerializer())) {
            p.send(record).get(30, TimeUnit.SECONDS);
        }

        for (MailReceived e : List.of(plain, garbled)) {
            SpanData delivery = awaitDeliverySpan(e);
            assertThat(delivery.getParentSpanContext().isValid()).isFalse();
            assertThat(delivery.getTraceId()).isNotEqualTo(TRACE_ID);
            await().atMost(WAIT).until(() -> store.messages().byDeliveryKey(LocalDelivery.deliveryKey(e.id(), account)).isPresent());
        }
    }

    private SpanData awaitDeliverySpan(MailReceived e) {
        await().atMost(WAIT).until(() -> find(e).isPresent());
        return find(e).orElseThrow();
    }

    private Optional<SpanData> find(MailReceived e) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("deliver " + Topics.MAIL_RECEIVED))
                .filter(s -> e.id().equals(s.getAttributes().get(MESSAGE_ID)))
                .findFirst();
    }

    private static MailReceived event(String subject, List<Recipient> rcpts) {
        MessageRef ref = fx.store(Fixtures.message("sender@remote.example", rcpts.get(0).address(), subject, "body of " + subject));
        return Fixtures.received(ref, "sender@remote.example", rcpts, null);
    }
}
