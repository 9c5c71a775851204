package mail.delivery;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mail.core.blob.S3BlobStore;
import mail.core.event.BodyType;
import mail.core.event.ConnectionInfo;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.DsnNotify;
import mail.core.event.DsnReturn;
import mail.core.event.EventCodec;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.OriginalRecipient;
import mail.core.event.ReceivedProtocol;
import mail.core.event.Recipient;
import mail.core.event.SmtpEnvelope;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.core.kafka.KafkaEventPublisher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import mail.testsupport.InfraEndpoints;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sets up directories, stores raw messages and publishes events on the real infrastructure, as the gateway would. */
final class Fixtures implements AutoCloseable {
    static final String SOURCE = "test/delivery";

    final InfraEndpoints infra;
    final KafkaEventPublisher publisher;
    final S3BlobStore blobs;
    private final EventCodec codec = new EventCodec();
    private long revision = System.currentTimeMillis();

    Fixtures(InfraEndpoints infra) {
        this.infra = infra;
        this.publisher = KafkaEventPublisher.create(infra.kafkaBootstrap(), "delivery-test-" + UUID.randomUUID(), Duration.ofSeconds(30));
        this.blobs = S3BlobStore.create(infra.s3Endpoint(), infra.s3AccessKey(), infra.s3SecretKey(), "us-east-1", "mail-messages");
        blobs.ensureBucket();
    }

    static String uniqueDomain() {
        return "d" + UUID.randomUUID().toString().substring(0, 8) + ".test";
    }

    void domain(String name, String... aliasDomains) {
        publish(DirectoryChanged.upserted(SOURCE, ++revision, new DirectorySnapshot.Domain(name, List.of(aliasDomains))));
    }

    void account(String address, String accountId, long quotaBytes, boolean enabled) {
        publish(DirectoryChanged.upserted(SOURCE, ++revision,
                new DirectorySnapshot.Account(address, accountId, null, quotaBytes, enabled)));
    }

    /** An account whose setting asks for a copy of its submissions in its Sent mailbox. */
    void accountSavingSent(String address, String accountId, long quotaBytes) {
        publish(DirectoryChanged.upserted(SOURCE, ++revision,
                new DirectorySnapshot.Account(address, accountId, null, quotaBytes, true, null, null, true)));
    }

    void alias(String address, String... targets) {
        publish(DirectoryChanged.upserted(SOURCE, ++revision, new DirectorySnapshot.Alias(address, List.of(targets))));
    }

    void group(String address, String... members) {
        publish(DirectoryChanged.upserted(SOURCE, ++revision, new DirectorySnapshot.Group(address, List.of(members))));
    }

    private void publish(DirectoryChanged change) {
        publisher.publish(Topics.DIRECTORY_CHANGES, change.kafkaKey(), change).join();
    }

    static byte[] message(String from, String to, String subject, String body) {
        return ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    MessageRef store(byte[] raw) {
        return blobs.put(new ByteArrayInputStream(raw));
    }

    static MailReceived received(MessageRef ref, String sender, List<Recipient> rcpts, String authenticatedUser) {
        return received(ref, new SmtpEnvelope(sender, rcpts, null, null, BodyType.EIGHT_BIT_MIME, false, null), authenticatedUser);
    }

    static MailReceived received(MessageRef ref, SmtpEnvelope envelope, String authenticatedUser) {
        ConnectionInfo conn = new ConnectionInfo("127.0.0.1", "client.test", authenticatedUser,
                authenticatedUser == null ? ReceivedProtocol.ESMTP : ReceivedProtocol.ESMTPA, null, null, "gw.test", Instant.now());
        return MailReceived.create(SOURCE, ref, envelope, conn);
    }

    static SmtpEnvelope dsnEnvelope(String sender, Recipient rcpt, DsnReturn ret, String envId) {
        return new SmtpEnvelope(sender, List.of(rcpt), ret, envId, BodyType.EIGHT_BIT_MIME, false, null);
    }

    static Recipient rcpt(String address, Set<DsnNotify> notify, String orcpt) {
        return new Recipient(address, notify, orcpt == null ? null : OriginalRecipient.rfc822(orcpt));
    }

    EventPublisher.Published publish(MailReceived event) {
        return publisher.publish(Topics.MAIL_RECEIVED, event.kafkaKey(), event).join();
    }

    /** Waits until the group has committed past the record: the worker has completely handled it. */
    void awaitHandled(String group, EventPublisher.Published record) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(p)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).get(tp);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }

    void publishRaw(String topic, String key, byte[] value) throws Exception {
        Properties p = KafkaEventPublisher.producerConfig(infra.kafkaBootstrap(), "raw-" + UUID.randomUUID(), Duration.ofSeconds(30));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every record of the topic so far (from the beginning), read by a throwaway consumer. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic, Predicate<ConsumerRecord<String, byte[]>> filter) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(topic, Duration.ofSeconds(10))) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (filter.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    <T> List<T> events(String topic, Class<T> type, Predicate<T> filter) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : readAll(topic, r -> r.value() != null)) {
            try {
                Object e = codec.decode(r.value());
                if (type.isInstance(e) && filter.test(type.cast(e))) {
                    out.add(type.cast(e));
                }
            } catch (RuntimeException ignored) {
                // poison records of other tests
            }
        }
        return out;
    }

    /** Makes a new consumer group start at the current end of mail.received, so it skips what earlier tests sent. */
    void startGroupAtEnd(String group) {
        Properties p = new Properties();
        p.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(), ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(Topics.MAIL_RECEIVED, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(Topics.MAIL_RECEIVED, i.partition()));
            }
            Map<TopicPartition, OffsetAndMetadata> at = new java.util.HashMap<>();
            c.endOffsets(parts).forEach((tp, off) -> at.put(tp, new OffsetAndMetadata(off)));
            c.commitSync(at);
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
