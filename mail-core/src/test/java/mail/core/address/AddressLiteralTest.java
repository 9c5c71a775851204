package mail.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressLiteralTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[192.0.2.1]|[192.0.2.1]",
        "[0.0.0.0]|[0.0.0.0]",
        "[255.255.255.255]|[255.255.255.255]",
        "[192.000.002.001]|[192.0.2.1]",
        "[IPv6:2001:db8::1]|[IPv6:2001:db8::1]",
        "[ipv6:2001:DB8::1]|[IPv6:2001:db8::1]",
        "[IPv6:2001:0db8:0000:0000:0000:0000:0000:0001]|[IPv6:2001:db8::1]",
        "[IPv6:::1]|[IPv6:::1]",
        "[IPv6:::]|[IPv6:::]",
        "[IPv6:2001:db8::]|[IPv6:2001:db8::]",
        "[IPv6:2001:db8:0:1:1:1:1:1]|[IPv6:2001:db8:0:1:1:1:1:1]",
        "[IPv6:2001:0:0:1:0:0:0:1]|[IPv6:2001:0:0:1::1]",
        "[IPv6:2001:db8:0:0:1:0:0:1]|[IPv6:2001:db8::1:0:0:1]",
        "[IPv6:1:2:3:4:5:6::]|[IPv6:1:2:3:4:5:6::]",
        "[IPv6:::3:4:5:6:7:8]|[IPv6:::3:4:5:6:7:8]",
        "[IPv6:1:2:3:4:5:6:192.0.2.1]|[IPv6:1:2:3:4:5:6:c000:201]",
        "[IPv6:1:2:3:4::192.0.2.1]|[IPv6:1:2:3:4::c000:201]",
        "[IPv6:::ffff:192.0.2.1]|[IPv6:::ffff:192.0.2.1]",
        "[IPv6:0:0:0:0:0:ffff:c000:0201]|[IPv6:::ffff:192.0.2.1]",
        "[IPv6:::192.0.2.1]|[IPv6:::c000:201]",
    })
    void validLiteralsAreCanonicalised(String input, String canonical) {
        AddressLiteral literal = AddressLiteral.parse(input);

        assertThat(literal.asciiForm()).isEqualTo(canonical);
        assertThat(literal.unicodeForm()).isEqualTo(canonical);
        assertThat(literal).hasToString(canonical);
        assertThat(literal.isAddressLiteral()).isTrue();
        assertThat(AddressLiteral.parse(canonical)).isEqualTo(literal).hasSameHashCodeAs(literal);
    }

    @Test
    void ipv4LiteralGivesInetAddressWithoutLookup() throws Exception {
        AddressLiteral literal = AddressLiteral.parse("[192.0.2.1]");

        assertThat(literal.isIpv6()).isFalse();
        assertThat(literal.inetAddress())
                .isInstanceOf(Inet4Address.class)
                .isEqualTo(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}));
    }

    @Test
    void ipv6LiteralGivesInetAddress() throws Exception {
        AddressLiteral literal = AddressLiteral.parse("[IPv6:2001:db8::ff00:42:8329]");
        byte[] expected = {
            0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, (byte) 0xff, 0x00, 0x00, 0x42, (byte) 0x83, 0x29
        };

        assertThat(literal.isIpv6()).isTrue();
        assertThat(literal.inetAddress()).isInstanceOf(Inet6Address.class);
        assertThat(literal.inetAddress().getAddress()).containsExactly(expected);
    }

    @Test
    void differentSpellingsOfTheSameAddressAreEqual() {
        assertThat(AddressLiteral.parse("[IPv6:2001:DB8:0:0:0:0:0:1]"))
                .isEqualTo(AddressLiteral.parse("[ipv6:2001:db8::0001]"));
        assertThat(AddressLiteral.parse("[010.1.1.1]")).isEqualTo(AddressLiteral.parse("[10.1.1.1]"));
        assertThat(AddressLiteral.parse("[192.0.2.1]")).isNotEqualTo(AddressLiteral.parse("[192.0.2.2]"));
        // not the same literal even though the mapped address reaches the same host
        assertThat(AddressLiteral.parse("[192.0.2.1]"))
                .isNotEqualTo(AddressLiteral.parse("[IPv6:::ffff:192.0.2.1]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "192.0.2.1", "[192.0.2.1", "192.0.2.1]", "[]", "[", "]", "[ 192.0.2.1]", "[192.0.2.1 ]",
        "[256.0.0.1]", "[1.2.3]", "[1.2.3.4.5]", "[1..2.3]", "[1.2.3.4.]", "[.1.2.3.4]", "[0001.2.3.4]",
        "[a.b.c.d]", "[-1.2.3.4]", "[\u0661.\u0662.\u0663.\u0664]",
        "[IPv6:]", "[IPv6:1:2:3:4:5:6:7]", "[IPv6:1:2:3:4:5:6:7:8:9]", "[IPv6:1:2:3:4:5:6:7::]",
        "[IPv6:::2:3:4:5:6:7:8]", "[IPv6:1::2::3]", "[IPv6::::1]", "[IPv6::1]", "[IPv6:1:]",
        "[IPv6:12345::1]", "[IPv6:g::1]", "[IPv6:\uFF11::1]", "[IPv6:1:2:3:4:5:192.0.2.1]",
        "[IPv6:1:2:3:4:5::192.0.2.1]", "[IPv6:192.0.2.1::1]", "[IPv6:::256.0.0.1]", "[IPv6:::1.2.3]",
        "[IPv6:1:2:3:4:5:6:7:192.0.2.1]", "[IPv6:2001:db8::1%eth0]", "[IPv6 :::1]",
        "[2001:db8::1]", "[x-tag:content]",
    })
    void malformedLiteralsAreRejected(String input) {
        assertThatThrownBy(() -> AddressLiteral.parse(input)).isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void doubleColonMustStandForAtLeastTwoGroups() {
        // valid in RFC 4291 but not in the RFC 5321 grammar
        assertThatThrownBy(() -> AddressLiteral.parse("[IPv6:1:2:3::5:6:7:8]"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("at least two groups");
        assertThat(AddressLiteral.parse("[IPv6:1:2::5:6:7:8]")).hasToString("[IPv6:1:2::5:6:7:8]");
    }

    @Test
    void generalAddressLiteralsAreRejectedWithReason() {
        assertThatThrownBy(() -> AddressLiteral.parse("[x-tag:content]"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("general address literal");
    }

    @Test
    void overlongInputIsRejectedBeforeParsing() {
        String input = "[IPv6:" + "0:".repeat(100) + "1]";

        assertThatThrownBy(() -> AddressLiteral.parse(input))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void domainPartParseDispatchesOnBracket() {
        DomainPart literal = DomainPart.parse("[192.0.2.1]");
        DomainPart domain = DomainPart.parse("Example.com");

        assertThat(literal).isInstanceOf(AddressLiteral.class);
        assertThat(literal.isAddressLiteral()).isTrue();
        assertThat(domain).isInstanceOf(Domain.class).isEqualTo(Domain.parse("example.com"));
        assertThat(domain.isAddressLiteral()).isFalse();
        assertThatThrownBy(() -> DomainPart.parse("[example.com]")).isInstanceOf(InvalidAddressException.class);
        assertThatThrownBy(() -> DomainPart.parse("")).isInstanceOf(InvalidAddressException.class);
    }
}
