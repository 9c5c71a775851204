package mail.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import mail.auth.dmarc.DmarcRecord.Policy;
import mail.auth.dmarc.DmarcResult.Status;
import mail.auth.dns.FakeDns;
import org.junit.jupiter.api.Test;

/** RFC 7489: record parsing, policy discovery, alignment and pct sampling. */
class DmarcEvaluatorTest {
    private final FakeDns dns = new FakeDns();
    private int percentile = 0;
    private final DmarcEvaluator dmarc = new DmarcEvaluator(dns, () -> percentile);

    @Test
    void organisationalDomainsComeFromThePublicSuffixList() {
        assertThat(OrganizationalDomain.of("mail.example.com")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("a.b.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomain.of("Example.COM.")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("com")).isEqualTo("com");
        assertThat(OrganizationalDomain.aligned("news.example.com", "example.com", false)).isTrue();
        assertThat(OrganizationalDomain.aligned("news.example.com", "example.com", true)).isFalse();
        assertThat(OrganizationalDomain.aligned("example.co.uk", "other.co.uk", false)).isFalse();
    }

    @Test
    void recordsParseWithDefaultsAndRefuseNonsense() {
        DmarcRecord r = DmarcRecord.parse("v=DMARC1; p=reject; rua=mailto:d@example.com");
        assertThat(r.policy()).isEqualTo(Policy.REJECT);
        assertThat(r.subdomainPolicy()).isEqualTo(Policy.REJECT);
        assertThat(r.strictDkim()).isFalse();
        assertThat(r.percent()).isEqualTo(100);
        DmarcRecord s = DmarcRecord.parse("v=DMARC1;p=quarantine;sp=none;adkim=s;aspf=s;pct=20;");
        assertThat(s.subdomainPolicy()).isEqualTo(Policy.NONE);
        assertThat(s.strictSpf()).isTrue();
        assertThat(s.percent()).isEqualTo(20);
        assertThat(DmarcRecord.parse("v=DMARC1; rua=mailto:x@example.com").policy()).isEqualTo(Policy.NONE);
        assertThatThrownBy(() -> DmarcRecord.parse("p=reject; v=DMARC1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1; p=maybe")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1; p=none; pct=101")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DmarcRecord.parse("v=DMARC1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passWhenSpfOrDkimIsAligned() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject");
        assertThat(dmarc.evaluate("example.com", "bounces.example.com", List.of()).status()).isEqualTo(Status.PASS);
        assertThat(dmarc.evaluate("example.com", null, List.of("mail.example.com")).status()).isEqualTo(Status.PASS);
        DmarcResult fail = dmarc.evaluate("example.com", "example.net", List.of("example.org"));
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.disposition()).isEqualTo(Policy.REJECT);
        assertThat(fail.authResultsClause()).isEqualTo("dmarc=fail (p=reject dis=reject) header.from=example.com");
    }

    @Test
    void strictAlignmentNeedsTheSameName() {
        dns.txt("_dmarc.strict.example", "v=DMARC1; p=quarantine; adkim=s; aspf=s");
        assertThat(dmarc.evaluate("strict.example", "mail.strict.example", List.of("mail.strict.example")).status())
                .isEqualTo(Status.FAIL);
        assertThat(dmarc.evaluate("strict.example", null, List.of("strict.example")).status()).isEqualTo(Status.PASS);
    }

    @Test
    void subdomainsInheritTheOrganisationalPolicyAsSp() {
        dns.txt("_dmarc.example.org", "v=DMARC1; p=reject; sp=quarantine");
        DmarcResult r = dmarc.evaluate("news.example.org", null, List.of());
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.policy()).isEqualTo(Policy.QUARANTINE);
    }

    @Test
    void noRecordOrSeveralRecordsMeanNone() {
        dns.txt("_dmarc.two.example", "v=DMARC1; p=reject", "v=DMARC1; p=none");
        assertThat(dmarc.evaluate("nothing.example", null, List.of()).status()).isEqualTo(Status.NONE);
        assertThat(dmarc.evaluate("two.example", null, List.of()).status()).isEqualTo(Status.NONE);
    }

    @Test
    void errorsAreTemperrorOrPermerror() {
        dns.failing("_dmarc.slow.example").txt("_dmarc.broken.example", "v=DMARC1; p=sometimes");
        assertThat(dmarc.evaluate("slow.example", null, List.of()).status()).isEqualTo(Status.TEMPERROR);
        assertThat(dmarc.evaluate("broken.example", null, List.of()).status()).isEqualTo(Status.PERMERROR);
        assertThat(dmarc.evaluate(null, null, List.of()).status()).isEqualTo(Status.PERMERROR);
    }

    @Test
    void pctSamplesThePolicyAndOutsideItTheNextWeakerApplies() {
        dns.txt("_dmarc.pct.example", "v=DMARC1; p=reject; pct=25");
        percentile = 10;
        assertThat(dmarc.evaluate("pct.example", null, List.of()).disposition()).isEqualTo(Policy.REJECT);
        percentile = 60;
        assertThat(dmarc.evaluate("pct.example", null, List.of()).disposition()).isEqualTo(Policy.QUARANTINE);
    }
}
