package mail.core.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mail.core.mongo.MongoSchema;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared ledger of authentication failures on the MongoDB-compatible server, through the official driver. */
class AuthFailureLedgerTest {
    private static MongoClient client;
    private static MongoDatabase db;
    static final AuthFailureLedger.Settings SETTINGS = new AuthFailureLedger.Settings(Duration.ofMinutes(10), 5, 8, Duration.ofMinutes(15));

    final Instant t0 = Instant.parse("2026-11-29T12:00:00Z");
    AuthFailureLedger ledger;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("core_abuse_test_" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, List.of(AuthFailureLedger.spec()));
    }

    @AfterAll
    static void close() {
        db.drop();
        client.close();
    }

    @BeforeEach
    void fresh() {
        db.getCollection(AuthFailureLedger.COLLECTION).deleteMany(new org.bson.Document());
        ledger = new AuthFailureLedger(db, SETTINGS);
    }

    @Test
    void aClientNetworkIsBlockedAtItsThresholdForTheBlockTime() {
        for (int i = 0; i < 4; i++) {
            ledger.failure("192.0.2.7", "user" + i + "@example.org", t0.plusSeconds(i));
        }
        assertThat(ledger.blocked(t0.plusSeconds(5))).isEmpty();
        ledger.failure("192.0.2.7", "user9@example.org", t0.plusSeconds(5));
        List<AuthFailureLedger.Entry> blocked = ledger.blocked(t0.plusSeconds(6));
        assertThat(blocked).extracting(AuthFailureLedger.Entry::key).containsExactly("ip:192.0.2.7");
        assertThat(blocked.get(0).failures()).isEqualTo(5);
        assertThat(blocked.get(0).blockedUntil()).contains(t0.plusSeconds(5).plus(SETTINGS.blockFor()));
        assertThat(ledger.blocked(t0.plusSeconds(5).plus(SETTINGS.blockFor()))).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            ledger.failure("192.0.2.8", null, t0);
        }
        Instant later = t0.plus(SETTINGS.window()).plusSeconds(1);
        ledger.failure("192.0.2.8", null, later);
        assertThat(ledger.entry("ip:192.0.2.8").get().failures()).isEqualTo(1);
        assertThat(ledger.entry("ip:192.0.2.8").get().windowStart()).isEqualTo(later);
        assertThat(ledger.blocked(later)).isEmpty();
    }

    @Test
    void anAccountIsCountedFromEveryNetworkAndASuccessForgetsOnlyTheAccount() {
        for (int i = 0; i < 7; i++) {
            ledger.failure("198.51.100." + i, "Victim@Example.org", t0);
        }
        ledger.failure("192.0.2.9", "victim@example.org", t0);
        ledger.failure("192.0.2.9", "other@example.org", t0);
        assertThat(ledger.blocked(t0)).extracting(AuthFailureLedger.Entry::key).containsExactly("account:victim@example.org");

        ledger.success("other@example.org");
        assertThat(ledger.entry("account:other@example.org")).isEmpty();
        assertThat(ledger.entry("ip:192.0.2.9").get().failures()).isEqualTo(2);
        // a success does not lift a running block
        ledger.success("victim@example.org");
        assertThat(ledger.entry("account:victim@example.org").get().blockedAt(t0)).isTrue();
    }

    @Test
    void anAdministratorLiftsABlock() {
        for (int i = 0; i < 5; i++) {
            ledger.failure("192.0.2.10", null, t0);
        }
        assertThat(ledger.lift("ip:192.0.2.10")).isTrue();
        assertThat(ledger.blocked(t0)).isEmpty();
        assertThat(ledger.lift("ip:192.0.2.10")).isFalse();
    }

    @Test
    void aBlockOutlivesTheWindowAndPurgeRemovesOnlyWhatExpired() {
        for (int i = 0; i < 5; i++) {
            ledger.failure("192.0.2.11", null, t0);
        }
        ledger.failure("192.0.2.12", null, t0);
        Instant afterWindow = t0.plus(SETTINGS.window()).plusSeconds(1);
        assertThat(ledger.purge(afterWindow)).isEqualTo(1);
        assertThat(ledger.blocked(afterWindow)).extracting(AuthFailureLedger.Entry::key).containsExactly("ip:192.0.2.11");
        // a new failure in a new window keeps the block that still runs
        ledger.failure("192.0.2.11", null, afterWindow);
        assertThat(ledger.entry("ip:192.0.2.11").get().blockedAt(afterWindow)).isTrue();
        assertThat(ledger.purge(t0.plus(SETTINGS.blockFor()).plusSeconds(1))).isEqualTo(0);
        assertThat(ledger.purge(afterWindow.plus(SETTINGS.window()).plusSeconds(1))).isEqualTo(1);
    }

    @Test
    void concurrentFailuresFromSeveralInstancesAreAllCounted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                AuthFailureLedger own = new AuthFailureLedger(db, new AuthFailureLedger.Settings(Duration.ofMinutes(10), 1000, 1000, Duration.ofMinutes(1)));
                done.add(pool.submit(() -> own.failure("203.0.113.5", "busy@example.org", t0)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ledger.entry("ip:203.0.113.5").get().failures()).isEqualTo(60);
        assertThat(ledger.entry("account:busy@example.org").get().failures()).isEqualTo(60);
    }

    @Test
    void theSharedViewBlocksOnEveryInstanceWithoutWaitingForMongoDb() {
        Clock fixed = Clock.systemUTC();
        try (LedgerAuthFailures instanceA = new LedgerAuthFailures(new AuthFailureLedger(db, SETTINGS), fixed, Duration.ofMillis(200));
             LedgerAuthFailures instanceB = new LedgerAuthFailures(new AuthFailureLedger(db, SETTINGS), fixed, Duration.ofMillis(200))) {
            for (int i = 0; i < 5; i++) {
                assertThat(instanceA.blocked("192.0.2.77", "x@example.org")).isFalse();
                instanceA.failed("192.0.2.77", "x" + i + "@example.org");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> instanceB.blocked("192.0.2.77", "anyone@example.org"));
            await().atMost(Duration.ofSeconds(10)).until(() -> instanceA.blocked("192.0.2.77", null));
            assertThat(instanceB.blocked("192.0.2.78", "anyone@example.org")).isFalse();

            new AuthFailureLedger(db, SETTINGS).lift("ip:192.0.2.77");
            await().atMost(Duration.ofSeconds(10)).until(() -> !instanceB.blocked("192.0.2.77", "anyone@example.org"));
            assertThat(instanceA.dropped()).isZero();
        }
    }
}
