import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.HashSet;
import java.util.Set;
import mail.core.blob.S3BlobStore;
import mail.core.event.BodyType;
import mail.core.event.ConnectionInfo;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.ReceivedProtocol;
import mail.core.event.Recipient;
import mail.core.event.SmtpEnvelope;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import java.util.Properties;
import mail.core.event.EventCodec;
import mail.core.event.MailboxChanged;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;

/**
 * Load for the delivery-worker benchmark: publishes mail.received events (bodies stored in S3 first, as the gateway
 * does) and times when each message became visible: the arrival of its MESSAGE_ADDED on mailbox.changes, which the
 * worker publishes only after the message is written (an upper bound of when an IMAP SELECT first sees it). It also
 * reports when the store wrote it (messages.savedAt, written by the store just before the insert).
 *
 *   throughput: a backlog of N events published at once; messages visible per second from the first publish
 *   latency:    R events per second for D seconds; p50/p90/p99/max from the event's time (taken before it is
 *               published, so earlier than the gateway's 250) to its message visible, and to its message stored
 *
 * Run by bench/delivery/run.sh with delivery-worker's own classpath (target/quarkus-app/lib).
 * Args: kafka s3Endpoint s3Key s3Secret mongoUri database mode(throughput|latency) count|rate duration users label
 */
