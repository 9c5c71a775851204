package mail.smtp.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.EventCodec;
import mail.core.event.MailReceived;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.smtp.server.SmtpServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** The directory the SMTP tests rely on, published where every service reads it, and a reader for mail.received. */
final class SmtpTestSupport {
    private SmtpTestSupport() {
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    static void publishDirectory(SmtpServer server) throws Exception {
        List<DirectoryChanged> entries = List.of(
                DirectoryChanged.upserted("smtp-test", 1, new DirectorySnapshot.Domain("example.test", List.of("alias-domain.test"))),
                DirectoryChanged.upserted("smtp-test", 1, new DirectorySnapshot.Account("alice@example.test", "acc-alice", "Alice", 0, true)),
                DirectoryChanged.upserted("smtp-test", 1, new DirectorySnapshot.Account("bob@example.test", "acc-bob", "Bob", 0, true)),
                DirectoryChanged.upserted("smtp-test", 1, new DirectorySnapshot.Account("carol@example.test", "acc-carol", "Carol", 0, false)),
                DirectoryChanged.upserted("smtp-test", 1, new DirectorySnapshot.Alias("info@example.test", List.of("alice@example.test"))));
        try (KafkaEventPublisher p = KafkaEventPublisher.create(bootstrap(), "smtp-test", Duration.ofSeconds(20))) {
            for (DirectoryChanged e : entries) {
                p.publish(Topics.DIRECTORY_CHANGES, e.compactionKey(), e).get(20, TimeUnit.SECONDS);
            }
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (server.directoryLoaded() && server.directory().account("carol@example.test").isPresent()
                    && server.directory().resolve(EmailAddress.parse("info@example.test")) instanceof mail.core.directory.Resolution.Deliverable) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway's directory cache did not load the test directory");
    }

    /** Every mail.received event matching the filter, read from the beginning of the topic. */
    static List<MailReceived> received(Predicate<MailReceived> filter, int atLeast, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "smtp-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        EventCodec codec = new EventCodec();
        List<MailReceived> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.MAIL_RECEIVED));
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(300)).forEach(r -> {
                    MailReceived e = codec.decode(r.value(), MailReceived.class);
                    if (filter.test(e)) {
                        out.add(e);
                    }
                });
                if (out.size() >= atLeast && atLeast > 0) {
                    break;
                }
            }
        }
        return out;
    }
}
