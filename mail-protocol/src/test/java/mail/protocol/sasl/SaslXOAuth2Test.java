package mail.protocol.sasl;

import static mail.protocol.sasl.SaslTestSupport.assertChallenge;
import static mail.protocol.sasl.SaslTestSupport.assertFailure;
import static mail.protocol.sasl.SaslTestSupport.b64;
import static mail.protocol.sasl.SaslTestSupport.unb64;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaslXOAuth2Test {

    private static SaslStep start(String decoded) {
        return new SaslXOAuth2(OAuthErrorDetails.none()).start(Optional.of(b64(decoded)));
    }

    @Test
    void googleExampleGivesUserAndToken() {
        // The example from Google's XOAUTH2 protocol description.
        String ir = "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==";
        assertThat(new SaslXOAuth2(OAuthErrorDetails.none()).start(Optional.of(ir))).isEqualTo(new BearerCredentials(
                Optional.of("someuser@example.com"), "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"));
    }

    @Test
    void fieldOrderDoesNotMatter() {
        assertThat(start("auth=Bearer t\u0001user=u@example.com\u0001\u0001"))
                .isEqualTo(new BearerCredentials(Optional.of("u@example.com"), "t"));
    }

    @Test
    void withoutInitialResponseTheServerSendsAnEmptyChallenge() {
        SaslXOAuth2 mech = new SaslXOAuth2(OAuthErrorDetails.none());
        assertChallenge(mech.start(Optional.empty()), "");
        assertThat(mech.step(b64("user=u\u0001auth=Bearer t\u0001\u0001")))
                .isEqualTo(new BearerCredentials(Optional.of("u"), "t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "user=u\u0001auth=Bearer t",
            "user=u\u0001auth=Bearer t\u0001",
            "user=u\u0001auth=Bearer t\u0001\u0001\u0001",
            "auth=Bearer t\u0001\u0001",
            "user=\u0001auth=Bearer t\u0001\u0001",
            "user=u\u0001\u0001",
            "user=u\u0001auth=Basic x\u0001\u0001",
            "user=u\u0001auth=Bearer \u0001\u0001",
            "user=u\u0001user=v\u0001auth=Bearer t\u0001\u0001",
            "user=u\u0001noequals\u0001auth=Bearer t\u0001\u0001",
            "user=u\r\nx\u0001auth=Bearer t\u0001\u0001",
    })
    void malformedMessagesAreRefused(String decoded) {
        assertFailure(start(decoded), SaslStep.Reason.MALFORMED);
    }

    @Test
    void refusedTokenGetsGooglesErrorChallengeAndTheEmptyAnswerGets535() {
        SaslXOAuth2 mech = new SaslXOAuth2(new OAuthErrorDetails(Optional.of("openid email"), Optional.empty()));
        assertThat(mech.start(Optional.of(b64("user=u\u0001auth=Bearer t\u0001\u0001"))))
                .isInstanceOf(BearerCredentials.class);
        SaslStep step = mech.rejectCredentials();
        assertThat(unb64(((SaslStep.Challenge) step).base64()))
                .isEqualTo("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"openid email\"}");
        assertFailure(mech.step(""), SaslStep.Reason.CREDENTIALS_INVALID);
    }

    @Test
    void starCancelsAtTheErrorChallenge() {
        SaslXOAuth2 mech = new SaslXOAuth2(OAuthErrorDetails.none());
        mech.start(Optional.of(b64("user=u\u0001auth=Bearer t\u0001\u0001")));
        mech.rejectCredentials();
        assertFailure(mech.step("*"), SaslStep.Reason.CANCELLED);
    }

    @Test
    void overlongLineIsRefused() {
        SaslXOAuth2 mech = new SaslXOAuth2(OAuthErrorDetails.none());
        mech.start(Optional.empty());
        assertFailure(mech.step("A".repeat(12289)), SaslStep.Reason.LINE_TOO_LONG);
    }
}
