package mail.smtp.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import mail.core.abuse.SharedRateLimits.Limit;
import mail.smtp.server.Listener;
import org.junit.jupiter.api.Test;

/** Which counters an action is charged to. */
class RateLimitPolicyTest {
    final RateLimitPolicy policy = new RateLimitPolicy(new RateLimitPolicy.Settings(60, 30, 1000, 200, 1000, 0, 2000,
            List.of("127.0.0.0/8")));

    @Test
    void connectionsAreCountedPerListenerKindAndClientNetwork() throws Exception {
        assertThat(policy.connection(Listener.MX, ip("192.0.2.1")))
                .contains(new Limit("conn:mx:ip:192.0.2.1", Duration.ofMinutes(1), 60));
        assertThat(policy.connection(Listener.SUBMISSION, ip("192.0.2.1")))
                .contains(new Limit("conn:submission:ip:192.0.2.1", Duration.ofMinutes(1), 30));
        assertThat(policy.connection(Listener.SUBMISSIONS, ip("192.0.2.1"))).isEqualTo(policy.connection(Listener.SUBMISSION, ip("192.0.2.1")));
        // one IPv6 /64 is one client, as for authentication failures
        assertThat(policy.connection(Listener.MX, ip("2001:db8:1:2::5"))).isEqualTo(policy.connection(Listener.MX, ip("2001:db8:1:2:ffff::9")));
    }

    @Test
    void exemptNetworksHaveNoPerAddressLimitsButAccountsAreLimitedEverywhere() throws Exception {
        assertThat(policy.connection(Listener.MX, ip("127.0.0.5"))).isEmpty();
        assertThat(policy.mxMessages(ip("127.0.0.5"))).isEmpty();
        assertThat(policy.mxMessages(ip("192.0.2.1"))).containsExactly(new Limit("msg:mx:ip:192.0.2.1", Duration.ofHours(1), 1000));
        assertThat(policy.accountMessages("Alice@Example.org")).containsExactly(
                new Limit("msg:account:alice@example.org", Duration.ofHours(1), 200),
                new Limit("msg:account:alice@example.org", Duration.ofDays(1), 1000));
    }

    @Test
    void aLimitOfZeroIsOff() {
        assertThat(policy.accountRecipients("alice@example.org")).containsExactly(
                new Limit("rcpt:account:alice@example.org", Duration.ofDays(1), 2000));
        RateLimitPolicy off = new RateLimitPolicy(new RateLimitPolicy.Settings(0, 0, 0, 0, 0, 0, 0, List.of()));
        assertThat(off.connection(Listener.MX, InetAddress.getLoopbackAddress())).isEmpty();
        assertThat(off.mxMessages(InetAddress.getLoopbackAddress())).isEmpty();
        assertThat(off.accountMessages("a@example.org")).isEmpty();
        assertThat(off.accountRecipients("a@example.org")).isEmpty();
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }
}
