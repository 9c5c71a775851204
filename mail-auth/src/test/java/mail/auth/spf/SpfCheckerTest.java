package mail.auth.spf;

import static mail.auth.dns.FakeDns.ip;
import static org.assertj.core.api.Assertions.assertThat;

import mail.auth.dns.FakeDns;
import mail.auth.spf.SpfResult.Status;
import org.junit.jupiter.api.Test;

/** check_host() against zone data: every mechanism, qualifiers, modifiers, limits and errors of RFC 7208. */
class SpfCheckerTest {
    private final FakeDns dns = new FakeDns();
    private final SpfChecker spf = new SpfChecker(dns, SpfChecker.Limits.RFC, "mx.example.net");

    private Status from(String ip, String sender) {
        return spf.checkMailFrom(ip(ip), sender, "client.example.org").status();
    }

    @Test
    void qualifiersDecideTheResultOfTheMatchingMechanism() {
        dns.txt("pass.example", "v=spf1 ip4:192.0.2.0/24 -all")
                .txt("soft.example", "v=spf1 ~all")
                .txt("neutral.example", "v=spf1 ?all")
                .txt("empty.example", "v=spf1")
                .txt("other.example", "some verification token", "v=spf1 +ip4:198.51.100.7 -all");
        assertThat(from("192.0.2.77", "a@pass.example")).isEqualTo(Status.PASS);
        assertThat(from("198.51.100.1", "a@pass.example")).isEqualTo(Status.FAIL);
        assertThat(from("198.51.100.1", "a@soft.example")).isEqualTo(Status.SOFTFAIL);
        assertThat(from("198.51.100.1", "a@neutral.example")).isEqualTo(Status.NEUTRAL);
        assertThat(from("198.51.100.1", "a@empty.example")).isEqualTo(Status.NEUTRAL);
        assertThat(from("198.51.100.7", "a@other.example")).isEqualTo(Status.PASS);
        SpfResult fail = spf.checkMailFrom(ip("198.51.100.1"), "a@pass.example", "h.example");
        assertThat(fail.mechanism()).isEqualTo("-all");
        assertThat(fail.domain()).isEqualTo("pass.example");
    }

    @Test
    void noRecordIsNoneAndTwoRecordsArePermerror() {
        dns.txt("two.example", "v=spf1 -all", "v=spf1 +all").txt("spf2.example", "v=spf10 -all", "spf2.0/pra -all");
        assertThat(from("192.0.2.1", "a@nothing.example")).isEqualTo(Status.NONE);
        assertThat(from("192.0.2.1", "a@two.example")).isEqualTo(Status.PERMERROR);
        assertThat(from("192.0.2.1", "a@spf2.example")).isEqualTo(Status.NONE);
    }

    @Test
    void syntaxErrorsArePermerrorsButUnknownModifiersAreIgnored() {
        dns.txt("bad1.example", "v=spf1 ip4:192.0.2.300 -all")
                .txt("bad2.example", "v=spf1 frobnicate -all")
                .txt("bad3.example", "v=spf1 ip4:192.0.2.0/33 -all")
                .txt("bad4.example", "v=spf1 redirect=a.example redirect=b.example")
                .txt("bad5.example", "v=spf1 include -all")
                .txt("bad6.example", "v=spf1 a:foo.123 -all")
                .txt("bad7.example", "v=spf1 exists:%{q}.example -all")
                .txt("ok.example", "v=spf1 moo=cow.%{d} ip4:192.0.2.1 -all");
        for (String d : new String[] {"bad1", "bad2", "bad3", "bad4", "bad5", "bad6", "bad7"}) {
            assertThat(from("192.0.2.1", "a@" + d + ".example")).as(d).isEqualTo(Status.PERMERROR);
        }
        assertThat(from("192.0.2.1", "a@ok.example")).isEqualTo(Status.PASS);
    }

