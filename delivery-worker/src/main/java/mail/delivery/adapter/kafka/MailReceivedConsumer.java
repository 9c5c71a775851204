package mail.delivery.adapter.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import mail.core.event.EventCodec;
import mail.core.event.MailEvent;
import mail.core.event.MailReceived;
import mail.core.event.Topics;
import mail.core.logging.LogContext;
import mail.core.tracing.TraceHeaders;
import mail.delivery.metrics.DeliveryMetrics;
import mail.delivery.process.EventProcessor;
import mail.delivery.process.Kafka;
import mail.delivery.process.PermanentFailure;
import mail.delivery.process.TransientFailure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The mail.received consumer of one worker copy. At-least-once: an offset is committed only once every record
 * before it is fully handled (delivered, or dead-lettered). Partitions are handled in parallel, each in order: a
 * partition's batch goes to a delivery thread and the partition is paused until that batch is done, while the
 * polling thread goes on feeding the other partitions (no partition waits for the slowest of a poll). When a record
 * fails transiently its partition is rewound to that record and stays paused for a back-off, so nothing behind it
 * is skipped; other partitions carry on.
 */
public final class MailReceivedConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(MailReceivedConsumer.class);
    private static final int MAX_REASON = 500;

    /**
     * @param commitInterval how long handled offsets may wait before they are committed together; a crash redelivers
     *                       at most that much, which the idempotent store finds done
     */
    public record Settings(String bootstrapServers, String groupId, int maxPollRecords, int concurrency, int maxAttempts,
                           int blobMissingAttempts, Duration retryInitial, Duration retryMax, Duration sessionTimeout,
                           Duration publishTimeout, Duration commitInterval) {
    }

    private final Settings settings;
    private final EventProcessor processor;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    private final Tracer tracer;
    private final EventCodec codec = new EventCodec();
    private final KafkaConsumer<String, byte[]> consumer;
    private final ExecutorService pool;
    private final Map<TopicPartition, Backoff> paused = new HashMap<>();
    // batches being handled, one per partition at most (the partition is paused meanwhile); polling thread only
    private final Map<TopicPartition, Future<Outcome>> inFlight = new HashMap<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    // handled but not yet committed; touched only by the polling thread
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private long lastCommit = System.nanoTime();
    private volatile boolean running = true;

    /** @param tracer continues the trace named by each record's traceparent header (a no-op tracer when tracing is off) */
    public MailReceivedConsumer(Settings settings, EventProcessor processor, DeadLetters deadLetters, DeliveryMetrics metrics,
                                Tracer tracer) {
        this.settings = settings;
        this.tracer = tracer;
        this.processor = processor;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "delivery-worker-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxPollRecords()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(settings.sessionTimeout().toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(1000, settings.sessionTimeout().toMillis() / 5)));
        // cooperative: a copy joining or leaving moves only the partitions that change owner, the rest keep flowing
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.MAIL_RECEIVED), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // what this copy handled must be committed before the next owner starts from the committed offset,
                    // including the batches still being handled
                    for (TopicPartition tp : partitions) {
                        Future<Outcome> f = inFlight.remove(tp);
                        if (f != null) {
                            finished(tp, outcome(f), true);
                        }
                    }
                    commit(partitions);
                    partitions.forEach(paused::remove);
                    metrics.partitions(consumer.assignment().size() - partitions.size());
                    LOG.infof("partitions revoked: %s", partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    // no longer ours: a commit would be refused; the new owner redoes those records, found done
                    partitions.forEach(uncommitted::remove);
                    partitions.forEach(inFlight::remove);
                    partitions.forEach(paused::remove);
                    metrics.partitions(consumer.assignment().size() - partitions.size());
                    LOG.warnf("partitions lost: %s", partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    metrics.partitions(consumer.assignment().size());
                    LOG.infof("partitions assigned: %s", partitions);
                }
            });
            metrics.consuming(true);
            LOG.infof("delivery consumer started in group %s", settings.groupId());
            while (running) {
                resumeDue();
                // short polls while batches are out, so that a finished partition is resumed promptly
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(inFlight.isEmpty() ? 200 : 5));
                if (!records.isEmpty()) {
                    handle(records);
                }
                reapFinished();
                if (System.nanoTime() - lastCommit >= settings.commitInterval().toNanos()) {
                    commit(List.copyOf(uncommitted.keySet()));
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("delivery consumer stopped by an unexpected error", e);
        } finally {
            try {
                // the batches out finish their current record (handlePartition stops at the next one) and count
                for (Map.Entry<TopicPartition, Future<Outcome>> e : List.copyOf(inFlight.entrySet())) {
                    finished(e.getKey(), outcome(e.getValue()), true);
                }
                inFlight.clear();
                commit(List.copyOf(uncommitted.keySet()));
            } catch (RuntimeException e) {
                LOG.warnf("final offset commit failed (%s); the handled records will be redelivered", e.toString());
            }
            metrics.consuming(false);
            metrics.partitions(0);
            pool.shutdownNow();
            consumer.close(Duration.ofSeconds(10));
        }
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> list = records.records(tp);
            // nothing more of this partition until the batch is handled: its records stay in order
            consumer.pause(List.of(tp));
            inFlight.put(tp, pool.submit(() -> handlePartition(list)));
        }
    }

    private void reapFinished() {
        List<TopicPartition> done = new ArrayList<>();
        inFlight.forEach((tp, f) -> {
            if (f.isDone()) {
                done.add(tp);
            }
        });
        for (TopicPartition tp : done) {
            finished(tp, outcome(inFlight.remove(tp)), false);
        }
    }

    private Outcome outcome(Future<Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            running = false;
            return new Outcome(-1, -1, null);
        } catch (ExecutionException ee) {
            throw new IllegalStateException("partition worker failed", ee.getCause());
        }
    }

    /** @param leaving the partition is being revoked or the consumer stops: only its offset counts */
    private void finished(TopicPartition tp, Outcome o, boolean leaving) {
        if (o.nextOffset() >= 0) {
            uncommitted.put(tp, new OffsetAndMetadata(o.nextOffset()));
        }
        if (leaving) {
            return;
        }
        if (o.failedOffset() >= 0) {
            consumer.seek(tp, o.failedOffset());
            Backoff b = paused.computeIfAbsent(tp, k -> new Backoff());
            b.failures++;
            long delay = Math.min(settings.retryMax().toMillis(), settings.retryInitial().toMillis() << Math.min(b.failures - 1, 20));
            b.resumeAt = System.nanoTime() + delay * 1_000_000;
            LOG.warnf("%s@%d failed transiently (%s); retrying in %d ms", tp, o.failedOffset(), o.reason(), delay);
        } else {
            paused.remove(tp);
            consumer.resume(List.of(tp));
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        lastCommit = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = uncommitted.remove(tp);
            if (o != null) {
                due.put(tp, o);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(due);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the records are redelivered and found done; that is the price, nothing is lost
            LOG.warnf("offset commit failed (%s); the handled records will be redelivered", e.toString());
        }
    }

    private void resumeDue() {
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        paused.forEach((tp, b) -> {
            if (b.resumeAt != 0 && now - b.resumeAt >= 0) {
                due.add(tp);
                b.resumeAt = 0;
            }
        });
        if (!due.isEmpty()) {
            consumer.resume(due);
        }
    }

    private Outcome handlePartition(List<ConsumerRecord<String, byte[]>> records) {
        long next = -1;
        List<Pending> pending = new ArrayList<>();
        Outcome outcome = null;
        for (ConsumerRecord<String, byte[]> r : records) {
            if (!running) {
                break;
            }
            String key = r.topic() + "-" + r.partition() + "@" + r.offset();
            try {
                pending.add(new Pending(r.offset(), handleRecord(r)));
                attempts.remove(key);
                next = r.offset() + 1;
            } catch (RuntimeException e) {
                FailurePolicy.Kind kind = FailurePolicy.classify(e);
                int tries = attempts.merge(key, 1, Integer::sum);
                boolean hopeless = kind == FailurePolicy.Kind.PERMANENT
                        || kind == FailurePolicy.Kind.BLOB_MISSING && tries >= settings.blobMissingAttempts()
                        || kind == FailurePolicy.Kind.UNEXPECTED && tries >= settings.maxAttempts();
                if (!hopeless) {
                    if (kind != FailurePolicy.Kind.TRANSIENT) {
                        LOG.warnf(e, "%s failed (%s, attempt %d)", key, kind, tries);
                    }
                    outcome = new Outcome(next, r.offset(), kind + ": " + e.getMessage());
                    break;
                }
                String reason = reason(kind, tries, e);
                try {
                    deadLetters.send(r, reason);
                } catch (RuntimeException dlqDown) {
                    outcome = new Outcome(next, r.offset(), dlqDown.getMessage());
                    break;
                }
                metrics.deadLettered();
                attempts.remove(key);
                LOG.errorf("%s sent to the dead-letter topic: %s", key, reason);
                next = r.offset() + 1;
            }
        }
        // a record counts as handled only once its mailbox.changes events are acknowledged; the first one that is
        // not becomes the point to resume from, and the records after it are handled again (found done, announced
        // again, which consumers treat as a no-op)
        for (Pending p : pending) {
            try {
                Kafka.await(p.announced(), settings.publishTimeout(), "mailbox.changes");
            } catch (TransientFailure e) {
                return new Outcome(p.offset(), p.offset(), e.getMessage());
            }
        }
        return outcome != null ? outcome : new Outcome(next, -1, null);
    }

    /** One span per handling of a record, child of the sender's span; its ids and the event id go on the log lines. */
    private CompletableFuture<Void> handleRecord(ConsumerRecord<String, byte[]> r) {
        Span span = tracer.spanBuilder("deliver " + r.topic())
                .setParent(TraceHeaders.extract(r.headers()))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", r.topic())
                .setAttribute("messaging.kafka.destination.partition", (long) r.partition())
                .setAttribute("messaging.kafka.message.offset", r.offset())
                .startSpan();
        // a span without ids (no tracer behind the API) is not made current: it would hide nothing useful
        try (Scope ignored = span.getSpanContext().isValid() ? span.makeCurrent() : Scope.noop();
             LogContext.Scope log = LogContext.with(LogContext.of(span))) {
            MailEvent event = codec.decode(r.value());
            span.setAttribute("mail.message.id", event.id());
            if (!(event instanceof MailReceived received)) {
                throw new PermanentFailure("unexpected event type " + event.type() + " on " + r.topic(), null);
            }
            try (LogContext.Scope id = LogContext.with(Map.of(LogContext.MESSAGE_ID, event.id()))) {
                return processor.process(received);
            }
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, FailurePolicy.classify(e).name());
            throw e;
        } finally {
            span.end();
        }
    }

    private static String reason(FailurePolicy.Kind kind, int tries, Throwable e) {
        String what = switch (kind) {
            case PERMANENT -> "permanent failure";
            case BLOB_MISSING -> "message blob missing after " + tries + " attempts";
            default -> "failed " + tries + " times";
        };
        String msg = what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
        return msg.length() > MAX_REASON ? msg.substring(0, MAX_REASON) : msg;
    }

    private record Outcome(long nextOffset, long failedOffset, String reason) {
    }

    private record Pending(long offset, CompletableFuture<Void> announced) {
    }

    private static final class Backoff {
        int failures;
        long resumeAt;
    }
}
