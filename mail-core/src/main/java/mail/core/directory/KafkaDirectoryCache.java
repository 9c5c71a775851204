package mail.core.directory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectoryKey;
import mail.core.event.EventCodec;
import mail.core.event.EventFormatException;
import mail.core.event.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Fills a {@link DirectoryState} from the compacted directory.changes topic. Every copy of every service reads the
 * whole topic from the beginning (no consumer group: each copy needs all of it, and there is nothing to commit), then
 * follows it. The state is usable once {@link #awaitCaughtUp} returns: the records that existed at start are applied.
 */
public final class KafkaDirectoryCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaDirectoryCache.class);

    private final DirectoryState state;
    private final EventCodec codec = new EventCodec();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final List<Consumer<DirectoryKey>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong malformed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public KafkaDirectoryCache(String bootstrapServers, String topic, DirectoryState state) {
        this.state = state;
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "directory-cache-" + ProcessHandle.current().pid(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "directory-cache");
        this.thread.setDaemon(true);
    }

    public static KafkaDirectoryCache start(String bootstrapServers, DirectoryState state) {
        KafkaDirectoryCache c = new KafkaDirectoryCache(bootstrapServers, Topics.DIRECTORY_CHANGES, state);
        c.startThread();
        return c;
    }

    public void startThread() {
        thread.start();
    }

    /** Called on the cache thread after each change, e.g. to drop a cached password check of a changed account. */
    public void onChange(Consumer<DirectoryKey> listener) {
        listeners.add(listener);
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    public long malformedRecords() {
        return malformed.get();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = assignWhenTopicExists();
            if (partitions == null) {
                return;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("directory cache loaded: %d entries", state.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("directory cache stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> assignWhenTopicExists() {
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    List<TopicPartition> partitions = new ArrayList<>();
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    return partitions;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("directory.changes not reachable yet; retrying");
            }
            sleep(1000);
        }
        return null;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        DirectoryKey key;
        try {
            key = DirectoryKey.parse(r.key());
        } catch (RuntimeException e) {
            malformed.incrementAndGet();
            LOG.warnf("directory.changes record with unusable key at %s-%d@%d skipped", r.topic(), r.partition(), r.offset());
            return;
        }
        if (r.value() == null) {
            state.applyTombstone(key);
        } else {
            try {
                state.apply(codec.decode(r.value(), DirectoryChanged.class));
            } catch (EventFormatException e) {
                // a record we cannot read must not stop the cache: the rest of the directory stays correct
                malformed.incrementAndGet();
                LOG.warnf("directory.changes record %s-%d@%d skipped: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                return;
            }
        }
        for (Consumer<DirectoryKey> l : listeners) {
            try {
                l.accept(key);
            } catch (RuntimeException e) {
                LOG.warn("directory change listener failed", e);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
