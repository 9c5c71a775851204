package mail.relay.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mail.core.event.BodyType;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.mongo.MongoSchema;
import mail.relay.adapter.mongo.MongoOutboundQueue;
import mail.relay.adapter.mongo.SchemaGate;
import mail.relay.metrics.RelayMetrics;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.RestartableMongo;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mail.outbound feed while its MongoDB is down: the record it cannot queue is read again until the database is
 * back, then queued once; the feed never stops on its own (a stopped feed leaves mail.outbound unread until a restart,
 * which the liveness check would then report).
 */
class OutboundFeedOutageTest {
    private static final RestartableMongo MONGO = new RestartableMongo();
    private static InfraEndpoints infra;
    private static KafkaEventPublisher publisher;

    @BeforeAll
    static void start() {
        MONGO.start();
        infra = SharedInfra.require("kafka", "mongo");
        publisher = KafkaEventPublisher.create(infra.kafkaBootstrap(), "feed-outage-" + UUID.randomUUID(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        publisher.close();
        MONGO.stop();
    }

    private static OutboundRequested publish(String domain) {
        Instant now = Instant.now();
        OutboundRequested r = new OutboundRequested(UUID.randomUUID().toString(), "test/feed", now, UUID.randomUUID().toString(),
                MessageRef.of("0".repeat(63) + "2", 3), "a@example.test", domain, List.of(Recipient.of("b@" + domain)), null, null,
                BodyType.SEVEN_BIT, false, null, 1, now, now);
        publisher.publish(Topics.MAIL_OUTBOUND, r.kafkaKey(), r).join();
        return r;
    }

    @Test
    void aDatabaseOutageDelaysQueueingLosesNothingAndTheFeedCarriesOn() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue() && String.valueOf(r.getMessage()).contains("into the queue failed")) {
                    failures.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(OutboundFeed.class.getName());
        log.addHandler(counter);
        MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(new ConnectionString(RestartableMongo.uri()))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(2, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(2, TimeUnit.SECONDS).readTimeout(5, TimeUnit.SECONDS)).build();
        try (MongoClient client = MongoClients.create(settings)) {
            MongoDatabase db = client.getDatabase("relay-feed-outage");
            MongoOutboundQueue queue = new MongoOutboundQueue(db);
            AtomicInteger wakeUps = new AtomicInteger();
            OutboundFeed feed = new OutboundFeed(infra.kafkaBootstrap(), "feed-outage-" + UUID.randomUUID(), queue,
                    new RelayMetrics(new SimpleMeterRegistry(), Map::of), wakeUps::incrementAndGet, Clock.systemUTC(), Duration.ofSeconds(10), OpenTelemetry.noop().getTracer("test"),
                    new SchemaGate(() -> MongoSchema.ensure(db, List.of(MongoOutboundQueue.spec()))));
            Thread thread = new Thread(feed, "relay-feed-outage-test");
            thread.start();
            try {
                // a new group reads the topic from its start (other tests' records too): this one shows it has caught up
                OutboundRequested before = publish("before.test");
                await().atMost(Duration.ofSeconds(90)).until(() -> queue.find(before.id()).isPresent());

                RestartableMongo.down();
                OutboundRequested during = publish("during.test");
                await().atMost(Duration.ofSeconds(90)).until(() -> failures.get() >= 2);
                assertThat(feed.alive()).as("the feed keeps trying while the database is down").isTrue();

                RestartableMongo.up();
                await().atMost(Duration.ofSeconds(90)).until(() -> queue.find(during.id()).isPresent());
                assertThat(queue.list(new mail.relay.queue.OutboundQueue.Filter(null, null, "during.test", null), 10))
                        .as("queued once, however often it was read").hasSize(1);
                assertThat(wakeUps.get()).as("the workers were told of new work").isPositive();
                assertThat(feed.alive()).isTrue();
            } finally {
                feed.close();
                thread.join(TimeUnit.SECONDS.toMillis(20));
                log.removeHandler(counter);
            }
            assertThat(thread.isAlive()).isFalse();
            assertThat(feed.alive()).as("a closed feed reports itself stopped").isFalse();
            db.drop();
        }
    }
}
