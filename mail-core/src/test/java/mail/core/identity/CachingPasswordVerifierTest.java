package mail.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingPasswordVerifierTest {

    /** A fake of our own port: knows fixed passwords and counts how often it is asked. */
    static final class FakeVerifier implements PasswordVerifier {
        final Map<String, String> passwords;
        final AtomicInteger calls = new AtomicInteger();

        FakeVerifier(Map<String, String> passwords) {
            this.passwords = passwords;
        }

        @Override
        public AuthResult verify(String username, String password) {
            calls.incrementAndGet();
            return password.equals(passwords.get(username))
                    ? new AuthResult.Success(username, username, Set.of("mail-user"))
                    : new AuthResult.Rejected("invalid_grant");
        }
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-28T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final FakeVerifier fake = new FakeVerifier(Map.of("alice@example.test", "secret"));
    private final MutableClock clock = new MutableClock();
    private final CachingPasswordVerifier cache = new CachingPasswordVerifier(fake, Duration.ofSeconds(60), 2, clock);

    @Test
    void successIsRememberedUntilTheTtlEnds() {
        assertThat(cache.verify("alice@example.test", "secret").succeeded()).isTrue();
        assertThat(cache.verify("Alice@Example.test", "secret").succeeded()).isTrue();
        assertThat(fake.calls).hasValue(1);
        clock.now = clock.now.plusSeconds(61);
        assertThat(cache.verify("alice@example.test", "secret").succeeded()).isTrue();
        assertThat(fake.calls).hasValue(2);
    }

    @Test
    void aDifferentPasswordIsNeverAnsweredFromTheCache() {
        cache.verify("alice@example.test", "secret");
        assertThat(cache.verify("alice@example.test", "wrong").succeeded()).isFalse();
        assertThat(fake.calls).hasValue(2);
    }

    @Test
    void failuresAreNotCached() {
        cache.verify("alice@example.test", "typo");
        cache.verify("alice@example.test", "typo");
        assertThat(fake.calls).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void invalidateForcesAFreshCheck() {
        cache.verify("alice@example.test", "secret");
        cache.invalidate("ALICE@example.test");
        cache.verify("alice@example.test", "secret");
        assertThat(fake.calls).hasValue(2);
    }

    @Test
    void theCacheIsBounded() {
        FakeVerifier many = new FakeVerifier(Map.of("a", "1", "b", "2", "c", "3"));
        CachingPasswordVerifier small = new CachingPasswordVerifier(many, Duration.ofSeconds(60), 2, clock);
        small.verify("a", "1");
        small.verify("b", "2");
        small.verify("c", "3");
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.verify("c", "3").succeeded()).isTrue();
    }

    /** Holds every check until released, counting them. */
    static final class GatedVerifier implements PasswordVerifier {
        final FakeVerifier inner = new FakeVerifier(Map.of("alice@example.test", "secret"));
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        @Override
        public AuthResult verify(String username, String password) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.verify(username, password);
        }
    }

    @Test
    void concurrentChecksOfTheSamePasswordShareOneRequestAndOthersDoNot() throws Exception {
        GatedVerifier gated = new GatedVerifier();
        CachingPasswordVerifier shared = new CachingPasswordVerifier(gated, Duration.ofSeconds(60), 100, clock);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.List<AuthResult> results = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < 20; i++) {
            String password = i == 7 ? "wrong" : "secret";
            Thread t = new Thread(() -> results.add(shared.verify("alice@example.test", password)));
            threads.add(t);
            t.start();
            if (i == 0) {
                // the first one leads: it is inside the verifier before anyone else asks
                untilParked(threads);
            }
        }
        // everyone is parked: the leader and the wrong password inside the verifier, the others on the leader's answer
        untilParked(threads);
        gated.gate.countDown();
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(results).hasSize(20);
        assertThat(results.stream().filter(AuthResult::succeeded).count()).isEqualTo(19);
        assertThat(gated.inner.calls.get()).isEqualTo(2);
    }

    private static void untilParked(java.util.List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads did not all park");
            }
            Thread.sleep(5);
        }
    }
}
