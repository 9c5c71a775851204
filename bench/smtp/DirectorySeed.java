import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Seeds directory.changes with one domain and N enabled accounts (user1..userN@domain), so that the smtp-gateway's
 * directory cache accepts RCPT TO for them. A stand-in until directory-service publishes these records itself.
 *
 * <pre>
 *   java -cp "$(cat dev-infra/target/classpath.txt)" bench/smtp/DirectorySeed.java 127.0.0.1:9092 bench.test 100
 * </pre>
 *
 * The JSON is written by hand, so this file depends on kafka-clients only; it must stay byte-for-byte the shape of
 * docs/events.md (directory.changed, schemaversion 1) and GoldenJsonTest, because the gateway's codec rejects
 * anything else and would dead-letter the record instead of caching it.
 *
 * Every run writes revision 1. Consumers apply a record only if its revision is newer than the cached one, so a
 * re-run is a no-op for a running gateway (the entries are identical anyway) and is picked up after a restart,
 * when the cache is rebuilt from offset 0.
 */
public class DirectorySeed {
    private static final String TOPIC = "directory.changes";
    private static final String SOURCE = "bench-directory-seed/" + host();
    // what KafkaEventPublisher sends; consumers ignore it, but a record that looks like a real one is easier to debug
    private static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: DirectorySeed <bootstrap-servers> <domain> <n-accounts>");
            System.exit(64);
        }
        String bootstrap = args[0];
        // keys are compared byte-wise by compaction and by the cache, so only the lower-case spelling may be used
        String domain = args[1].toLowerCase(Locale.ROOT);
        int n = Integer.parseInt(args[2]);
        if (n < 0 || domain.isBlank() || domain.contains("@")) {
            System.err.println("domain must be a bare domain name and n-accounts >= 0");
            System.exit(64);
        }
        quietLogging();

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-directory-seed");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // fail within a minute rather than hang when the platform is not up
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");

        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            sent.add(send(producer, "DOMAIN", domain, domainSnapshot(domain)));
            for (int i = 1; i <= n; i++) {
                String address = "user" + i + "@" + domain;
                sent.add(send(producer, "ACCOUNT", address, accountSnapshot(address)));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        System.out.printf("published 1 DOMAIN and %d ACCOUNT records for %s to %s on %s%n", n, domain, TOPIC, bootstrap);
    }

    private static Future<RecordMetadata> send(KafkaProducer<String, byte[]> producer, String kind, String key, String snapshot) {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(TOPIC, kind + ":" + key,
                event(id, kind, key, snapshot).getBytes(StandardCharsets.UTF_8));
        r.headers().add(new RecordHeader("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8)));
        r.headers().add(new RecordHeader("ce_type", "directory.changed".getBytes(StandardCharsets.UTF_8)));
        r.headers().add(new RecordHeader("ce_id", id.getBytes(StandardCharsets.UTF_8)));
        return producer.send(r);
    }

    static String event(String id, String kind, String key, String snapshot) {
        // millisecond precision in UTC with Z, as EventCodec writes it (RFC 3339)
        String time = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return "{"
                + "\"specversion\":\"1.0\","
                + "\"id\":" + str(id) + ","
                + "\"source\":" + str(SOURCE) + ","
                + "\"type\":\"directory.changed\","
                + "\"time\":" + str(time) + ","
                + "\"datacontenttype\":\"application/json\","
                + "\"schemaversion\":1,"
                + "\"data\":{"
                + "\"kind\":" + str(kind) + ","
                + "\"key\":" + str(key) + ","
                + "\"operation\":\"UPSERTED\","
                + "\"revision\":1,"
                + "\"snapshot\":" + snapshot
                + "}}";
    }

    static String domainSnapshot(String domain) {
        return "{\"kind\":\"DOMAIN\",\"name\":" + str(domain) + ",\"aliasDomains\":[]}";
    }

    static String accountSnapshot(String address) {
        // derived from the address, so that re-seeding after a platform restart keeps the mailboxes delivered so far
        String accountId = UUID.nameUUIDFromBytes(("bench:" + address).getBytes(StandardCharsets.UTF_8)).toString();
        return "{\"kind\":\"ACCOUNT\","
                + "\"address\":" + str(address) + ","
                + "\"accountId\":" + str(accountId) + ","
                + "\"displayName\":null,"
                + "\"quotaBytes\":0,"
                + "\"enabled\":true}";
    }

    /** A JSON string literal; the domain comes from the command line, so it is escaped rather than trusted. */
    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                h = "localhost";
            }
        }
        // source must not contain whitespace (docs/events.md), and a hostname never should
        return h.replaceAll("\\s", "");
    }

    /**
     * dev-infra's classpath carries logback without a configuration, which prints every Kafka client DEBUG line.
     * Done by reflection so that this file compiles against kafka-clients alone.
     */
    private static void quietLogging() {
        try {
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory");
            Object root = factory.getMethod("getLogger", String.class).invoke(null, "ROOT");
            Class<?> level = Class.forName("ch.qos.logback.classic.Level");
            root.getClass().getMethod("setLevel", level).invoke(root, level.getField("WARN").get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            // another logging backend, or none: its own defaults apply
        }
    }
}
