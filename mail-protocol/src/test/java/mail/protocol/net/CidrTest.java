package mail.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void ipv4Networks() throws Exception {
        Cidr loop = Cidr.parse("127.0.0.0/8");
        assertThat(loop.contains(ip("127.0.0.1"))).isTrue();
        assertThat(loop.contains(ip("127.255.255.254"))).isTrue();
        assertThat(loop.contains(ip("128.0.0.1"))).isFalse();
        Cidr odd = Cidr.parse("10.1.2.128/25");
        assertThat(odd.contains(ip("10.1.2.200"))).isTrue();
        assertThat(odd.contains(ip("10.1.2.127"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void singleHostWithoutPrefix() throws Exception {
        Cidr host = Cidr.parse("192.0.2.7");
        assertThat(host.prefix()).isEqualTo(32);
        assertThat(host.contains(ip("192.0.2.7"))).isTrue();
        assertThat(host.contains(ip("192.0.2.8"))).isFalse();
    }

    @Test
    void ipv6Networks() throws Exception {
        assertThat(Cidr.parse("::1/128").contains(ip("::1"))).isTrue();
        Cidr doc = Cidr.parse("2001:db8::/32");
        assertThat(doc.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(doc.contains(ip("2001:db9::1"))).isFalse();
    }

    @Test
    void familiesNeverMix() throws Exception {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void rejectsNamesAndBadPrefixes() {
        assertThatThrownBy(() -> Cidr.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("::1/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("/8")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listSkipsBlanksAndRoundTrips() {
        List<Cidr> all = Cidr.parseAll(List.of("127.0.0.0/8", " ", "::1/128"));
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).hasToString("127.0.0.0/8");
        assertThat(all.get(0)).isEqualTo(Cidr.parse(" 127.0.0.0/8 "));
    }
}
