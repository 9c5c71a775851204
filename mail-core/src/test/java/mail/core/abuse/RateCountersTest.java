package mail.core.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mail.core.mongo.MongoSchema;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shared rate counters on the MongoDB-compatible server, through the official driver. */
class RateCountersTest {
    private static MongoClient client;
    private static MongoDatabase db;
    static final Duration HOUR = Duration.ofHours(1);
    /** The start of an hour window, so the tests know how much of the previous window still counts. */
    final Instant t0 = Instant.parse("2026-11-29T12:00:00Z");

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("core_rate_test_" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, List.of(RateCounters.spec()));
    }

    @AfterAll
    static void close() {
        db.drop();
        client.close();
    }

    @BeforeEach
    void fresh() {
        db.getCollection(RateCounters.COLLECTION).deleteMany(new Document());
    }

    @Test
    void chargesUpToTheLimitAndNothingBeyond() {
        RateCounters c = new RateCounters(db);
        for (int i = 0; i < 3; i++) {
            assertThat(c.tryCharge("ip:192.0.2.1", HOUR, 3, 1, t0.plusSeconds(i))).isTrue();
        }
        assertThat(c.tryCharge("ip:192.0.2.1", HOUR, 3, 1, t0.plusSeconds(10))).isFalse();
        assertThat(c.tryCharge("ip:192.0.2.1", HOUR, 3, 1, t0.plusSeconds(11))).isFalse();
        // a refused charge is not counted
        assertThat(c.usage("ip:192.0.2.1", HOUR, t0.plusSeconds(12))).isEqualTo(3);
    }

    @Test
    void anAmountThatDoesNotFitIsRefusedWholeWhileASmallerOneFits() {
        RateCounters c = new RateCounters(db);
        assertThat(c.tryCharge("account:a@example.org", HOUR, 10, 8, t0)).isTrue();
        assertThat(c.tryCharge("account:a@example.org", HOUR, 10, 3, t0)).isFalse();
        assertThat(c.tryCharge("account:a@example.org", HOUR, 10, 2, t0)).isTrue();
        assertThat(c.usage("account:a@example.org", HOUR, t0)).isEqualTo(10);
        assertThat(c.tryCharge("account:b@example.org", HOUR, 10, 11, t0)).isFalse();
        assertThat(c.usage("account:b@example.org", HOUR, t0)).isZero();
    }

    @Test
    void keysAndWindowLengthsAreCountedApart() {
        RateCounters c = new RateCounters(db);
        c.charge("ip:192.0.2.2", HOUR, 5, t0);
        assertThat(c.usage("ip:192.0.2.3", HOUR, t0)).isZero();
        assertThat(c.usage("ip:192.0.2.2", Duration.ofDays(1), t0)).isZero();
        assertThat(c.usage("ip:192.0.2.2", HOUR, t0)).isEqualTo(5);
    }

    @Test
    void thePreviousWindowCountsForThePartThatStillOverlaps() {
        RateCounters c = new RateCounters(db);
        c.charge("ip:192.0.2.4", HOUR, 100, t0.minusSeconds(10));
        // a quarter into the next window, three quarters of the previous one are still within the last hour
        assertThat(c.usage("ip:192.0.2.4", HOUR, t0.plus(Duration.ofMinutes(15)))).isEqualTo(75);
        assertThat(c.tryCharge("ip:192.0.2.4", HOUR, 100, 26, t0.plus(Duration.ofMinutes(15)))).isFalse();
        assertThat(c.tryCharge("ip:192.0.2.4", HOUR, 100, 25, t0.plus(Duration.ofMinutes(15)))).isTrue();
        // two windows later nothing of it is left
        assertThat(c.usage("ip:192.0.2.4", HOUR, t0.plus(HOUR))).isEqualTo(25);
        assertThat(c.usage("ip:192.0.2.4", HOUR, t0.plus(HOUR.multipliedBy(2)))).isZero();
    }

    @Test
    void twoInstancesRacingForTheLastUnitsGetExactlyTheLimit() throws Exception {
        RateCounters one = new RateCounters(db);
        RateCounters two = new RateCounters(db);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> granted = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                RateCounters c = i % 2 == 0 ? one : two;
                granted.add(pool.submit(() -> c.tryCharge("ip:192.0.2.5", HOUR, 25, 1, t0)));
            }
            int yes = 0;
            for (Future<Boolean> f : granted) {
                yes += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(yes).isEqualTo(25);
            assertThat(two.usage("ip:192.0.2.5", HOUR, t0)).isEqualTo(25);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void purgeDeletesWindowsNobodyReadsAnyMore() {
        RateCounters c = new RateCounters(db);
        c.charge("ip:192.0.2.6", HOUR, 1, t0);
        c.charge("ip:192.0.2.6", HOUR, 1, t0.plus(HOUR));
        assertThat(c.purge(t0.plus(HOUR))).isZero();
        assertThat(c.purge(t0.plus(HOUR.multipliedBy(2)))).isEqualTo(1);
        assertThat(c.usage("ip:192.0.2.6", HOUR, t0.plus(HOUR))).isEqualTo(1);
        assertThat(db.getCollection(RateCounters.COLLECTION).countDocuments()).isEqualTo(1);
    }

    @Test
    void theAsynchronousLimitsShareTheStoreAndChargeOnlyWhatWasAccepted() throws Exception {
        Clock clock = Clock.fixed(t0, ZoneOffset.UTC);
        MongoRateLimits.Settings s = new MongoRateLimits.Settings(2, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMinutes(1));
        try (MongoRateLimits one = new MongoRateLimits(new RateCounters(db), clock, s);
             MongoRateLimits two = new MongoRateLimits(new RateCounters(db), clock, s)) {
            SharedRateLimits.Limit conn = new SharedRateLimits.Limit("conn:192.0.2.7", Duration.ofMinutes(1), 2);
            assertThat(one.acquire(conn).get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(two.acquire(conn).get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(one.acquire(conn).get(20, TimeUnit.SECONDS)).isFalse();
            SharedRateLimits.Limit hour = new SharedRateLimits.Limit("rcpt:a@example.org", HOUR, 5);
            SharedRateLimits.Limit day = new SharedRateLimits.Limit("rcpt:a@example.org", Duration.ofDays(1), 6);
            assertThat(one.exceeded(List.of(hour, day), 5).get(20, TimeUnit.SECONDS)).isEmpty();
            two.charge(List.of(hour, day), 4).get(20, TimeUnit.SECONDS);
            assertThat(one.exceeded(List.of(hour, day), 1).get(20, TimeUnit.SECONDS)).isEmpty();
            assertThat(one.exceeded(List.of(hour, day), 2).get(20, TimeUnit.SECONDS)).contains(hour);
            two.charge(List.of(day), 2).get(20, TimeUnit.SECONDS);
            assertThat(one.exceeded(List.of(hour, day), 1).get(20, TimeUnit.SECONDS)).contains(day);
            assertThat(one.storeFailures()).isZero();
            assertThat(two.storeFailures()).isZero();
        }
    }

    @Test
    void anUnreachableStoreLetsEverythingThroughAndCountsIt() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + deadPort))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .build();
        try (MongoClient dead = MongoClients.create(settings);
             MongoRateLimits limits = new MongoRateLimits(new RateCounters(dead.getDatabase("nowhere")), Clock.systemUTC(),
                     new MongoRateLimits.Settings(1, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1)))) {
            SharedRateLimits.Limit one = new SharedRateLimits.Limit("conn:192.0.2.8", Duration.ofMinutes(1), 1);
            assertThat(limits.acquire(one).get(20, TimeUnit.SECONDS)).isTrue();
            // skipped during the back-off: answered at once, still let through
            assertThat(limits.acquire(one).get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(limits.exceeded(List.of(one), 5).get(20, TimeUnit.SECONDS)).isEqualTo(Optional.empty());
            limits.charge(List.of(one), 3).get(20, TimeUnit.SECONDS);
            assertThat(limits.storeFailures()).isEqualTo(4);
        }
    }
}