    @Test
    void aAndMxMechanismsWithDualCidr() {
        dns.txt("a.example", "v=spf1 a a:other.example/24 -all")
                .a("a.example", "192.0.2.10", "2001:db8::10")
                .a("other.example", "198.51.100.200")
                .txt("mx.example", "v=spf1 mx/30//64 -all")
                .mx("mx.example", "mx1.mx.example", "mx2.mx.example")
                .a("mx2.mx.example", "203.0.113.4", "2001:db8:1:2::1");
        assertThat(from("192.0.2.10", "a@a.example")).isEqualTo(Status.PASS);
        assertThat(from("2001:db8::10", "a@a.example")).isEqualTo(Status.PASS);
        assertThat(from("198.51.100.9", "a@a.example")).isEqualTo(Status.PASS);
        assertThat(from("192.0.2.11", "a@a.example")).isEqualTo(Status.FAIL);
        assertThat(from("203.0.113.7", "a@mx.example")).isEqualTo(Status.PASS);
        assertThat(from("203.0.113.8", "a@mx.example")).isEqualTo(Status.FAIL);
        assertThat(from("2001:db8:1:2:ffff::1", "a@mx.example")).isEqualTo(Status.PASS);
    }

    @Test
    void moreThanTenMxNamesIsPermerror() {
        dns.txt("manymx.example", "v=spf1 mx -all");
        for (int i = 0; i < 11; i++) {
            dns.mx("manymx.example", "mx" + i + ".manymx.example");
        }
        assertThat(from("192.0.2.1", "a@manymx.example")).isEqualTo(Status.PERMERROR);
    }

    @Test
    void includeMatchesOnlyOnPassAndPropagatesErrors() {
        dns.txt("inc.example", "v=spf1 include:pass.example include:fail.example -all")
                .txt("pass.example", "v=spf1 ip4:192.0.2.1 -all")
                .txt("fail.example", "v=spf1 ip4:192.0.2.2 -all")
                .txt("incnone.example", "v=spf1 include:nothing.example -all")
                .txt("inctemp.example", "v=spf1 include:slow.example -all")
                .failing("slow.example");
        assertThat(from("192.0.2.1", "a@inc.example")).isEqualTo(Status.PASS);
        assertThat(from("192.0.2.2", "a@inc.example")).isEqualTo(Status.PASS);
        // the included record's -all does not end the outer evaluation
        assertThat(from("192.0.2.3", "a@inc.example")).isEqualTo(Status.FAIL);
        assertThat(from("192.0.2.3", "a@incnone.example")).isEqualTo(Status.PERMERROR);
        assertThat(from("192.0.2.3", "a@inctemp.example")).isEqualTo(Status.TEMPERROR);
    }

    @Test
    void aDnsTimeoutIsTemperror() {
        dns.failing("slow.example").txt("atemp.example", "v=spf1 a:slow.example -all");
        assertThat(from("192.0.2.1", "a@slow.example")).isEqualTo(Status.TEMPERROR);
        assertThat(from("192.0.2.1", "a@atemp.example")).isEqualTo(Status.TEMPERROR);
    }

    @Test
    void redirectAppliesWhenNothingMatchedAndIsIgnoredWithAll() {
        dns.txt("r.example", "v=spf1 ip4:192.0.2.9 redirect=target.example")
                .txt("target.example", "v=spf1 ip4:198.51.100.0/24 -all")
                .txt("rall.example", "v=spf1 ?all redirect=target.example")
                .txt("rnone.example", "v=spf1 redirect=nothing.example");
        assertThat(from("192.0.2.9", "a@r.example")).isEqualTo(Status.PASS);
        assertThat(from("198.51.100.5", "a@r.example")).isEqualTo(Status.PASS);
        assertThat(from("203.0.113.5", "a@r.example")).isEqualTo(Status.FAIL);
        assertThat(from("198.51.100.5", "a@rall.example")).isEqualTo(Status.NEUTRAL);
        assertThat(from("198.51.100.5", "a@rnone.example")).isEqualTo(Status.PERMERROR);
    }

