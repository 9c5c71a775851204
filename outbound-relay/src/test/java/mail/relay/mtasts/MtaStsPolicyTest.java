package mail.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import mail.relay.mtasts.MtaStsPolicy.InvalidPolicy;
import mail.relay.mtasts.MtaStsPolicy.Mode;
import org.junit.jupiter.api.Test;

class MtaStsPolicyTest {

    @Test
    void theRfcExamplePolicyParsesWithCrlfOrLf() throws Exception {
        String rfc = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";
        MtaStsPolicy p = MtaStsPolicy.parse(rfc);
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.mx()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(MtaStsPolicy.parse(rfc.replace("\r\n", "\n"))).isEqualTo(p);
    }

    @Test
    void unknownKeysAreIgnoredAndTheFirstOfRepeatedSingleFieldsCounts() throws Exception {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nfuture_key: anything at all\nmode: testing\nmode: enforce\nmx: MX.Example.COM.\nmax_age:86400");
        assertThat(p.mode()).isEqualTo(Mode.TESTING);
        assertThat(p.mx()).containsExactly("mx.example.com");
        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void modeNoneNeedsNoMx() throws Exception {
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 0\n").mode()).isEqualTo(Mode.NONE);
    }

    @Test
    void malformedPoliciesAreRefusedWithTheReason() {
        assertInvalid("mode: enforce\nmx: a.example\nmax_age: 1", "no version");
        assertInvalid("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1", "unknown version STSv2");
        assertInvalid("version: STSv1\nmx: a.example\nmax_age: 1", "no mode");
        assertInvalid("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1", "unknown mode Enforce");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example", "max_age");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601", "max_age");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -5", "max_age");
        assertInvalid("version: STSv1\nmode: enforce\nmax_age: 60", "at least one mx");
        assertInvalid("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 60", "mx pattern");
        assertInvalid("version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 60", "mx pattern");
        assertInvalid("version: STSv1\nmode: enforce\nmx: bad_name.example\nmax_age: 60", "mx pattern");
        assertInvalid("<html><body>Not found</body></html>", "key: value");
    }

    @Test
    void wildcardsStandForExactlyOneLeftmostLabel() throws Exception {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmx: mail.example.org\nmax_age: 60");
        assertThat(p.permits("mx1.example.com")).isTrue();
        assertThat(p.permits("MX1.EXAMPLE.COM.")).isTrue();
        assertThat(p.permits("example.com")).isFalse();
        assertThat(p.permits("a.b.example.com")).isFalse();
        assertThat(p.permits("mail.example.org")).isTrue();
        assertThat(p.permits("x.mail.example.org")).isFalse();
        assertThat(p.permits("evil-example.com")).isFalse();
    }

    @Test
    void theTxtRecordNamesThePolicyId() {
        assertThat(StsRecord.select(List.of("v=STSv1; id=20160831085700Z;"))).contains(new StsRecord("20160831085700Z"));
        assertThat(StsRecord.select(List.of("v=spf1 -all", "v=STSv1;id=abc"))).contains(new StsRecord("abc"));
        assertThat(StsRecord.select(List.of("v=STSv1; id=abc; ext=value"))).contains(new StsRecord("abc"));
    }

    @Test
    void anInvalidOrAmbiguousTxtRecordMeansNoPolicy() {
        assertThat(StsRecord.select(List.of())).isEmpty();
        assertThat(StsRecord.select(List.of("v=STSv1; id=abc", "v=STSv1; id=def"))).isEqualTo(Optional.empty());
        assertThat(StsRecord.select(List.of("v=STSv1;"))).isEmpty();
        assertThat(StsRecord.select(List.of("v=STSv1; id=has-dash"))).isEmpty();
        assertThat(StsRecord.select(List.of("v=STSv1; id=" + "a".repeat(33)))).isEmpty();
        assertThat(StsRecord.select(List.of("v=STSv1; id=abc; bad field"))).isEmpty();
        assertThat(StsRecord.select(List.of("v=STSv10; id=abc"))).isEmpty();
    }

    private static void assertInvalid(String body, String reason) {
        assertThatThrownBy(() -> MtaStsPolicy.parse(body)).isInstanceOf(InvalidPolicy.class).hasMessageContaining(reason);
    }
}
