package mail.relay.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import mail.relay.route.DnsLookup.Mx;
import mail.relay.route.DnsLookup.MxAnswer;
import mail.relay.smtp.Destination;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final MxSelectorTest.StubDns dns = new MxSelectorTest.StubDns(Set.of());

    RouterTest() {
        dns.mx.put("example.net", new MxAnswer.Records(List.of(new Mx(10, "mx.example.net"))));
        dns.addresses.put("mx.example.net", List.of("192.0.2.8"));
    }

    private MxSelector mx() {
        return new MxSelector(dns, new Random(), 25);
    }

    @Test
    void aStaticRouteWinsOverSmartHostAndMx() throws Exception {
        Router r = new Router(Map.of("Example.NET", "127.0.0.1:2526"), Optional.of("smart.test:587"), Optional.empty(), false,
                List.of(), mx());
        Destination d = ((Route.Hosts) r.route("example.net")).destinations().get(0);
        assertThat(d.address()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(2526);
    }

    @Test
    void theSmartHostTakesEverythingWithoutARouteAndCredentialsForceVerifiedTls() throws Exception {
        Router r = new Router(Map.of(), Optional.of("[127.0.0.1]:2587"), Optional.of(new Destination.Credentials("u", "p")), false,
                List.of(), mx());
        Destination d = ((Route.Hosts) r.route("example.net")).destinations().get(0);
        assertThat(d.address()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(2587);
        assertThat(d.requireTls()).isTrue();
        assertThat(d.credentials()).isPresent();
        assertThat(d.credentials().get().toString()).doesNotContain("p]");
    }

    @Test
    void otherwiseMxWithThePerDomainTlsPolicy() throws Exception {
        Router r = new Router(Map.of(), Optional.empty(), Optional.empty(), false, List.of("EXAMPLE.net"), mx());
        Destination d = ((Route.Hosts) r.route("example.net")).destinations().get(0);
        assertThat(d.hostname()).isEqualTo("mx.example.net");
        assertThat(d.port()).isEqualTo(25);
        assertThat(d.requireTls()).isTrue();
    }

    @Test
    void aRouteWithoutPortUsesPort25() throws Exception {
        Router r = new Router(Map.of("example.net", "relay.internal"), Optional.empty(), Optional.empty(), false, List.of(), mx());
        assertThat(((Route.Hosts) r.route("example.net")).destinations().get(0).port()).isEqualTo(25);
    }

    @Test
    void malformedRoutesAreRefusedAtStartWithTheKeyNamed() {
        assertThatThrownBy(() -> new Router(Map.of("example.net", "host:notaport"), Optional.empty(), Optional.empty(), false,
                List.of(), mx())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mail.relay.routes.example.net");
        assertThatThrownBy(() -> new Router(Map.of(), Optional.of("smart:70000"), Optional.empty(), false, List.of(), mx()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smart-host");
    }
}