    @Test
    void tenDnsQueryingTermsAreAllowedAndTheEleventhIsPermerror() {
        // a chain of includes: ten is fine, eleven is one too many (the budget spans the includes)
        for (int i = 0; i < 11; i++) {
            dns.txt("c" + i + ".example", "v=spf1 include:c" + (i + 1) + ".example -all");
        }
        dns.txt("c11.example", "v=spf1 +all");
        dns.txt("c10only.example", "v=spf1 include:c2.example -all");
        assertThat(from("192.0.2.1", "a@c0.example")).isEqualTo(Status.PERMERROR);
        // from c2: includes c3..c11 = 9 lookups, plus the one of c10only = 10
        assertThat(from("192.0.2.1", "a@c10only.example")).isEqualTo(Status.PASS);
    }

    @Test
    void aThirdVoidLookupIsPermerror() {
        dns.txt("voids.example", "v=spf1 a:n1.example a:n2.example a:n3.example +all")
                .txt("twovoids.example", "v=spf1 a:n1.example a:n2.example +all");
        assertThat(from("192.0.2.1", "a@voids.example")).isEqualTo(Status.PERMERROR);
        assertThat(from("192.0.2.1", "a@twovoids.example")).isEqualTo(Status.PASS);
    }

    @Test
    void existsWithMacros() {
        dns.txt("ex.example", "v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all")
                .a("1.2.0.192.someuser._spf.ex.example", "127.0.0.2");
        assertThat(from("192.0.2.1", "someuser@ex.example")).isEqualTo(Status.PASS);
        assertThat(from("192.0.2.1", "other@ex.example")).isEqualTo(Status.FAIL);
    }

    @Test
    void ptrMatchesOnlyValidatedNames() {
        dns.txt("ptr.example", "v=spf1 ptr -all")
                .ptr("192.0.2.5", "host.ptr.example", "liar.ptr.example")
                .a("host.ptr.example", "192.0.2.5")
                .ptr("192.0.2.6", "liar.ptr.example")
                .a("liar.ptr.example", "203.0.113.1");
        assertThat(from("192.0.2.5", "a@ptr.example")).isEqualTo(Status.PASS);
        assertThat(from("192.0.2.6", "a@ptr.example")).isEqualTo(Status.FAIL);
    }

    @Test
    void explanationIsExpandedForFail() {
        dns.txt("exp.example", "v=spf1 -all exp=explain.%{d}")
                .txt("explain.exp.example", "%{i} is not one of %{d}'s servers");
        SpfResult r = spf.checkMailFrom(ip("192.0.2.7"), "a@exp.example", "h.example");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.reason()).endsWith("192.0.2.7 is not one of exp.example's servers");
    }

    @Test
    void nullSenderAndHeloIdentities() {
        dns.txt("client.example.org", "v=spf1 ip4:192.0.2.44 -all");
        assertThat(spf.checkMailFrom(ip("192.0.2.44"), "", "client.example.org").status()).isEqualTo(Status.PASS);
        assertThat(spf.checkMailFrom(ip("192.0.2.45"), "", "client.example.org").status()).isEqualTo(Status.FAIL);
        assertThat(spf.checkHelo(ip("192.0.2.44"), "client.example.org").status()).isEqualTo(Status.PASS);
        assertThat(spf.checkHelo(ip("192.0.2.44"), "[192.0.2.44]").status()).isEqualTo(Status.NONE);
        assertThat(spf.checkHelo(ip("192.0.2.44"), "localhost").status()).isEqualTo(Status.NONE);
    }

    @Test
    void ipv4MappedClientMatchesIp4() {
        dns.txt("mapped.example", "v=spf1 ip4:192.0.2.0/24 -all");
        assertThat(from("::ffff:192.0.2.8", "a@mapped.example")).isEqualTo(Status.PASS);
    }

    @Test
    void ip6Networks() {
        dns.txt("six.example", "v=spf1 ip6:2001:db8:abcd::/48 -all");
        assertThat(from("2001:db8:abcd:12::1", "a@six.example")).isEqualTo(Status.PASS);
        assertThat(from("2001:db8:abce::1", "a@six.example")).isEqualTo(Status.FAIL);
        assertThat(from("192.0.2.1", "a@six.example")).isEqualTo(Status.FAIL);
    }
}
