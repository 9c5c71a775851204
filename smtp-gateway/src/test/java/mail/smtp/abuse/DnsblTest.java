package mail.smtp.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mail.auth.dns.FakeDns;
import org.junit.jupiter.api.Test;

/** Blocklist query names (RFC 5782 §2.1, §2.4) and what counts as a listing. */
class DnsblTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void anIpv4AddressIsAskedWithItsOctetsReversed() {
        assertThat(Dnsbl.queryName(FakeDns.ip("192.0.2.99"), "bl.example")).isEqualTo("99.2.0.192.bl.example");
    }

    @Test
    void anIpv6AddressIsAskedAsAllThirtyTwoNibblesReversed() {
        // the example of RFC 5782 §2.4
        assertThat(Dnsbl.queryName(FakeDns.ip("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com");
        assertThat(Dnsbl.queryName(FakeDns.ip("::1"), "bl.example"))
                .isEqualTo("1." + "0.".repeat(31) + "bl.example");
    }

    @Test
    void theFirstConfiguredZoneListingTheClientIsNamed() throws Exception {
        FakeDns dns = new FakeDns().a("7.2.0.192.second.example", "127.0.0.2").a("7.2.0.192.third.example", "127.0.0.4");
        try (Dnsbl bl = new Dnsbl(dns, List.of("first.example", "Second.Example.", "third.example"), Duration.ofSeconds(5), 2,
                new AbuseMetrics(registry))) {
            Optional<Dnsbl.Listing> listing = bl.check(FakeDns.ip("192.0.2.7")).get(10, TimeUnit.SECONDS);
            assertThat(listing).contains(new Dnsbl.Listing("second.example", "192.0.2.7"));
            assertThat(bl.check(FakeDns.ip("192.0.2.8")).get(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void answersOutsideLoopbackAndTheRefusedQueryCodesAreNoListing() throws Exception {
        FakeDns dns = new FakeDns().a("9.2.0.192.bl.example", "192.0.2.1").a("10.2.0.192.bl.example", "127.255.255.254");
        try (Dnsbl bl = new Dnsbl(dns, List.of("bl.example"), Duration.ofSeconds(5), 2, new AbuseMetrics(registry))) {
            assertThat(bl.check(FakeDns.ip("192.0.2.9")).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(bl.check(FakeDns.ip("192.0.2.10")).get(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aZoneThatFailsIsTakenAsNotListingAndCounted() throws Exception {
        FakeDns dns = new FakeDns().failing("11.2.0.192.down.example").a("11.2.0.192.up.example", "127.0.0.2");
        try (Dnsbl bl = new Dnsbl(dns, List.of("down.example", "up.example"), Duration.ofSeconds(5), 2, new AbuseMetrics(registry))) {
            assertThat(bl.check(FakeDns.ip("192.0.2.11")).get(10, TimeUnit.SECONDS)).contains(new Dnsbl.Listing("up.example", "192.0.2.11"));
        }
        assertThat(registry.counter("smtp.abuse.dnsbl.unanswered", "zone", "down.example").count()).isEqualTo(1.0);
    }
}
