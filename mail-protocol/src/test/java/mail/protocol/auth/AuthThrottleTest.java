package mail.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import mail.core.abuse.SharedAuthFailures;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {

    private static final class ManualClock implements InstantSource {
        private Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final ManualClock clock = new ManualClock();
    private final AuthThrottle throttle = new AuthThrottle(clock);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void settingsOfTakeTheConfiguredPartAndKeepTheDefaultMemory() {
        AuthThrottle.Settings s = AuthThrottle.Settings.of(Duration.ofMillis(100), Duration.ofSeconds(2), 5);
        AuthThrottle.Settings d = AuthThrottle.Settings.defaults();
        assertThat(s).isEqualTo(new AuthThrottle.Settings(Duration.ofMillis(100), Duration.ofSeconds(2), 5,
                d.forgetAfter(), d.maxTrackedClients()));
        assertThatThrownBy(() -> AuthThrottle.Settings.of(Duration.ofSeconds(-1), Duration.ZERO, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delayGrowsAcrossConnectionsFromTheSameAddressUpToTheCap() {
        List<Duration> delays = new ArrayList<>();
        for (int connection = 0; connection < 4; connection++) {
            AuthThrottle.Session session = throttle.session(ip("192.0.2.1"));
            for (int attempt = 0; attempt < 2; attempt++) {
                delays.add(session.failure().delay());
            }
        }
        assertThat(delays).containsExactly(s(0), s(1), s(2), s(4), s(8), s(16), s(30), s(30));
    }

    @Test
    void connectionIsClosedAtTheThirdFailureOfTheSession() {
        AuthThrottle.Session session = throttle.session(ip("192.0.2.1"));
        assertThat(session.failure().disconnect()).isFalse();
        assertThat(session.failure().disconnect()).isFalse();
        AuthThrottle.Decision third = session.failure();
        assertThat(third.disconnect()).isTrue();
        assertThat(third.delay()).isEqualTo(s(2));
        assertThat(session.failures()).isEqualTo(3);
        assertThat(throttle.session(ip("192.0.2.1")).failure().disconnect()).as("a new session starts at zero")
                .isFalse();
    }

    @Test
    void sessionLimitIsConfigurable() {
        AuthThrottle strict = new AuthThrottle(clock,
                new AuthThrottle.Settings(s(1), s(30), 1, Duration.ofMinutes(15), 10));
        assertThat(strict.session(ip("192.0.2.1")).failure().disconnect()).isTrue();
    }

    @Test
    void otherAddressesAreNotPenalised() {
        throttle.session(ip("192.0.2.1")).failure();
        throttle.session(ip("192.0.2.1")).failure();
        assertThat(throttle.session(ip("192.0.2.2")).failure().delay()).isZero();
        assertThat(throttle.pendingDelay(ip("192.0.2.1"))).isEqualTo(s(2));
        assertThat(throttle.pendingDelay(ip("192.0.2.3"))).isZero();
    }

    @Test
    void ipv6AddressesInOneSlash64ShareACounter() {
        throttle.session(ip("2001:db8:1:2::1")).failure();
        assertThat(throttle.session(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")).failure().delay()).isEqualTo(s(1));
        assertThat(throttle.session(ip("2001:db8:1:3::1")).failure().delay()).isZero();
        assertThat(AuthThrottle.key(ip("2001:db8:1:2::99"))).isEqualTo("2001:db8:1:2::/64");
    }

    @Test
    void aSuccessDoesNotForgiveTheAddressItsFailuresAgainstOtherAccounts() {
        AuthThrottle.Session session = throttle.session(ip("192.0.2.1"));
        session.failure("victim1@example.org");
        session.failure("victim2@example.org");
        session.success("own@example.org");
        assertThat(throttle.session(ip("192.0.2.1")).failure("victim3@example.org").delay()).isEqualTo(s(2));
    }

    @Test
    void failuresSuccessesAndBlocksGoToTheSharedLedgerUnderTheNetworkKey() {
        List<String> calls = new ArrayList<>();
        AuthThrottle shared = new AuthThrottle(clock, AuthThrottle.Settings.defaults(), new SharedAuthFailures() {
            @Override
            public boolean blocked(String network, String account) {
                calls.add("blocked " + network + " " + account);
                return "2001:db8:1:2::/64".equals(network);
            }

            @Override
            public void failed(String network, String account) {
                calls.add("failed " + network + " " + account);
            }

            @Override
            public void succeeded(String account) {
                calls.add("succeeded " + account);
            }
        });
        AuthThrottle.Session v6 = shared.session(ip("2001:db8:1:2::5"));
        assertThat(v6.blocked("a@example.org")).isTrue();
        assertThat(shared.session(ip("192.0.2.1")).blocked("a@example.org")).isFalse();
        v6.failure("a@example.org");
        v6.failure();
        v6.success("a@example.org");
        assertThat(calls).containsExactly("blocked 2001:db8:1:2::/64 a@example.org", "blocked 192.0.2.1 a@example.org",
                "failed 2001:db8:1:2::/64 a@example.org", "failed 2001:db8:1:2::/64 null", "succeeded a@example.org");
    }

    @Test
    void aQuietPeriodForgetsTheAddress() {
        AuthThrottle.Session session = throttle.session(ip("192.0.2.1"));
        session.failure();
        session.failure();
        clock.advance(Duration.ofMinutes(14));
        assertThat(throttle.pendingDelay(ip("192.0.2.1"))).isEqualTo(s(2));
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.pendingDelay(ip("192.0.2.1"))).isZero();
        assertThat(throttle.trackedClients()).isZero();
    }

    @Test
    void aFailureRestartsTheQuietPeriod() {
        AuthThrottle.Session session = throttle.session(ip("192.0.2.1"));
        session.failure();
        clock.advance(Duration.ofMinutes(10));
        session.failure();
        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.pendingDelay(ip("192.0.2.1"))).isEqualTo(s(2));
    }

    @Test
    void theTableIsBoundedAndDropsTheLeastRecentlyFailingClient() {
        AuthThrottle small = new AuthThrottle(clock, new AuthThrottle.Settings(s(1), s(30), 3, Duration.ofHours(1), 2));
        small.session(ip("192.0.2.1")).failure();
        clock.advance(s(1));
        small.session(ip("192.0.2.2")).failure();
        clock.advance(s(1));
        small.session(ip("192.0.2.1")).failure();
        clock.advance(s(1));
        small.session(ip("192.0.2.3")).failure();
        assertThat(small.trackedClients()).isEqualTo(2);
        assertThat(small.pendingDelay(ip("192.0.2.2"))).as("dropped").isZero();
        assertThat(small.pendingDelay(ip("192.0.2.1"))).as("kept").isEqualTo(s(2));
    }

    @Test
    void zeroDelaySettingsNeverDelay() {
        AuthThrottle none = new AuthThrottle(clock, new AuthThrottle.Settings(Duration.ZERO, Duration.ZERO, 3,
                Duration.ofMinutes(1), 10));
        AuthThrottle.Session session = none.session(ip("192.0.2.1"));
        for (int i = 0; i < 5; i++) {
            assertThat(session.failure().delay()).isZero();
        }
    }

    @Test
    void manyFailuresDoNotOverflow() {
        AuthThrottle.Session session = throttle.session(ip("192.0.2.1"));
        Duration last = Duration.ZERO;
        for (int i = 0; i < 200; i++) {
            last = session.failure().delay();
        }
        assertThat(last).isEqualTo(s(30));
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new AuthThrottle.Settings(s(-1), s(1), 3, s(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthThrottle.Settings(s(1), s(1), 0, s(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthThrottle.Settings(s(1), s(1), 3, s(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AuthThrottle.Settings.defaults().maxFailuresPerSession()).isEqualTo(3);
    }
}
