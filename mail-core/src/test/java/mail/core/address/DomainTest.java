package mail.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainTest {

    /** Labels of 63 'a's plus one shorter label, joined to exactly {@code length} characters. */
    static String domainOfLength(int length) {
        StringBuilder sb = new StringBuilder();
        while (length - sb.length() > 64) {
            sb.append("a".repeat(63)).append('.');
        }
        sb.append("b".repeat(length - sb.length()));
        return sb.toString();
    }

    @Test
    void asciiInputIsLowerCased() {
        Domain d = Domain.parse("Mail.Example.COM");

        assertThat(d.asciiForm()).isEqualTo("mail.example.com");
        assertThat(d.unicodeForm()).isEqualTo("mail.example.com");
        assertThat(d).hasToString("mail.example.com");
        assertThat(d.isAddressLiteral()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "münchen.de, xn--mnchen-3ya.de, münchen.de",
        "MÜNCHEN.DE, xn--mnchen-3ya.de, münchen.de",
        "XN--MNCHEN-3YA.DE, xn--mnchen-3ya.de, münchen.de",
        "例子.广告, xn--fsqu00a.xn--4rr70v, 例子.广告",
        "例子。广告, xn--fsqu00a.xn--4rr70v, 例子.广告",
        "bücher.example, xn--bcher-kva.example, bücher.example",
    })
    void idnInputIsStoredAsALabelsAndDisplayedAsULabels(String input, String ascii, String unicode) {
        Domain d = Domain.parse(input);

        assertThat(d.asciiForm()).isEqualTo(ascii);
        assertThat(d.unicodeForm()).isEqualTo(unicode);
    }

    @Test
    void uLabelAndALabelSpellingsAreEqual() {
        assertThat(Domain.parse("münchen.de"))
                .isEqualTo(Domain.parse("xn--mnchen-3ya.de"))
                .isEqualTo(Domain.parse("XN--MNCHEN-3YA.DE."))
                .hasSameHashCodeAs(Domain.parse("MÜNCHEN.de"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com.", "例子。广告。", "a."})
    void singleTrailingDotIsStripped(String input) {
        Domain d = Domain.parse(input);

        assertThat(d.asciiForm()).doesNotEndWith(".");
        assertThat(d).isEqualTo(Domain.parse(input.substring(0, input.length() - 1)));
    }

    @Test
    void idna2003MapsSharpSToSs() {
        // documented limitation of java.net.IDN
        assertThat(Domain.parse("straße.de").asciiForm()).isEqualTo("strasse.de");
    }

    @Test
    void idna2008OnlyALabelIsAcceptedAndStaysEncodedForDisplay() {
        Domain d = Domain.parse("xn--strae-oqa.de");

        assertThat(d.asciiForm()).isEqualTo("xn--strae-oqa.de");
        assertThat(d.unicodeForm()).isEqualTo("xn--strae-oqa.de");
    }

    @Test
    void aLabelWithCodePointsNewerThanUnicode32IsDecodedForDisplay() {
        Domain d = Domain.parse("xn--ls8h.la");

        assertThat(d.asciiForm()).isEqualTo("xn--ls8h.la");
        assertThat(d.unicodeForm()).isEqualTo("\uD83D\uDCA9.la");
    }

    @Test
    void uLabelWithCodePointsUnassignedInUnicode32IsRejected() {
        assertThatThrownBy(() -> Domain.parse("\uD83D\uDCA9.la"))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("not a valid domain name");
    }

    @Test
    void softHyphenIsMappedAwayByNameprep() {
        assertThat(Domain.parse("ex\u00ADample.com")).isEqualTo(Domain.parse("example.com"));
    }

    @Test
    void singleLabelAndDigitsInsideNamesAreAccepted() {
        assertThat(Domain.parse("localhost").asciiForm()).isEqualTo("localhost");
        assertThat(Domain.parse("123.example").asciiForm()).isEqualTo("123.example");
        assertThat(Domain.parse("a-1.b--c.example").asciiForm()).isEqualTo("a-1.b--c.example");
    }

    @Test
    void labelOf63OctetsIsAcceptedAnd64Rejected() {
        String ok = "a".repeat(63) + ".example";
        String tooLong = "a".repeat(64) + ".example";

        assertThat(Domain.parse(ok).asciiForm()).isEqualTo(ok);
        assertThatThrownBy(() -> Domain.parse(tooLong))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("long");
    }

    @Test
    void labelLimitAppliesToTheALabelForm() {
        // 59 letters + "ü" encode to an A-label longer than 63 octets
        String uLabel = "a".repeat(59) + "ü";

        assertThatThrownBy(() -> Domain.parse(uLabel + ".de")).isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void totalOf253OctetsIsAcceptedAnd254Rejected() {
        String ok = domainOfLength(253);
        String tooLong = domainOfLength(254);

        assertThat(ok).hasSize(253);
        assertThat(Domain.parse(ok).asciiForm()).isEqualTo(ok);
        assertThat(Domain.parse(ok + ".").asciiForm()).isEqualTo(ok);
        assertThatThrownBy(() -> Domain.parse(tooLong))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("longer than 253");
        assertThatThrownBy(() -> Domain.parse(tooLong + "."))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("longer than 253");
    }

    @Test
    void totalLimitAppliesToTheALabelForm() {
        // 40 * "ü.": 80 chars of input, but each label becomes "xn--tda" (7 octets) -> 319 octets
        String input = "ü.".repeat(40) + "de";

        assertThat(input.length()).isLessThan(253);
        assertThatThrownBy(() -> Domain.parse(input))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("longer than 253");
    }

    @Test
    void hugeInputIsRejectedByTheLengthGuard() {
        String huge = "a".repeat(1_000_000);

        assertThatThrownBy(() -> Domain.parse(huge))
                .isInstanceOf(InvalidAddressException.class)
                .hasMessageContaining("longer than 253")
                .hasMessageContaining("(1000000 chars)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ".", "..", "a..b", ".example.com", "example.com..", "-example.com", "example-.com",
        "exa_mple.com", "exa mple.com", "example.com ", " example.com", "a@b.com", "a:b.com",
        "example.com/", "192.0.2.1", "example.123", "xn--.de", "ex\u00A0ample.com", "ex\tample.com",
        "example\u0000.com", "ex\u0085ample.com", "ex\u2028ample.com", "\uD800.com", "例子..广告",
    })
    void malformedDomainsAreRejected(String input) {
        assertThatThrownBy(() -> Domain.parse(input)).isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void specificReasonsAreReported() {
        assertThat(reasonFor("")).isEqualTo("domain is empty");
        assertThat(reasonFor(".")).isEqualTo("domain is empty");
        assertThat(reasonFor("\u3002")).isEqualTo("domain is empty");
        assertThat(reasonFor("a..b")).isEqualTo("domain has an empty label");
        assertThat(reasonFor(".a")).isEqualTo("domain has an empty label");
        assertThat(reasonFor("a.b..")).isEqualTo("domain has an empty label");
        assertThat(reasonFor("例子。。广告")).isEqualTo("domain has an empty label");
        assertThat(reasonFor("192.0.2.1")).contains("all digits");
        assertThat(reasonFor("[192.0.2.1]")).contains("address literal");
        assertThat(reasonFor("exa\r\nmple.com")).contains("control character");
        assertThat(reasonFor("exa mple.com")).contains("whitespace");
        assertThat(reasonFor("-a.com")).contains("not a valid domain name");
    }

    @Test
    void nullIsAProgrammingError() {
        assertThatNullPointerException().isThrownBy(() -> Domain.parse(null));
    }

    @ParameterizedTest
    @CsvSource({
        "mail.example.com, example.com, true",
        "a.b.example.com, example.com, true",
        "example.com, example.com, true",
        "EXAMPLE.com, example.COM, true",
        "example.com, com, true",
        "badexample.com, example.com, false",
        "example.com, mail.example.com, false",
        "example.org, example.com, false",
        "com, example.com, false",
        "xample.com, example.com, false",
        "sub.münchen.de, xn--mnchen-3ya.de, true",
    })
    void isSubdomainOfMatchesWholeLabelsInclusively(String child, String parent, boolean expected) {
        assertThat(Domain.parse(child).isSubdomainOf(Domain.parse(parent))).isEqualTo(expected);
    }

    @Test
    void equalityIsOnTheCanonicalForm() {
        Set<Domain> set = new HashSet<>();
        set.add(Domain.parse("Example.com"));
        set.add(Domain.parse("example.COM."));
        set.add(Domain.parse("example.org"));

        assertThat(set).hasSize(2).contains(Domain.parse("EXAMPLE.COM"));
        assertThat(Domain.parse("example.com")).isNotEqualTo("example.com");
    }

    @Test
    void exceptionSeparatesReasonFromEscapedEcho() {
        InvalidAddressException e = catchInvalid(() -> Domain.parse("evil\r\n.com"));

        assertThat(e.reason()).isEqualTo("domain contains a control character").doesNotContain("evil");
        assertThat(e.getMessage())
                .isEqualTo("domain contains a control character: \"evil\\u000D\\u000A.com\"")
                .doesNotContain("\r", "\n");
    }

    @Test
    void echoIsTruncatedWithoutSplittingASurrogatePair() {
        String input = "a".repeat(79) + "\uD83D\uDE00" + "b".repeat(300);

        String echoed = InvalidAddressException.echo(input);

        assertThat(echoed).isEqualTo("\"" + "a".repeat(79) + "\"... (381 chars)");
        assertThat(InvalidAddressException.echo(null)).isEqualTo("null");
        assertThat(InvalidAddressException.echo("q\"b\\")).isEqualTo("\"q\\\"b\\\\\"");
    }

    static String reasonFor(String input) {
        return catchInvalid(() -> Domain.parse(input)).reason();
    }

    static InvalidAddressException catchInvalid(Runnable r) {
        try {
            r.run();
        } catch (InvalidAddressException e) {
            return e;
        }
        throw new AssertionError("expected InvalidAddressException");
    }
}
