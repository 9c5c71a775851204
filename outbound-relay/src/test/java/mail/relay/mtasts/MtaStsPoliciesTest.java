package mail.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mail.relay.mtasts.MtaStsPolicies.Source;
import mail.relay.mtasts.MtaStsPolicy.Mode;
import mail.relay.route.DnsLookup;
import mail.relay.route.Route;
import mail.relay.smtp.Destination;
import org.junit.jupiter.api.Test;

class MtaStsPoliciesTest {
    static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: *.example.org\nmax_age: 3600\n";

    /** TXT answers from a map; a name mapped to null answers SERVFAIL. */
    static final class TxtOnlyDns implements DnsLookup {
        final Map<String, List<String>> txt = new HashMap<>();

        @Override
        public MxAnswer mx(String domain) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> addresses(String host) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> txt(String name) throws DnsFailure {
            if (txt.containsKey(name) && txt.get(name) == null) {
                throw new DnsFailure("SERVFAIL for " + name);
            }
            return txt.getOrDefault(name, List.of());
        }
    }

    static final class Fetcher implements PolicyFetcher {
        String body = ENFORCE;
        IOException failure;
        final List<String> fetched = new ArrayList<>();

        @Override
        public String fetch(String domain) throws IOException {
            fetched.add(domain);
            if (failure != null) {
                throw failure;
            }
            return body;
        }
    }

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final TxtOnlyDns dns = new TxtOnlyDns();
    final Fetcher fetcher = new Fetcher();
    final MovableClock clock = new MovableClock();
    final MtaStsPolicies policies = new MtaStsPolicies(dns, fetcher, clock);

    @Test
    void noTxtRecordMeansNoPolicyAndNoFetch() {
        assertThat(policies.lookup("example.org").policy()).isEmpty();
        assertThat(fetcher.fetched).isEmpty();
    }

    @Test
    void thePolicyIsFetchedOnceAndCachedWhileItsIdStaysTheSame() {
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=1"));
        MtaStsPolicies.Lookup first = policies.lookup("example.org");
        assertThat(first.source()).isEqualTo(Source.FETCHED);
        assertThat(first.policy().get().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(policies.lookup("example.org").source()).isEqualTo(Source.CACHED);
        assertThat(fetcher.fetched).containsExactly("example.org");

        fetcher.body = ENFORCE.replace("enforce", "testing");
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=2"));
        assertThat(policies.lookup("example.org").policy().get().mode()).isEqualTo(Mode.TESTING);
        assertThat(fetcher.fetched).hasSize(2);
    }

    @Test
    void aCachedPolicySurvivesAMissingTxtRecordAFailingDnsAndAFailingFetchUntilMaxAge() {
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=1"));
        policies.lookup("example.org");

        dns.txt.remove("_mta-sts.example.org");
        assertThat(policies.lookup("example.org").source()).isEqualTo(Source.CACHED);
        dns.txt.put("_mta-sts.example.org", null);
        assertThat(policies.lookup("example.org").source()).isEqualTo(Source.CACHED);
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=2"));
        fetcher.failure = new IOException("connection refused");
        MtaStsPolicies.Lookup l = policies.lookup("example.org");
        assertThat(l.source()).isEqualTo(Source.CACHED_AFTER_FAILURE);
        assertThat(l.policy().get().mode()).isEqualTo(Mode.ENFORCE);

        clock.now = clock.now.plus(Duration.ofSeconds(3600));
        assertThat(policies.lookup("example.org").policy()).isEmpty();
    }

    @Test
    void aFailedFetchIsNotRepeatedForTheSameIdUntilThePauseIsOver() {
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=1"));
        fetcher.failure = new IOException("timeout");
        assertThat(policies.lookup("example.org").policy()).isEmpty();
        assertThat(policies.lookup("example.org").policy()).isEmpty();
        assertThat(fetcher.fetched).hasSize(1);

        fetcher.failure = null;
        clock.now = clock.now.plus(MtaStsPolicies.FAILED_FETCH_PAUSE);
        assertThat(policies.lookup("example.org").source()).isEqualTo(Source.FETCHED);
        assertThat(fetcher.fetched).hasSize(2);
    }

    @Test
    void anInvalidPolicyBodyCountsAsNoPolicy() {
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=1"));
        fetcher.body = "<html>oops</html>";
        assertThat(policies.lookup("example.org").policy()).isEmpty();
    }

    @Test
    void enforceKeepsOnlyPermittedMxHostsAndRequiresVerifiedTlsOnThem() {
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=1"));
        List<String> outcomes = new ArrayList<>();
        MtaSts sts = new MtaSts(policies, (mode, outcome) -> outcomes.add(mode + "/" + outcome));
        Route r = sts.apply("example.org", hosts("mx1.example.org", "mx.attacker.example", "mx2.example.org"));
        List<Destination> d = ((Route.Hosts) r).destinations();
        assertThat(d).extracting(Destination::hostname).containsExactly("mx1.example.org", "mx2.example.org");
        assertThat(d).allMatch(Destination::requireTls);
        assertThat(outcomes).containsExactly("enforce/applied");
    }

    @Test
    void enforceWithNoPermittedHostDefersTheMail() {
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=1"));
        MtaSts sts = new MtaSts(policies, (mode, outcome) -> { });
        Route r = sts.apply("example.org", hosts("mx.attacker.example"));
        assertThat(r).isInstanceOf(Route.Deferred.class);
        assertThat(((Route.Deferred) r).status()).isEqualTo("4.7.5");
        assertThat(((Route.Deferred) r).reason()).contains("permits none of its MX hosts");
    }

    @Test
    void testingAndNoneLeaveTheRouteAsItIs() {
        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=1"));
        fetcher.body = ENFORCE.replace("enforce", "testing");
        List<String> outcomes = new ArrayList<>();
        MtaSts sts = new MtaSts(policies, (mode, outcome) -> outcomes.add(mode + "/" + outcome));
        Route original = hosts("mx.attacker.example");
        assertThat(sts.apply("example.org", original)).isSameAs(original);
        assertThat(outcomes).containsExactly("testing/mx-mismatch");

        dns.txt.put("_mta-sts.example.org", List.of("v=STSv1; id=2"));
        fetcher.body = "version: STSv1\nmode: none\nmax_age: 60\n";
        assertThat(sts.apply("example.org", original)).isSameAs(original);
    }

    @Test
    void undeliverableRoutesAreNotTouched() {
        Route none = new Route.Undeliverable("556 5.1.10 null MX", "5.1.10");
        assertThat(new MtaSts(policies, (m, o) -> { }).apply("example.org", none)).isSameAs(none);
    }

    private static Route hosts(String... names) {
        List<Destination> d = new ArrayList<>();
        for (String n : names) {
            d.add(new Destination(n, "192.0.2." + (d.size() + 1), 25, false, java.util.Optional.empty()));
        }
        return new Route.Hosts(d);
    }
}
