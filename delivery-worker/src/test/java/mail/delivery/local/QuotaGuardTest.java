package mail.delivery.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import mail.core.event.DirectorySnapshot.Account;
import org.junit.jupiter.api.Test;

/** The quota decision over a usage source of our own and a clock the test moves. */
class QuotaGuardTest {
    private final Map<String, Long> bytes = new HashMap<>();
    private final Map<String, Long> messages = new HashMap<>();
    private int exactReads;
    private long now;
    private final QuotaGuard guard = new QuotaGuard(new QuotaGuard.Usage() {
        @Override
        public long bytes(String accountId) {
            exactReads++;
            return bytes.getOrDefault(accountId, 0L);
        }

        @Override
        public long messages(String accountId) {
            exactReads++;
            return messages.getOrDefault(accountId, 0L);
        }
    }, () -> now, Duration.ofSeconds(5), 0.9);

    private static Account account(long quotaBytes, Long quotaMessages) {
        return account("acc-a", quotaBytes, quotaMessages);
    }

    private static Account account(String id, long quotaBytes, Long quotaMessages) {
        return new Account(id + "@example.test", id, null, quotaBytes, true, null, quotaMessages);
    }

    @Test
    void farBelowTheQuotaTheUsageIsReadOnceAndCarriedForward() {
        Account a = account(10_000, null);
        for (int i = 0; i < 5; i++) {
            assertThat(guard.exceeded(a, 100)).isNull();
            guard.stored("acc-a", 100);
        }
        assertThat(exactReads).isEqualTo(1);
    }

    @Test
    void nearTheLimitEveryDecisionReadsTheExactUsage() {
        Account a = account(1_000, null);
        bytes.put("acc-a", 850L);
        assertThat(guard.exceeded(a, 100)).isNull();
        guard.stored("acc-a", 100);
        bytes.put("acc-a", 950L);
        // 950 + 60 would pass a stale reading of 850 + 100; near the limit the exact figure decides
        assertThat(guard.exceeded(a, 60)).isEqualTo("mailbox full: 950 of 1000 octets used, message has 60");
        assertThat(exactReads).isEqualTo(2);
    }

    @Test
    void writesByOthersAreSeenOnceTheReadingIsOlderThanItsMaximumAge() {
        Account a = account(10_000, null);
        assertThat(guard.exceeded(a, 100)).isNull();
        bytes.put("acc-a", 9_990L);
        now += Duration.ofSeconds(4).toNanos();
        assertThat(guard.exceeded(a, 100)).as("still within the maximum age").isNull();
        now += Duration.ofSeconds(1).toNanos();
        assertThat(guard.exceeded(a, 100)).startsWith("mailbox full: 9990 of 10000 octets");
        assertThat(exactReads).isEqualTo(2);
    }

    @Test
    void theMessageCountQuotaIsCheckedOnItsOwnAndWithTheByteQuota() {
        Account count = account(0, 3L);
        messages.put("acc-a", 3L);
        assertThat(guard.exceeded(count, 1)).isEqualTo("mailbox full: 3 of 3 messages");
        assertThat(exactReads).as("no byte sum for an account without a byte quota").isEqualTo(1);

        Account both = account("acc-b", 1_000_000, 100L);
        messages.put("acc-b", 89L);
        assertThat(guard.exceeded(both, 10)).isNull();
        guard.stored("acc-b", 10);
        // 90 + 1 messages is above 0.9 of 100: read again
        messages.put("acc-b", 100L);
        assertThat(guard.exceeded(both, 10)).isEqualTo("mailbox full: 100 of 100 messages");
        assertThat(exactReads).isEqualTo(1 + 2 + 2);
    }

    @Test
    void anUnlimitedAccountIsNotLimitedAndABadHeadroomIsRefused() {
        assertThat(QuotaGuard.limited(account(0, null))).isFalse();
        assertThat(QuotaGuard.limited(account(0, 0L))).isFalse();
        assertThat(QuotaGuard.limited(account(1, null))).isTrue();
        assertThat(QuotaGuard.limited(account(0, 5L))).isTrue();
        assertThatThrownBy(() -> new QuotaGuard(null, () -> 0, Duration.ofSeconds(1), 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headroom");
        assertThatThrownBy(() -> new QuotaGuard(null, () -> 0, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headroom");
    }
}
