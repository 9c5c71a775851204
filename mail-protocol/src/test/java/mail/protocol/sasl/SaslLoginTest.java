package mail.protocol.sasl;

import static mail.protocol.sasl.SaslTestSupport.assertChallenge;
import static mail.protocol.sasl.SaslTestSupport.assertFailure;
import static mail.protocol.sasl.SaslTestSupport.b64;
import static mail.protocol.sasl.SaslTestSupport.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaslLoginTest {

    @Test
    void challengesAreTheCustomaryPrompts() {
        assertThat(unb64(SaslLogin.USERNAME_CHALLENGE)).isEqualTo("Username:");
        assertThat(unb64(SaslLogin.PASSWORD_CHALLENGE)).isEqualTo("Password:");
    }

    @Test
    void asksForUserNameThenPassword() {
        SaslLogin login = new SaslLogin();
        assertThat(assertChallenge(login.start(Optional.empty()), "VXNlcm5hbWU6").reply())
                .isEqualTo("334 VXNlcm5hbWU6");
        assertChallenge(login.step(b64("alice@example.com")), "UGFzc3dvcmQ6");
        assertThat(login.step(b64("correct horse"))).isEqualTo(new PasswordCredentials("alice@example.com", "correct horse"));
    }

    @Test
    void initialResponseIsTheUserName() {
        SaslLogin login = new SaslLogin();
        assertChallenge(login.start(Optional.of(b64("bob"))), SaslLogin.PASSWORD_CHALLENGE);
        assertThat(login.step(b64("pw"))).isEqualTo(new PasswordCredentials("bob", "pw"));
    }

    @Test
    void cancelAtEitherPrompt() {
        SaslLogin first = new SaslLogin();
        first.start(Optional.empty());
        assertFailure(first.step("*"), SaslStep.Reason.CANCELLED);

        SaslLogin second = new SaslLogin();
        second.start(Optional.empty());
        second.step(b64("bob"));
        assertFailure(second.step("*"), SaslStep.Reason.CANCELLED);
        assertThatThrownBy(() -> second.step(b64("pw"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void undecodableAnswersAre501() {
        SaslLogin login = new SaslLogin();
        login.start(Optional.empty());
        assertFailure(login.step("bob@example.com"), SaslStep.Reason.BAD_BASE64);

        SaslLogin atPassword = new SaslLogin();
        atPassword.start(Optional.of(b64("bob")));
        assertFailure(atPassword.step("%%%"), SaslStep.Reason.BAD_BASE64);
    }

    @Test
    void emptyUserNameOrPasswordIsMalformed() {
        SaslLogin login = new SaslLogin();
        login.start(Optional.empty());
        assertFailure(login.step(""), SaslStep.Reason.MALFORMED);

        SaslLogin emptyIr = new SaslLogin();
        assertFailure(emptyIr.start(Optional.of("=")), SaslStep.Reason.MALFORMED);

        SaslLogin atPassword = new SaslLogin();
        atPassword.start(Optional.of(b64("bob")));
        assertFailure(atPassword.step(""), SaslStep.Reason.MALFORMED);
    }

    @Test
    void overlongOrControlFilledFieldsAreMalformed() {
        SaslLogin longName = new SaslLogin();
        assertFailure(longName.start(Optional.of(b64("u".repeat(256)))), SaslStep.Reason.MALFORMED);

        SaslLogin ctl = new SaslLogin();
        assertFailure(ctl.start(Optional.of(b64("bob\nadmin"))), SaslStep.Reason.MALFORMED);

        SaslLogin longPw = new SaslLogin();
        longPw.start(Optional.of(b64("bob")));
        assertFailure(longPw.step(b64("p".repeat(256))), SaslStep.Reason.MALFORMED);

        SaslLogin nulPw = new SaslLogin();
        nulPw.start(Optional.of(b64("bob")));
        assertFailure(nulPw.step(b64("a\0b")), SaslStep.Reason.MALFORMED);

        SaslLogin maxPw = new SaslLogin();
        maxPw.start(Optional.of(b64("u".repeat(255))));
        assertThat(maxPw.step(b64("p".repeat(255))))
                .isEqualTo(new PasswordCredentials("u".repeat(255), "p".repeat(255)));
    }

    @Test
    void overlongLineAtThePasswordPrompt() {
        SaslLogin login = new SaslLogin();
        login.start(Optional.of(b64("bob")));
        assertFailure(login.step("A".repeat(SaslMechanism.MAX_LINE_LENGTH + 1)), SaslStep.Reason.LINE_TOO_LONG);
    }

    @Test
    void rejectedPasswordFailsAtOnce() {
        SaslLogin login = new SaslLogin();
        login.start(Optional.of(b64("bob")));
        login.step(b64("wrong"));
        assertThat(login.rejectCredentials().toString()).doesNotContain("wrong");
    }
}
