package mail.protocol.sasl;

import static mail.protocol.sasl.SaslTestSupport.assertChallenge;
import static mail.protocol.sasl.SaslTestSupport.assertFailure;
import static mail.protocol.sasl.SaslTestSupport.b64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaslPlainTest {

    private static SaslStep withInitialResponse(String decoded) {
        return new SaslPlain().start(Optional.of(b64(decoded)));
    }

    @Test
    void initialResponseGivesPasswordCredentials() {
        assertThat(withInitialResponse("\0alice@example.com\0s3cret pass"))
                .isEqualTo(new PasswordCredentials("alice@example.com", "s3cret pass"));
    }

    @Test
    void rfc4616ExampleWithMatchingAuthzid() {
        assertThat(withInitialResponse("tim\0tim\0tanstaaftanstaaf"))
                .isEqualTo(new PasswordCredentials("tim", "tanstaaftanstaaf"));
    }

    @Test
    void authzidThatDiffersFromAuthcidIsRefused() {
        SaslStep.Failure f = assertFailure(withInitialResponse("Ursel\0Kurt\0xipj3plmq"),
                SaslStep.Reason.AUTHZID_REFUSED);
        assertThat(f.reply()).isEqualTo("535 5.7.8 Authentication credentials invalid");
    }

    @Test
    void withoutInitialResponseTheServerSendsAnEmptyChallenge() {
        SaslPlain plain = new SaslPlain();
        SaslStep.Challenge c = assertChallenge(plain.start(Optional.empty()), "");
        assertThat(c.reply()).isEqualTo("334 ");
        assertThat(plain.step(b64("\0bob\0pw"))).isEqualTo(new PasswordCredentials("bob", "pw"));
    }

    @Test
    void utf8NamesAndPasswordsAreDecoded() {
        assertThat(withInitialResponse("\0jürgen@bücher.example\0pässwörd€"))
                .isEqualTo(new PasswordCredentials("jürgen@bücher.example", "pässwörd€"));
    }

    @Test
    void passwordsMayContainSpacesAndPunctuation() {
        assertThat(withInitialResponse("\0u\0 a:b=c\u0001 ")).isEqualTo(new PasswordCredentials("u", " a:b=c\u0001 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice\0secret", "alicesecret", "\0\0", "\0alice\0", "\0\0secret", "a\0b\0c\0d", ""})
    void missingSeparatorsOrEmptyFieldsAreMalformed(String decoded) {
        SaslStep.Failure f = assertFailure(withInitialResponse(decoded), SaslStep.Reason.MALFORMED);
        assertThat(f.detail()).doesNotContain("secret");
    }

    @Test
    void equalsSignIsTheEmptyInitialResponse() {
        assertFailure(new SaslPlain().start(Optional.of("=")), SaslStep.Reason.MALFORMED);
    }

    @Test
    void fieldsOf255OctetsAreAcceptedAnd256Refused() {
        String u255 = "u".repeat(255);
        String p255 = "p".repeat(255);
        assertThat(withInitialResponse(u255 + "\0" + u255 + "\0" + p255)).isEqualTo(new PasswordCredentials(u255, p255));
        assertFailure(withInitialResponse("\0" + "u".repeat(256) + "\0pw"), SaslStep.Reason.MALFORMED);
        assertFailure(withInitialResponse("\0user\0" + "p".repeat(256)), SaslStep.Reason.MALFORMED);
        assertFailure(withInitialResponse("a".repeat(256) + "\0user\0pw"), SaslStep.Reason.MALFORMED);
        // Octets, not characters: 128 two-octet characters are 256 octets.
        assertFailure(withInitialResponse("\0user\0" + "é".repeat(128)), SaslStep.Reason.MALFORMED);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] m = {0, 'u', 0, (byte) 0xC3, (byte) 0x28};
        assertFailure(new SaslPlain().start(Optional.of(b64(m))), SaslStep.Reason.MALFORMED);
    }

    @Test
    void controlCharactersInTheUserNameAreMalformed() {
        assertFailure(withInitialResponse("\0alice\r\nadmin\0pw"), SaslStep.Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!!", "AGFsaWNlAHNlY3JldA== ", " AGFsaWNlAHNlY3JldA==", "AGFsaWNl\tAHNlY3JldA==", "*", "A"})
    void undecodableBase64Is501(String line) {
        SaslStep.Failure f = assertFailure(new SaslPlain().start(Optional.of(line)), SaslStep.Reason.BAD_BASE64);
        assertThat(f.reply()).isEqualTo("501 5.5.2 Cannot decode base64 response");
    }

    @Test
    void unpaddedBase64IsAccepted() {
        String padded = b64("\0alice\0secret");
        assertThat(padded).endsWith("=");
        assertThat(new SaslPlain().start(Optional.of(padded.replace("=", ""))))
                .isEqualTo(new PasswordCredentials("alice", "secret"));
    }

    @Test
    void starCancels() {
        SaslPlain plain = new SaslPlain();
        plain.start(Optional.empty());
        SaslStep.Failure f = assertFailure(plain.step("*"), SaslStep.Reason.CANCELLED);
        assertThat(f.reply()).isEqualTo("501 5.0.0 Authentication cancelled");
    }

    @Test
    void linesLongerThan12288AreRefusedWith500() {
        SaslPlain plain = new SaslPlain();
        plain.start(Optional.empty());
        SaslStep.Failure f = assertFailure(plain.step("A".repeat(12289)), SaslStep.Reason.LINE_TOO_LONG);
        assertThat(f.reply()).isEqualTo("500 5.5.6 Authentication exchange line is too long");
        assertFailure(new SaslPlain().start(Optional.of("A".repeat(12289))), SaslStep.Reason.LINE_TOO_LONG);
    }

    @Test
    void aLineOfExactly12288IsParsed() {
        SaslPlain plain = new SaslPlain();
        plain.start(Optional.empty());
        assertFailure(plain.step("A".repeat(12288)), SaslStep.Reason.MALFORMED);
    }

    @Test
    void rejectedCredentialsEndWith535() {
        SaslPlain plain = new SaslPlain();
        assertThat(plain.start(Optional.of(b64("\0a\0b")))).isInstanceOf(PasswordCredentials.class);
        assertFailure(plain.rejectCredentials(), SaslStep.Reason.CREDENTIALS_INVALID);
        assertThatThrownBy(plain::rejectCredentials).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> plain.step("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void callsOutOfOrderAreProgrammingErrors() {
        SaslPlain plain = new SaslPlain();
        assertThatThrownBy(() -> plain.step("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(plain::rejectCredentials).isInstanceOf(IllegalStateException.class);
        plain.start(Optional.empty());
        assertThatThrownBy(() -> plain.start(Optional.empty())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(plain::rejectCredentials).isInstanceOf(IllegalStateException.class);
        assertFailure(plain.step("*"), SaslStep.Reason.CANCELLED);
        assertThatThrownBy(() -> plain.step("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void credentialsNeverPrintThePassword() {
        SaslStep step = withInitialResponse("\0alice\0hunter2");
        assertThat(step.toString()).contains("alice").doesNotContain("hunter2");
    }
}