public class DeliveryLoad {
    public static void main(String[] a) throws Exception {
        String kafka = a[0], s3 = a[1], key = a[2], secret = a[3], mongoUri = a[4], database = a[5], mode = a[6];
        int countOrRate = Integer.parseInt(a[7]);
        int duration = Integer.parseInt(a[8]);
        int users = Integer.parseInt(a[9]);
        String label = a[10];
        // one run id for every stage of a bench/delivery/run.sh: the stages deliver to the same accounts, so that only
        // the warm-up pays for creating their mailboxes and the measured stages see existing users
        String run = System.getenv().getOrDefault("LOAD_RUN", UUID.randomUUID().toString().substring(0, 8));
        String domain = "bench-" + run + ".test";
        try (KafkaEventPublisher publisher = KafkaEventPublisher.create(kafka, "delivery-bench-" + run, Duration.ofSeconds(30));
             MongoClient mongo = MongoClients.create(mongoUri)) {
            S3BlobStore blobs = S3BlobStore.create(s3, key, secret, "us-east-1", "mail-messages");
            blobs.ensureBucket();
            List<String> accounts = seedDirectory(publisher, domain, users, run);
            List<MessageRef> pool = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                pool.add(blobs.put(new ByteArrayInputStream(message(domain, i))));
            }
            // the workers follow directory.changes with a 500 ms poll
            Thread.sleep(3000);
            MongoCollection<Document> messages = mongo.getDatabase(database).getCollection("messages");
            // Completion is watched on mailbox.changes, not by polling MongoDB: counting there would put a scan of
            // every stored message on the same server the workers write to, and measure the benchmark itself. The
            // watcher runs while the load is offered, so the arrival of each MESSAGE_ADDED is timed: the worker
            // publishes it only after the message and its mailbox counters are written, so its arrival is an upper
            // bound of when an IMAP SELECT could first see the message.
            Set<String> ours = new HashSet<>(accounts);
            Map<String, Long> announcedAt = new ConcurrentHashMap<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            CountDownLatch watcherReady = new CountDownLatch(1);
            Thread watcher = new Thread(() -> {
                EventCodec codec = new EventCodec();
                try (KafkaConsumer<String, byte[]> changes = changesFromNow(kafka)) {
                    watcherReady.countDown();
                    while (watching.get()) {
                        for (ConsumerRecord<String, byte[]> r : changes.poll(Duration.ofMillis(50))) {
                            long now = System.currentTimeMillis();
                            if (ours.contains(r.key()) && codec.decode(r.value()) instanceof MailboxChanged c
                                    && c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED) {
                                for (long uid : c.uids()) {
                                    announcedAt.putIfAbsent(c.mailboxId() + "/" + uid, now);
                                }
                            }
                        }
                    }
                }
            }, "mailbox-changes-watcher");
            watcher.setDaemon(true);
            watcher.start();
            watcherReady.await();
            Map<String, Long> sent = new ConcurrentHashMap<>();
            long t0 = System.currentTimeMillis();
            List<CompletableFuture<?>> acks = new ArrayList<>();
            if (mode.equals("throughput")) {
                for (int i = 0; i < countOrRate; i++) {
                    MailReceived e = event(pool.get(i % pool.size()), "u" + (i % users) + "@" + domain);
                    sent.put(e.id(), e.time().toEpochMilli());
                    acks.add(publisher.publish(Topics.MAIL_RECEIVED, e.kafkaKey(), e));
                }
            } else {
                long periodNanos = 1_000_000_000L / countOrRate;
                long start = System.nanoTime();
                long total = (long) countOrRate * duration;
                for (long i = 0; i < total; i++) {
                    long due = start + i * periodNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    MailReceived e = event(pool.get((int) (i % pool.size())),
                            "u" + ThreadLocalRandom.current().nextInt(users) + "@" + domain);
                    sent.put(e.id(), e.time().toEpochMilli());
                    acks.add(publisher.publish(Topics.MAIL_RECEIVED, e.kafkaKey(), e));
                }
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).join();
            long deadline = System.currentTimeMillis() + 900_000;
            while (announcedAt.size() < sent.size()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("only " + announcedAt.size() + " of " + sent.size() + " announced after 15 minutes");
                }
                Thread.sleep(100);
            }
            watching.set(false);
            watcher.join();
            List<Long> storedLatency = new ArrayList<>();
            List<Long> visibleLatency = new ArrayList<>();
            long last = 0;
            for (Document d : messages.find(Filters.in("accountId", accounts))
                    .projection(Projections.include("deliveryKey", "savedAt", "mailboxId", "uid"))) {
                String k = d.getString("deliveryKey");
                Long sentAt = sent.get(k.substring(0, k.indexOf('/')));
                if (sentAt == null) {
                    continue; // an earlier stage's message to the same account
                }
                long at = d.getDate("savedAt").getTime();
                Long seen = announcedAt.get(d.getString("mailboxId") + "/" + ((Number) d.get("uid")).longValue());
                if (seen == null) {
                    throw new IllegalStateException("stored but never announced: " + k);
                }
                last = Math.max(last, seen);
                storedLatency.add(at - sentAt);
                visibleLatency.add(seen - sentAt);
            }
            if (storedLatency.size() != sent.size()) {
                throw new IllegalStateException(storedLatency.size() + " of " + sent.size() + " messages stored");
            }
            Collections.sort(storedLatency);
            Collections.sort(visibleLatency);
            if (mode.equals("throughput")) {
                double secs = (last - t0) / 1000.0;
                System.out.printf(Locale.ROOT, "%s: %d messages stored and announced in %.1f s = %.1f msgs/s (p50 %d ms, p99 %d ms from publish)%n",
                        label, sent.size(), secs, sent.size() / secs, pct(visibleLatency, 50), pct(visibleLatency, 99));
            } else {
                System.out.printf(Locale.ROOT, "%s: %d msgs/s offered for %d s, %d messages: latency publish->announced "
                                + "(visible) p50 %d ms, p90 %d ms, p99 %d ms, max %d ms; publish->stored p50 %d ms, p99 %d ms%n",
                        label, countOrRate, duration, sent.size(), pct(visibleLatency, 50), pct(visibleLatency, 90),
                        pct(visibleLatency, 99), visibleLatency.get(visibleLatency.size() - 1), pct(storedLatency, 50),
                        pct(storedLatency, 99));
            }
        }
    }

    private static KafkaConsumer<String, byte[]> changesFromNow(String kafka) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo i : c.partitionsFor(Topics.MAILBOX_CHANGES, Duration.ofSeconds(30))) {
            parts.add(new TopicPartition(i.topic(), i.partition()));
        }
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static List<String> seedDirectory(KafkaEventPublisher publisher, String domain, int users, String run) {
        long revision = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        publish(publisher, DirectoryChanged.upserted("bench", revision, new DirectorySnapshot.Domain(domain, List.of())));
        for (int i = 0; i < users; i++) {
            String id = "bench-" + run + "-u" + i;
            ids.add(id);
            publish(publisher, DirectoryChanged.upserted("bench", revision,
                    new DirectorySnapshot.Account("u" + i + "@" + domain, id, null, 0, true)));
        }
        return ids;
    }

    private static void publish(KafkaEventPublisher publisher, DirectoryChanged c) {
        publisher.publish(Topics.DIRECTORY_CHANGES, c.kafkaKey(), c).join();
    }

    private static MailReceived event(MessageRef ref, String to) {
        ConnectionInfo conn = new ConnectionInfo("127.0.0.1", "bench.client", null, ReceivedProtocol.ESMTP, null, null,
                "bench-gw", Instant.now());
        return MailReceived.create("bench/delivery", ref, new SmtpEnvelope("sender@remote.example", List.of(Recipient.of(to)),
                null, null, BodyType.EIGHT_BIT_MIME, false, null), conn);
    }

    /** About 4 KB: a text part and a small attachment, so that parsing does some real work. */
    private static byte[] message(String domain, int i) {
        StringBuilder b = new StringBuilder();
        b.append("From: Sender <sender@remote.example>\r\nTo: <u1@").append(domain).append(">\r\nSubject: bench message ")
                .append(i).append("\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <").append(UUID.randomUUID())
                .append("@bench>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        for (int l = 0; l < 30; l++) {
            b.append("Line ").append(l).append(" of the benchmark message text, long enough to look like mail.\r\n");
        }
        b.append("--b\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\nContent-Disposition: attachment; filename=\"a.bin\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n\r\n");
        for (int l = 0; l < 20; l++) {
            b.append("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n");
        }
        b.append("--b--\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
