package mail.relay.adapter.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import mail.core.event.EventCodec;
import mail.core.event.EventFormatException;
import mail.core.event.OutboundRequested;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.logging.LogContext;
import mail.core.tracing.TraceHeaders;
import mail.relay.metrics.RelayMetrics;
import mail.relay.queue.OutboundQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Feeds mail.outbound into the queue: insert-if-absent, and only then commit the offset. A crash before the insert
 * redelivers the record (found present, or inserted then); nothing is lost and nothing is queued twice. A record that
 * cannot be decoded goes unchanged to mail.outbound.dlq with its reason.
 */
public final class OutboundFeed implements Runnable, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboundFeed.class);
    public static final String DLQ_REASON = "dlq-reason";

    private final OutboundQueue queue;
    private final RelayMetrics metrics;
    private final Runnable onNewWork;
    private final Runnable prepare;
    private final Clock clock;
    private final Duration publishTimeout;
    private final Tracer tracer;
    private final EventCodec codec = new EventCodec();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private volatile boolean running = true;

    /** @param prepare run (until it succeeds) before the first record is queued: the queue's collection and indexes */
    public OutboundFeed(String bootstrapServers, String groupId, OutboundQueue queue, RelayMetrics metrics, Runnable onNewWork,
                        Clock clock, Duration publishTimeout, Tracer tracer, Runnable prepare) {
        this.tracer = tracer;
        this.prepare = prepare;
        this.queue = queue;
        this.metrics = metrics;
        this.onNewWork = onNewWork;
        this.clock = clock;
        this.publishTimeout = publishTimeout;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "outbound-relay-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new KafkaProducer<>(KafkaEventPublisher.producerConfig(bootstrapServers,
                "outbound-relay-dlq-" + ProcessHandle.current().pid(), publishTimeout), new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void run() {
        long pause = 250;
        try {
            consumer.subscribe(List.of(Topics.MAIL_OUTBOUND));
            while (running) {
                try {
                    pollOnce();
                    pause = 250;
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // MongoDB, the DLQ, the broker or the group coordinator not answering, or a rebalance in the middle of
                    // a rewind: a feed that gave up here would leave mail.outbound unread until the next restart
                    LOG.warnf("reading mail.outbound into the queue failed (%s); retrying in %d ms", e.toString(), pause);
                    Thread.sleep(pause);
                    pause = Math.min(10_000, pause * 2);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close(Duration.ofSeconds(5));
        }
    }

    /** One poll: every record queued (or dead-lettered), then its offset committed; on a failure the rest comes again. */
    private void pollOnce() {
        prepare.run();
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        boolean added = false;
        try {
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                    added |= handle(r);
                    done.put(tp, new OffsetAndMetadata(r.offset() + 1));
                }
            }
        } catch (RuntimeException e) {
            // rewind every partition still ours to its first unhandled record (a revoked one is read again by its new
            // owner from the committed offset), keep what was handled, and let run() wait before the next poll
            for (TopicPartition tp : records.partitions()) {
                if (consumer.assignment().contains(tp)) {
                    OffsetAndMetadata o = done.get(tp);
                    consumer.seek(tp, o != null ? o.offset() : records.records(tp).get(0).offset());
                }
            }
            commit(done);
            throw e;
        } finally {
            if (added) {
                onNewWork.run();
            }
        }
        commit(done);
    }

    /** False once the feed has stopped, by {@link #close()} or otherwise: the liveness check reports it. */
    public boolean alive() {
        return running;
    }

    private boolean handle(ConsumerRecord<String, byte[]> r) {
        OutboundRequested request;
        try {
            request = codec.decode(r.value(), OutboundRequested.class);
        } catch (EventFormatException e) {
            deadLetter(r, e.getMessage());
            return false;
        }
        // a child of the delivery span that requested it; its own traceparent is stored for the attempts to continue
        Span span = tracer.spanBuilder("enqueue " + r.topic()).setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceHeaders.extract(r.headers()))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", r.topic())
                .setAttribute("mail.message.id", request.id())
                .setAttribute("mail.relay.domain", request.domain())
                .startSpan();
        Map<String, String> fields = new HashMap<>(LogContext.of(span));
        fields.put(LogContext.MESSAGE_ID, request.id());
        try (LogContext.Scope log = LogContext.with(fields)) {
            boolean added = queue.enqueue(request, clock.instant(), TraceHeaders.traceparent(Context.root().with(span)).orElse(null));
            span.setAttribute("mail.relay.new", added);
            if (added) {
                metrics.enqueued();
            }
            return added;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetterTopic(r.topic()), r.key(), r.value());
        for (Header h : r.headers()) {
            dead.headers().add(h);
        }
        dead.headers().add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(dead).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.warnf("%s-%d@%d dead-lettered: %s", r.topic(), r.partition(), r.offset(), reason);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("dead-letter topic not writable: " + e, e);
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf("offset commit failed (%s); those records come again and are found queued", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
