package mail.core.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    static InvalidAddressException invalid(Runnable r) {
        return DomainTest.catchInvalid(r);
    }

    @Nested
    class Basics {

        @Test
        void plainAddress() {
            EmailAddress a = EmailAddress.parse("alice@example.com");

            assertThat(a.localPart()).isEqualTo("alice");
            assertThat(a.domain()).isEqualTo(Domain.parse("example.com"));
            assertThat(a).hasToString("alice@example.com");
            assertThat(a.toUnicodeString()).isEqualTo("alice@example.com");
            assertThat(a.isAscii()).isTrue();
            assertThat(a.requiresSmtpUtf8()).isFalse();
        }

        @Test
        void domainIsCanonicalisedButLocalPartCaseIsPreserved() {
            EmailAddress a = EmailAddress.parse("Alice.Smith@EXAMPLE.Com.");

            assertThat(a.localPart()).isEqualTo("Alice.Smith");
            assertThat(a).hasToString("Alice.Smith@example.com");
        }

        @Test
        void equalityIsExactOnLocalPartAndCanonicalOnDomain() {
            EmailAddress upper = EmailAddress.parse("Alice@example.com");

            assertThat(upper).isEqualTo(EmailAddress.parse("Alice@EXAMPLE.COM"))
                    .hasSameHashCodeAs(EmailAddress.parse("Alice@EXAMPLE.COM"));
            assertThat(upper).isNotEqualTo(EmailAddress.parse("alice@example.com"));
            assertThat(upper).isNotEqualTo("Alice@example.com");
        }

        @Test
        void canonicalKeyFoldsLocalPartCase() {
            EmailAddress a = EmailAddress.parse("Alice+News@Example.COM");

            assertThat(a.canonical()).isEqualTo("alice+news@example.com");
            assertThat(a.canonical()).isEqualTo(EmailAddress.parse("ALICE+NEWS@example.com").canonical());
        }

        @Test
        void canonicalKeyNormalisesUnicodeCompositionAndCase() {
            EmailAddress decomposed = EmailAddress.parse("Ame\u0301lie@example.com");
            EmailAddress composed = EmailAddress.parse("AM\u00C9LIE@example.com");

            assertThat(decomposed).isNotEqualTo(composed);
            assertThat(decomposed.canonical()).isEqualTo(composed.canonical()).isEqualTo("am\u00E9lie@example.com");
        }

        @Test
        void canonicalKeyKeepsQuotingWhereNeeded() {
            assertThat(EmailAddress.parse("\"John Doe\"@Example.com").canonical())
                    .isEqualTo("\"john doe\"@example.com");
        }

        @Test
        void addressLiteralDomain() {
            EmailAddress v4 = EmailAddress.parse("postmaster@[192.0.2.1]");
            EmailAddress v6 = EmailAddress.parse("user@[IPv6:2001:DB8:0:0:0:0:0:1]");

            assertThat(v4.domain()).isInstanceOf(AddressLiteral.class);
            assertThat(v4.domain().isAddressLiteral()).isTrue();
            assertThat(v4).hasToString("postmaster@[192.0.2.1]");
            assertThat(v6).hasToString("user@[IPv6:2001:db8::1]");
            assertThat(v6).isEqualTo(EmailAddress.parse("user@[ipv6:2001:db8::1]"));
        }

        @Test
        void allAtextSpecialsAreAllowedUnquoted() {
            String local = "!#$%&'*+-/=?^_`{|}~.09AZaz";

            EmailAddress a = EmailAddress.parse(local + "@example.com");

            assertThat(a.localPart()).isEqualTo(local);
            assertThat(a).hasToString(local + "@example.com");
        }

        @Test
        void nullIsAProgrammingError() {
            assertThatNullPointerException().isThrownBy(() -> EmailAddress.parse(null));
            assertThatNullPointerException().isThrownBy(() -> EmailAddress.parse(null, false));
            assertThatNullPointerException().isThrownBy(() -> EmailAddress.parsePath(null));
        }
    }

    @Nested
    class QuotedLocalParts {

        @Test
        void consecutiveDotsNeedQuotingAndAreRequoted() {
            EmailAddress a = EmailAddress.parse("\"john..doe\"@example.com");

            assertThat(a.localPart()).isEqualTo("john..doe");
            assertThat(a).hasToString("\"john..doe\"@example.com");
            assertThat(EmailAddress.parse(a.toString())).isEqualTo(a);
        }

        @Test
        void unnecessaryQuotesAreDropped() {
            EmailAddress quoted = EmailAddress.parse("\"alice\"@example.com");

            assertThat(quoted.localPart()).isEqualTo("alice");
            assertThat(quoted).hasToString("alice@example.com").isEqualTo(EmailAddress.parse("alice@example.com"));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "\"john doe\"@example.com|john doe|\"john doe\"@example.com",
            "\"a\\\"b\"@example.com|a\"b|\"a\\\"b\"@example.com",
            "\"a\\\\b\"@example.com|a\\b|\"a\\\\b\"@example.com",
            "\"a\\ b\"@example.com|a b|\"a b\"@example.com",
            "\"\\a\\l\\i\\c\\e\"@example.com|alice|alice@example.com",
            "\"a@b\"@example.com|a@b|\"a@b\"@example.com",
            "\"(comment)\"@example.com|(comment)|\"(comment)\"@example.com",
            "\".alice\"@example.com|.alice|\".alice\"@example.com",
            "\"alice.\"@example.com|alice.|\"alice.\"@example.com",
            "\"<>[]:;,\"@example.com|<>[]:;,|\"<>[]:;,\"@example.com",
            "\"ünïcödé\"@example.com|ünïcödé|ünïcödé@example.com",
            "\"ü ö\"@example.com|ü ö|\"ü ö\"@example.com",
        })
        void quotedStringsAreDecodedAndMinimallyRequoted(String input, String localPart, String smtpForm) {
            EmailAddress a = EmailAddress.parse(input);

            assertThat(a.localPart()).isEqualTo(localPart);
            assertThat(a).hasToString(smtpForm);
            assertThat(EmailAddress.parse(smtpForm)).isEqualTo(a);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "\"alice@example.com",          // never closed
            "\"alice\\\"@example.com",      // closing quote is escaped
            "\"alice\\",                    // backslash at the very end
            "\"alice\"",                    // no domain at all
            "\"alice\"x@example.com",       // junk after the quoted string
            "\"alice\".bob@example.com",    // quoted-string is not an atom of a dot-string
            "\"\"@example.com",             // empty
            "\"a\tb\"@example.com",         // HTAB is not qtextSMTP
            "\"a\r\nb\"@example.com",
            "\"a\u0000b\"@example.com",
            "\"a\u007Fb\"@example.com",
            "\"a\\\u0007b\"@example.com",   // quoted-pair of a control
            "\"a\\\u00FCb\"@example.com",   // quoted-pair of non-ASCII
            "\"a\u0085b\"@example.com",     // C1 control
            "\"a\u2028b\"@example.com",
            "\"a\uD800b\"@example.com",     // unpaired surrogate
        })
        void malformedQuotedStringsAreRejected(String input) {
            assertThatThrownBy(() -> EmailAddress.parse(input)).isInstanceOf(InvalidAddressException.class);
        }

        @Test
        void unbalancedQuoteHasClearReason() {
            assertThat(invalid(() -> EmailAddress.parse("\"alice@example.com")).reason())
                    .isEqualTo("unbalanced quote in local part");
            assertThat(invalid(() -> EmailAddress.parse("\"\"@example.com")).reason())
                    .isEqualTo("local part is empty");
        }
    }

    @Nested
    class MalformedDotAtoms {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "''|address is empty",
            "alice|address has no '@'",
            "@example.com|local part is empty",
            "alice@|domain part is empty",
            ".alice@example.com|local part starts with '.'",
            "alice.@example.com|local part ends with '.'",
            "al..ice@example.com|local part contains consecutive dots",
            "alice@@example.com|address has more than one '@' outside quotes",
            "a@b@example.com|address has more than one '@' outside quotes",
            "al ice@example.com|local part contains ' ', which is only allowed in a quoted local part",
            "al\"ice@example.com|local part contains '\"', which is only allowed in a quoted local part",
            "a(b)@example.com|local part contains '(', which is only allowed in a quoted local part",
            "a\\b@example.com|local part contains '\\', which is only allowed in a quoted local part",
            "<alice@example.com>|local part contains '<', which is only allowed in a quoted local part",
        })
        void rejectedWithSpecificReason(String input, String reason) {
            assertThat(invalid(() -> EmailAddress.parse(input)).reason()).isEqualTo(reason);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "ali\u0000ce@example.com", "alice\r\n@example.com", "ali\tce@example.com", "ali\u007Fce@example.com",
            "ali\u0085ce@example.com", "ali\u00A0ce@example.com", "ali\u3000ce@example.com",
            "ali\u2028ce@example.com", "ali\uD800ce@example.com", "ali\uDC00ce@example.com",
            "Alice <alice@example.com>", " alice@example.com", "alice@example.com ", "alice @example.com",
            "alice@ example.com",
        })
        void controlsWhitespaceAndBrokenUnicodeAreRejected(String input) {
            assertThatThrownBy(() -> EmailAddress.parse(input)).isInstanceOf(InvalidAddressException.class);
        }

        @Test
        void controlCharacterReasonIsExplicit() {
            assertThat(invalid(() -> EmailAddress.parse("ali\rce@example.com")).reason())
                    .isEqualTo("local part contains a control character");
            assertThat(invalid(() -> EmailAddress.parse("ali\uD800ce@example.com")).reason())
                    .isEqualTo("local part contains an unpaired surrogate");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "alice@example..com", "alice@-example.com", "alice@exa_mple.com", "alice@192.0.2.1",
            "alice@[300.1.1.1]", "alice@[192.0.2.1", "alice@[x-tag:foo]", "alice@.", "alice@example.com.."
        })
        void badDomainsAreReportedAsDomainErrors(String input) {
            InvalidAddressException e = invalid(() -> EmailAddress.parse(input));

            assertThat(e.reason()).startsWith("invalid domain: ");
            assertThat(e.getCause()).isInstanceOf(InvalidAddressException.class);
            assertThat(e.getMessage()).contains(input);
        }
    }

    @Nested
    class Internationalised {

        @Test
        void utf8LocalPartAndIdnDomain() {
            EmailAddress a = EmailAddress.parse("用户@例子.广告");

            assertThat(a.localPart()).isEqualTo("用户");
            assertThat(a.domain().asciiForm()).isEqualTo("xn--fsqu00a.xn--4rr70v");
            assertThat(a).hasToString("用户@xn--fsqu00a.xn--4rr70v");
            assertThat(a.toUnicodeString()).isEqualTo("用户@例子.广告");
            assertThat(a.isAscii()).isFalse();
            assertThat(a.requiresSmtpUtf8()).isTrue();
            assertThat(EmailAddress.parse("用户@xn--fsqu00a.xn--4rr70v")).isEqualTo(a);
        }

        @Test
        void idnDomainWithAsciiLocalPartDoesNotNeedSmtpUtf8() {
            EmailAddress a = EmailAddress.parse("info@münchen.de");

            assertThat(a).hasToString("info@xn--mnchen-3ya.de");
            assertThat(a.toUnicodeString()).isEqualTo("info@münchen.de");
            assertThat(a.isAscii()).isTrue();
            assertThat(a.requiresSmtpUtf8()).isFalse();
        }

        @Test
        void parseWithoutUtf8RejectsAnyNonAsciiInput() {
            assertThat(invalid(() -> EmailAddress.parse("用户@例子.广告", false)).reason())
                    .isEqualTo("non-ASCII character requires SMTPUTF8");
            // even a domain that has an ASCII form: the SMTP command itself must be ASCII
            assertThat(invalid(() -> EmailAddress.parse("info@münchen.de", false)).reason())
                    .isEqualTo("non-ASCII character requires SMTPUTF8");
            assertThatThrownBy(() -> EmailAddress.parse("\"jürgen\"@example.com", false))
                    .isInstanceOf(InvalidAddressException.class);
        }

        @Test
        void parseWithoutUtf8AcceptsAsciiAndALabels() {
            EmailAddress a = EmailAddress.parse("info@xn--mnchen-3ya.de", false);

            assertThat(a).isEqualTo(EmailAddress.parse("info@münchen.de", true));
            assertThat(EmailAddress.parse("alice@example.com", false)).isEqualTo(EmailAddress.parse("alice@example.com"));
        }

        @Test
        void plainParseAllowsUtf8() {
            assertThat(EmailAddress.parse("jürgen@example.com").localPart()).isEqualTo("jürgen");
        }

        @Test
        void supplementaryCharactersAreAccepted() {
            EmailAddress a = EmailAddress.parse("\uD83D\uDE00@example.com");

            assertThat(a.localPart()).isEqualTo("\uD83D\uDE00");
            assertThat(a.requiresSmtpUtf8()).isTrue();
        }
    }

    @Nested
    class SubAddressing {

        @Test
        void tagIsSplitAtFirstPlus() {
            EmailAddress a = EmailAddress.parse("alice+news@example.test");

            assertThat(a.tag()).contains("news");
            assertThat(a.baseAddress()).isEqualTo(EmailAddress.parse("alice@example.test"));
            assertThat(a.baseAddress().tag()).isEmpty();
            assertThat(a.localPart()).isEqualTo("alice+news");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "alice+news+extra@example.test|alice@example.test|news+extra",
            "Alice+News@example.test|Alice@example.test|News",
            "alice+@example.test|alice@example.test|''",
            "a.b+c.d@example.test|a.b@example.test|c.d",
            "\"alice+news\"@example.test|alice@example.test|news",
            "jürgen+spam@example.test|jürgen@example.test|spam",
        })
        void tagVariants(String input, String base, String tag) {
            EmailAddress a = EmailAddress.parse(input);

            assertThat(a.baseAddress()).isEqualTo(EmailAddress.parse(base));
            assertThat(a.tag()).isEqualTo(Optional.of(tag));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "alice@example.test", "+news@example.test", "alice.+news@example.test", "\"a b+c\"@example.test",
            "\"a..b+c\"@example.test",
        })
        void noTag(String input) {
            EmailAddress a = EmailAddress.parse(input);

            assertThat(a.tag()).isEmpty();
            assertThat(a.baseAddress()).isSameAs(a);
        }

        @Test
        void baseAddressKeepsAddressLiteralDomain() {
            EmailAddress a = EmailAddress.parse("bob+x@[192.0.2.1]");

            assertThat(a.baseAddress()).hasToString("bob@[192.0.2.1]");
        }
    }

    @Nested
    class Limits {

        static final String DOMAIN_189 = DomainTest.domainOfLength(189);
        static final String DOMAIN_190 = DomainTest.domainOfLength(190);

        @Test
        void localPartOf64OctetsIsAcceptedAnd65Rejected() {
            EmailAddress a = EmailAddress.parse("a".repeat(64) + "@example.com");

            assertThat(a.localPart()).hasSize(64);
            assertThat(invalid(() -> EmailAddress.parse("a".repeat(65) + "@example.com")).reason())
                    .isEqualTo("local part is longer than 64 octets");
        }

        @Test
        void localPartLimitCountsUtf8Octets() {
            // "é" is two octets: 32 fit, 33 (only 33 chars, but 66 octets) do not
            assertThat(EmailAddress.parse("é".repeat(32) + "@example.com").localPart()).hasSize(32);
            assertThatThrownBy(() -> EmailAddress.parse("é".repeat(33) + "@example.com"))
                    .isInstanceOf(InvalidAddressException.class)
                    .hasMessageContaining("64 octets");
            // "用" is three octets: 21 -> 63, 22 -> 66
            assertThat(EmailAddress.parse("用".repeat(21) + "@example.com").localPart()).hasSize(21);
            assertThatThrownBy(() -> EmailAddress.parse("用".repeat(22) + "@example.com"))
                    .isInstanceOf(InvalidAddressException.class);
        }

        @Test
        void localPartLimitCountsTheQuotes() {
            String fits = "\"" + "a".repeat(61) + " \"@example.com";       // 64 octets with quotes
            String over = "\"" + "a".repeat(62) + " \"@example.com";       // 65

            assertThat(EmailAddress.parse(fits).toString()).startsWith("\"a");
            assertThatThrownBy(() -> EmailAddress.parse(over))
                    .isInstanceOf(InvalidAddressException.class)
                    .hasMessageContaining("64 octets");
        }

        @Test
        void addressOf254OctetsIsAcceptedAnd255Rejected() {
            String ok = "a".repeat(64) + "@" + DOMAIN_189;
            String over = "a".repeat(64) + "@" + DOMAIN_190;

            assertThat(ok).hasSize(254);
            assertThat(EmailAddress.parse(ok)).hasToString(ok);
            assertThat(invalid(() -> EmailAddress.parse(over)).reason())
                    .isEqualTo("address is longer than 254 octets");
        }

        @Test
        void addressLengthCountsUtf8Octets() {
            String domain = DomainTest.domainOfLength(189 + 2);
            // 31 x "é" = 62 octets, + "@" + 191 = 254 octets in 223 chars
            String ok = "é".repeat(31) + "@" + domain;
            String over = "é".repeat(31) + "a@" + domain;

            assertThat(EmailAddress.parse(ok).localPart()).hasSize(31);
            assertThatThrownBy(() -> EmailAddress.parse(over))
                    .isInstanceOf(InvalidAddressException.class)
                    .hasMessageContaining("254 octets");
        }

        @Test
        void smtpFormMustAlsoFitWhenALabelsAreLongerThanTheInput() {
            // 13 x "münchen." is 104 chars of input but 195 octets as A-labels
            String input = "a".repeat(64) + "@" + "münchen.".repeat(13) + "de";

            assertThat(input.length()).isLessThanOrEqualTo(254);
            assertThat(invalid(() -> EmailAddress.parse(input)).reason())
                    .isEqualTo("address is longer than 254 octets in SMTP form");
        }

        @Test
        void hugeInputIsRejectedUpFront() {
            String huge = "a".repeat(5_000_000) + "@example.com";

            InvalidAddressException e = invalid(() -> EmailAddress.parse(huge));

            assertThat(e.reason()).isEqualTo("address is longer than 254 octets");
            assertThat(e.getMessage()).hasSizeLessThan(200);
        }
    }

    @Nested
    class Paths {

        @Test
        void bracketedPath() {
            assertThat(EmailAddress.parsePath("<alice@example.com>"))
                    .contains(EmailAddress.parse("alice@example.com"));
        }

        @Test
        void nullReversePathIsEmpty() {
            assertThat(EmailAddress.parsePath("<>")).isEmpty();
            assertThat(EmailAddress.parsePath("<>", false)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "<@relay.example:bob@example.org>",
            "<@a.example,@b.example:bob@example.org>",
            "<@A.EXAMPLE,@b.example,@c.example:bob@example.org>",
        })
        void sourceRouteIsIgnored(String path) {
            assertThat(EmailAddress.parsePath(path)).contains(EmailAddress.parse("bob@example.org"));
        }

        @Test
        void sourceRouteBeforeQuotedLocalPartAndIpv6Literal() {
            assertThat(EmailAddress.parsePath("<@a.example:\"x:y\"@[IPv6:2001:db8::1]>"))
                    .map(EmailAddress::toString)
                    .contains("\"x:y\"@[IPv6:2001:db8::1]");
        }

        @Test
        void quotedAndInternationalisedPaths() {
            assertThat(EmailAddress.parsePath("<\"john..doe\"@example.com>").orElseThrow().localPart())
                    .isEqualTo("john..doe");
            assertThat(EmailAddress.parsePath("<用户@例子.广告>").orElseThrow().toUnicodeString())
                    .isEqualTo("用户@例子.广告");
            assertThatThrownBy(() -> EmailAddress.parsePath("<用户@例子.广告>", false))
                    .isInstanceOf(InvalidAddressException.class)
                    .hasMessageContaining("SMTPUTF8");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "alice@example.com|path must be enclosed in < >",
            "<alice@example.com|path must be enclosed in < >",
            "alice@example.com>|path must be enclosed in < >",
            "<|path must be enclosed in < >",
            "''|path must be enclosed in < >",
            "' <alice@example.com>'|path must be enclosed in < >",
            "'<alice@example.com> '|path must be enclosed in < >",
            "<@relay.example bob@example.org>|source route is not terminated by ':'",
            "<@:bob@example.org>|malformed source route",
            "<@a.example,:bob@example.org>|malformed source route",
            "<@a.example,b.example:bob@example.org>|malformed source route",
            "<@a..example:bob@example.org>|malformed source route: domain has an empty label",
            "<@[192.0.2.1]:bob@example.org>|malformed source route: address literal is not a domain name (use DomainPart.parse or AddressLiteral.parse)",
            "<@a.example:>|address is empty",
            "<Postmaster>|address has no '@'",
            "<<alice@example.com>>|local part contains '<', which is only allowed in a quoted local part",
            "< alice@example.com>|local part contains ' ', which is only allowed in a quoted local part",
        })
        void malformedPathsAreRejected(String path, String reason) {
            InvalidAddressException e = invalid(() -> EmailAddress.parsePath(path));

            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).endsWith(InvalidAddressException.echo(path));
        }

        @Test
        void pathOf256OctetsIsAcceptedAnd257Rejected() {
            String address = "a".repeat(64) + "@" + Limits.DOMAIN_189;

            assertThat(EmailAddress.parsePath("<" + address + ">")).contains(EmailAddress.parse(address));
            assertThat(invalid(() -> EmailAddress.parsePath("<" + address + "a>")).reason())
                    .isEqualTo("path is longer than 256 octets");
        }

        @Test
        void sourceRouteCountsTowardsThePathLimit() {
            String route = "@" + "r".repeat(63) + "." + "s".repeat(63) + ".example:";   // 137 chars
            String domain = "@" + "d".repeat(63) + "." + "e".repeat(44);                 // 109 chars
            String fits = "<" + route + "b".repeat(8) + domain + ">";
            String over = "<" + route + "b".repeat(9) + domain + ">";

            assertThat(fits).hasSize(256);
            assertThat(over).hasSize(257);
            assertThat(EmailAddress.parsePath(fits)).contains(EmailAddress.parse("b".repeat(8) + domain));
            assertThat(invalid(() -> EmailAddress.parsePath(over)).reason())
                    .isEqualTo("path is longer than 256 octets");
        }
    }

    @Nested
    class FromParts {

        @Test
        void quotingIsAddedWhenNeeded() {
            EmailAddress a = EmailAddress.of("john doe", Domain.parse("Example.com"));

            assertThat(a).hasToString("\"john doe\"@example.com");
            assertThat(a).isEqualTo(EmailAddress.parse("\"john doe\"@example.com"));
        }

        @Test
        void plainLocalPartEqualsParsedForm() {
            assertThat(EmailAddress.of("alice+tag", Domain.parse("example.com")))
                    .isEqualTo(EmailAddress.parse("alice+tag@example.com"))
                    .satisfies(a -> assertThat(a.tag()).contains("tag"));
        }

        @Test
        void quotesAndBackslashesAreEscaped() {
            EmailAddress a = EmailAddress.of("say \"hi\\\"", AddressLiteral.parse("[192.0.2.1]"));

            assertThat(a).hasToString("\"say \\\"hi\\\\\\\"\"@[192.0.2.1]");
            assertThat(EmailAddress.parse(a.toString())).isEqualTo(a);
        }

        @Test
        void limitsAndCharactersAreChecked() {
            Domain d = Domain.parse("example.com");

            assertThat(EmailAddress.of("a".repeat(64), d).localPart()).hasSize(64);
            assertThat(invalid(() -> EmailAddress.of("a".repeat(65), d)).reason())
                    .isEqualTo("local part is longer than 64 octets");
            assertThat(invalid(() -> EmailAddress.of("a".repeat(63) + " ", d)).reason())
                    .isEqualTo("local part is longer than 64 octets");
            assertThat(invalid(() -> EmailAddress.of("", d)).reason()).isEqualTo("local part is empty");
            assertThat(invalid(() -> EmailAddress.of("a\nb", d)).reason())
                    .isEqualTo("local part contains a control character");
            assertThat(invalid(() -> EmailAddress.of("a\uDC00", d)).reason())
                    .isEqualTo("local part contains an unpaired surrogate");
            assertThat(invalid(() -> EmailAddress.of("a".repeat(64), Domain.parse(DomainTest.domainOfLength(190))))
                    .reason()).isEqualTo("address is longer than 254 octets in SMTP form");
        }
    }
}
