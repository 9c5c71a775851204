package mail.auth.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;

/** The dnsjava adapter over real DNS messages: a small authoritative server on a loopback UDP port. */
class DnsjavaResolverTest {
    private LoopbackDnsServer dns;
    private DnsjavaResolver resolver;

    private static Name n(String s) {
        return LoopbackDnsServer.name(s);
    }

    @BeforeEach
    void start() throws Exception {
        dns = new LoopbackDnsServer();
        resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofMillis(700));
        dns.add(new TXTRecord(n("example.test"), DClass.IN, 60, List.of("v=spf1 ip4:192.0.2.0/24", " -all")));
        dns.add(new TXTRecord(n("example.test"), DClass.IN, 60, "google-site-verification=x"));
        dns.add(new ARecord(n("example.test"), DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
        dns.add(new AAAARecord(n("example.test"), DClass.IN, 60, InetAddress.getByName("2001:db8::1")));
        dns.add(new MXRecord(n("example.test"), DClass.IN, 60, 20, n("mx2.example.test")));
        dns.add(new MXRecord(n("example.test"), DClass.IN, 60, 10, n("MX1.example.test")));
        dns.add(new PTRRecord(ReverseMap.fromAddress("192.0.2.1"), DClass.IN, 60, n("host.example.test")));
        dns.servfail("broken.test");
        dns.silent("slow.test");
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void answersEveryRecordTypeSenderAuthenticationNeeds() throws Exception {
        assertThat(resolver.txt("example.test")).containsExactlyInAnyOrder("v=spf1 ip4:192.0.2.0/24 -all", "google-site-verification=x");
        assertThat(resolver.addresses("example.test", false)).containsExactly(InetAddress.getByName("192.0.2.1"));
        assertThat(resolver.addresses("example.test.", true)).containsExactly(InetAddress.getByName("2001:db8::1"));
        assertThat(resolver.mx("example.test")).containsExactly("mx1.example.test", "mx2.example.test");
        assertThat(resolver.ptr(InetAddress.getByName("192.0.2.1"))).containsExactly("host.example.test");
    }

    @Test
    void nxdomainAndNodataAreEmptyAnswers() {
        assertThat(resolver.txt("nothing.test")).isEmpty();
        assertThat(resolver.mx("host.example.test")).isEmpty();
        // MX exists at example.test but no SPF-relevant TXT at a sub-name
        assertThat(resolver.txt("_dmarc.example.test")).isEmpty();
    }

    @Test
    void servfailAndSilenceAreTemporaryFailures() {
        assertThatThrownBy(() -> resolver.txt("broken.test")).isInstanceOf(DnsTemporaryException.class);
        assertThatThrownBy(() -> resolver.addresses("slow.test", false)).isInstanceOf(DnsTemporaryException.class);
    }
}
