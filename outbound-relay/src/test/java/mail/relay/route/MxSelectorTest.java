package mail.relay.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import mail.relay.route.DnsLookup.Mx;
import mail.relay.route.DnsLookup.MxAnswer;
import mail.relay.smtp.Destination;
import org.junit.jupiter.api.Test;

class MxSelectorTest {

    /** Answers from maps; a name in {@code failing} answers SERVFAIL. */
    static final class StubDns implements DnsLookup {
        final Map<String, MxAnswer> mx = new HashMap<>();
        final Map<String, List<String>> addresses = new HashMap<>();
        final Map<String, List<String>> txt = new HashMap<>();
        final Set<String> failing;

        StubDns(Set<String> failing) {
            this.failing = failing;
        }

        @Override
        public MxAnswer mx(String domain) throws DnsFailure {
            if (failing.contains(domain)) {
                throw new DnsFailure("SERVFAIL for " + domain);
            }
            return mx.getOrDefault(domain, new MxAnswer.NoDomain());
        }

        @Override
        public List<String> addresses(String host) throws DnsFailure {
            if (failing.contains(host)) {
                throw new DnsFailure("SERVFAIL for " + host);
            }
            return addresses.getOrDefault(host, List.of());
        }

        @Override
        public List<String> txt(String name) throws DnsFailure {
            if (failing.contains(name)) {
                throw new DnsFailure("SERVFAIL for " + name);
            }
            return txt.getOrDefault(name, List.of());
        }
    }

    private static List<String> hosts(Route r) {
        return ((Route.Hosts) r).destinations().stream().map(Destination::toString).toList();
    }

    @Test
    void mxHostsAreTriedInPreferenceOrderWithAllTheirAddresses() throws Exception {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("example.org", new MxAnswer.Records(List.of(new Mx(20, "backup.example.org."), new Mx(10, "mx1.example.org."))));
        dns.addresses.put("mx1.example.org", List.of("192.0.2.1", "2001:db8::1"));
        dns.addresses.put("backup.example.org", List.of("192.0.2.9"));
        Route r = new MxSelector(dns, new Random(1), 25).select("example.org", false);
        assertThat(hosts(r)).containsExactly("mx1.example.org[192.0.2.1]:25", "mx1.example.org[2001:db8::1]:25",
                "backup.example.org[192.0.2.9]:25");
    }

    @Test
    void equalPreferencesAreAllTriedInSomeOrder() throws Exception {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("example.org", new MxAnswer.Records(List.of(new Mx(10, "a.example.org"), new Mx(10, "b.example.org"),
                new Mx(5, "first.example.org"))));
        dns.addresses.put("a.example.org", List.of("192.0.2.1"));
        dns.addresses.put("b.example.org", List.of("192.0.2.2"));
        dns.addresses.put("first.example.org", List.of("192.0.2.3"));
        for (int seed = 0; seed < 8; seed++) {
            List<String> h = hosts(new MxSelector(dns, new Random(seed), 25).select("example.org", false));
            assertThat(h.get(0)).isEqualTo("first.example.org[192.0.2.3]:25");
            assertThat(h.subList(1, 3)).containsExactlyInAnyOrder("a.example.org[192.0.2.1]:25", "b.example.org[192.0.2.2]:25");
        }
    }

    @Test
    void withoutMxTheDomainItselfIsTheImplicitMx() throws Exception {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("plain.example", new MxAnswer.NoRecords());
        dns.addresses.put("plain.example", List.of("192.0.2.7"));
        assertThat(hosts(new MxSelector(dns, new Random(), 25).select("plain.example", false)))
                .containsExactly("plain.example[192.0.2.7]:25");
    }

