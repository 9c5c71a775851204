package mail.imap.adapter.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import mail.core.event.EventCodec;
import mail.core.event.MailboxChanged;
import mail.core.event.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Every {@code mailbox.changes} event from now on, to the sessions of the account it names. Each instance reads all
 * partitions itself (assigned, no consumer group, starting at the end): a change matters to every instance that has a
 * session of that account, and a session that missed one while the instance started catches up by reading MongoDB,
 * which is the source of truth; the event is only the nudge.
 */
public final class MailboxChangeFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MailboxChangeFeed.class);

    private static final long MIN_PAUSE_MS = 500;
    private static final long MAX_PAUSE_MS = 30_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final Map<String, Set<Consumer<MailboxChanged>>> listeners = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private final AtomicLong failures = new AtomicLong();

    private MailboxChangeFeed(String bootstrapServers) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "imap-changes-" + ProcessHandle.current().pid(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100"));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "mailbox-change-feed");
        this.thread.setDaemon(true);
    }

    public static MailboxChangeFeed start(String bootstrapServers) {
        MailboxChangeFeed f = new MailboxChangeFeed(bootstrapServers);
        f.thread.start();
        return f;
    }

    /** Calls {@code listener} (on the feed's thread: hand the work to the session) for each change of the account. */
    public AutoCloseable subscribe(String accountId, Consumer<MailboxChanged> listener) {
        listeners.computeIfAbsent(accountId, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(accountId, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether the feed reads the topic (for readiness and tests). */
    public boolean assigned() {
        return assigned;
    }

    /**
     * Never gives up: a broker that is slow to answer at start (metadata timeouts on a loaded machine) or goes away
     * later only delays the nudges, with a growing pause between attempts; sessions re-read MongoDB on NOOP and IDLE.
     */
    private void run() {
        long pause = MIN_PAUSE_MS;
        try {
            while (running) {
                try {
                    if (!assigned && !assign()) {
                        Thread.sleep(MIN_PAUSE_MS);
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                        dispatch(r);
                    }
                    pause = MIN_PAUSE_MS;
                } catch (KafkaException e) {
                    if (e instanceof WakeupException) {
                        throw e;
                    }
                    failures.incrementAndGet();
                    LOG.warnf("mailbox change feed: %s; trying again in %d ms", e.toString(), pause);
                    Thread.sleep(pause);
                    pause = Math.min(MAX_PAUSE_MS, pause * 2);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("mailbox change feed stopped; sessions fall back to reading MongoDB on NOOP and IDLE", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Failed attempts to read the topic since start (for metrics and tests). */
    public long failures() {
        return failures.get();
    }

    private boolean assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.MAILBOX_CHANGES, Duration.ofSeconds(5));
        if (infos == null || infos.isEmpty()) {
            return false;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo i : infos) {
            partitions.add(new TopicPartition(i.topic(), i.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        for (TopicPartition tp : partitions) {
            consumer.position(tp); // resolves the end offsets now, so nothing published after this is skipped
        }
        assigned = true;
        return true;
    }

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        Set<Consumer<MailboxChanged>> set = r.key() == null ? null : listeners.get(r.key());
        if (set == null || r.value() == null) {
            return;
        }
        MailboxChanged change;
        try {
            change = codec.decode(r.value(), MailboxChanged.class);
        } catch (RuntimeException e) {
            LOG.debugf("unreadable mailbox.changes record at %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
            return;
        }
        for (Consumer<MailboxChanged> l : set) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("mailbox change listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