    @Test
    void nullMxIsAPermanentFailure() throws Exception {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("nomail.example", new MxAnswer.Records(List.of(new Mx(0, "."))));
        Route r = new MxSelector(dns, new Random(), 25).select("nomail.example", false);
        assertThat(r).isInstanceOf(Route.Undeliverable.class);
        assertThat(((Route.Undeliverable) r).status()).isEqualTo("5.1.10");
        assertThat(((Route.Undeliverable) r).reply()).startsWith("556 5.1.10");
    }

    @Test
    void aNullMxBesideRealOnesIsIgnored() throws Exception {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("mixed.example", new MxAnswer.Records(List.of(new Mx(0, "."), new Mx(10, "mx.mixed.example"))));
        dns.addresses.put("mx.mixed.example", List.of("192.0.2.4"));
        assertThat(hosts(new MxSelector(dns, new Random(), 25).select("mixed.example", false)))
                .containsExactly("mx.mixed.example[192.0.2.4]:25");
    }

    @Test
    void aDomainThatDoesNotExistIsAPermanentFailure() throws Exception {
        Route r = new MxSelector(new StubDns(Set.of()), new Random(), 25).select("nowhere.example", false);
        assertThat(((Route.Undeliverable) r).status()).isEqualTo("5.1.2");
    }

    @Test
    void aDomainWithNeitherMxNorAddressIsAPermanentFailure() throws Exception {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("empty.example", new MxAnswer.NoRecords());
        Route r = new MxSelector(dns, new Random(), 25).select("empty.example", false);
        assertThat(((Route.Undeliverable) r).status()).isEqualTo("5.1.2");
    }

    @Test
    void aFailingMxLookupIsTemporary() {
        assertThatThrownBy(() -> new MxSelector(new StubDns(Set.of("flaky.example")), new Random(), 25).select("flaky.example", false))
                .isInstanceOf(DnsLookup.DnsFailure.class).hasMessageContaining("SERVFAIL");
    }

    @Test
    void anMxHostThatDoesNotResolveIsSkippedAndTheNextTried() throws Exception {
        StubDns dns = new StubDns(Set.of("broken.example.org"));
        dns.mx.put("example.org", new MxAnswer.Records(List.of(new Mx(10, "broken.example.org"), new Mx(20, "good.example.org"))));
        dns.addresses.put("good.example.org", List.of("192.0.2.5"));
        assertThat(hosts(new MxSelector(dns, new Random(), 25).select("example.org", false)))
                .containsExactly("good.example.org[192.0.2.5]:25");
    }

    @Test
    void mxHostsWithoutAnyAddressAreATemporaryFailure() {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("example.org", new MxAnswer.Records(List.of(new Mx(10, "ghost.example.org"))));
        assertThatThrownBy(() -> new MxSelector(dns, new Random(), 25).select("example.org", false))
                .isInstanceOf(DnsLookup.DnsFailure.class).hasMessageContaining("no MX host");
    }

    @Test
    void theNumberOfDestinationsIsBounded() throws Exception {
        StubDns dns = new StubDns(Set.of());
        List<Mx> many = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(new Mx(i, "mx" + i + ".example.org"));
            dns.addresses.put("mx" + i + ".example.org", List.of("192.0.2." + (i + 1)));
        }
        dns.mx.put("example.org", new MxAnswer.Records(many));
        assertThat(hosts(new MxSelector(dns, new Random(), 25).select("example.org", false))).hasSize(MxSelector.MAX_DESTINATIONS);
    }

    @Test
    void requireTlsIsCarriedToEveryDestination() throws Exception {
        StubDns dns = new StubDns(Set.of());
        dns.mx.put("secure.example", new MxAnswer.Records(List.of(new Mx(10, "mx.secure.example"))));
        dns.addresses.put("mx.secure.example", List.of("192.0.2.6"));
        Route r = new MxSelector(dns, new Random(), 25).select("secure.example", true);
        assertThat(((Route.Hosts) r).destinations()).allMatch(Destination::requireTls)
                .allMatch(d -> d.hostname().equals("mx.secure.example"));
    }
}
