package mail.protocol.sasl;

import static mail.protocol.sasl.SaslTestSupport.assertChallenge;
import static mail.protocol.sasl.SaslTestSupport.assertFailure;
import static mail.protocol.sasl.SaslTestSupport.b64;
import static mail.protocol.sasl.SaslTestSupport.unb64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaslOAuthBearerTest {

    private static final String TOKEN = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
    private static final OAuthErrorDetails DETAILS = new OAuthErrorDetails(Optional.of("openid email"),
            Optional.of("https://id.example.com/realms/mail/.well-known/openid-configuration"));

    private static SaslStep start(String decoded) {
        return new SaslOAuthBearer(OAuthErrorDetails.none()).start(Optional.of(b64(decoded)));
    }

    @Test
    void rfc7628ExampleGivesUserAndToken() {
        String ir = "n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001auth=Bearer "
                + TOKEN + "\u0001\u0001";
        assertThat(start(ir)).isEqualTo(new BearerCredentials(Optional.of("user@example.com"), TOKEN));
    }

    @Test
    void authzidIsOptional() {
        assertThat(start("n,,\u0001auth=Bearer abc.def-ghi_jkl~mno+pqr/stu\u0001\u0001"))
                .isEqualTo(new BearerCredentials(Optional.empty(), "abc.def-ghi_jkl~mno+pqr/stu"));
    }

    @Test
    void yFlagAndLowerCaseSchemeAreAccepted() {
        assertThat(start("y,,\u0001auth=bearer tok\u0001\u0001"))
                .isEqualTo(new BearerCredentials(Optional.empty(), "tok"));
        assertThat(start("n,,\u0001auth=BEARER   tok\u0001\u0001"))
                .isEqualTo(new BearerCredentials(Optional.empty(), "tok"));
    }

    @Test
    void saslNameEscapesAreDecoded() {
        assertThat(start("n,a=we=2Cird=3Duser,\u0001auth=Bearer t\u0001\u0001"))
                .isEqualTo(new BearerCredentials(Optional.of("we,ird=user"), "t"));
    }

    @Test
    void withoutInitialResponseTheServerSendsAnEmptyChallenge() {
        SaslOAuthBearer mech = new SaslOAuthBearer(DETAILS);
        assertChallenge(mech.start(Optional.empty()), "");
        assertThat(mech.step(b64("n,,\u0001auth=Bearer t\u0001\u0001")))
                .isEqualTo(new BearerCredentials(Optional.empty(), "t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "\u0001",
            "n,,",
            "n,,auth=Bearer t\u0001\u0001",
            "n,,\u0001auth=Bearer t\u0001",
            "n,,\u0001auth=Bearer t",
            "n,,\u0001auth=Bearer t\u0001\u0001junk",
            "n,,\u0001\u0001",
            "n,,\u0001host=h\u0001\u0001",
            "n,,\u0001auth=Basic dXNlcjpwdw==\u0001\u0001",
            "n,,\u0001auth=Bearer\u0001\u0001",
            "n,,\u0001auth=Bearer \u0001\u0001",
            "n,,\u0001auth=Bearer a b\u0001\u0001",
            "n,,\u0001auth=Bearer t\u0001auth=Bearer u\u0001\u0001",
            "n,,\u0001au th=Bearer t\u0001\u0001",
            "n,,\u0001auth2=x\u0001auth=Bearer t\u0001\u0001",
            "n,,\u0001=x\u0001auth=Bearer t\u0001\u0001",
            "n,,\u0001noequals\u0001auth=Bearer t\u0001\u0001",
            "n,,\u0001host=h\u0000\u0001auth=Bearer t\u0001\u0001",
            "p=tls-unique,,\u0001auth=Bearer t\u0001\u0001",
            "F,n,,\u0001auth=Bearer t\u0001\u0001",
            "x,,\u0001auth=Bearer t\u0001\u0001",
            "n,b=user,\u0001auth=Bearer t\u0001\u0001",
            "n,a=,\u0001auth=Bearer t\u0001\u0001",
            "n,a=bad=41,\u0001auth=Bearer t\u0001\u0001",
            "n,a=user\u0001auth=Bearer t\u0001\u0001",
    })
    void malformedMessagesAreRefused(String decoded) {
        SaslStep.Failure f = assertFailure(start(decoded), SaslStep.Reason.MALFORMED);
        assertThat(f.detail()).doesNotContain("dXNlcjpwdw");
    }

    @Test
    void valuesMayContainSpacesTabsAndLineBreaks() {
        assertThat(start("n,,\u0001x=a b\tc\r\nd\u0001auth=Bearer t\u0001\u0001"))
                .isEqualTo(new BearerCredentials(Optional.empty(), "t"));
    }

    @Test
    void undecodableBase64Is501() {
        assertFailure(new SaslOAuthBearer(DETAILS).start(Optional.of("n,,\u0001auth")), SaslStep.Reason.BAD_BASE64);
    }

    @Test
    void refusedTokenGetsTheJsonErrorChallengeThenThe535() {
        SaslOAuthBearer mech = new SaslOAuthBearer(DETAILS);
        assertThat(mech.start(Optional.of(b64("n,a=user@example.com,\u0001auth=Bearer expired\u0001\u0001"))))
                .isInstanceOf(BearerCredentials.class);
        SaslStep step = mech.rejectCredentials();
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        assertThat(unb64(((SaslStep.Challenge) step).base64())).isEqualTo(
                "{\"status\":\"invalid_token\",\"schemes\":\"bearer\",\"scope\":\"openid email\","
                        + "\"openid-configuration\":\"https://id.example.com/realms/mail/.well-known/openid-configuration\"}");
        assertThat(((SaslStep.Challenge) step).reply()).startsWith("334 eyJ");
        SaslStep.Failure f = assertFailure(mech.step("AQ=="), SaslStep.Reason.CREDENTIALS_INVALID);
        assertThat(f.reply()).isEqualTo("535 5.7.8 Authentication credentials invalid");
        assertThatThrownBy(() -> mech.step("AQ==")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(mech::rejectCredentials).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void errorChallengeWithoutDetailsHasOnlyStatusAndSchemes() {
        SaslOAuthBearer mech = new SaslOAuthBearer(OAuthErrorDetails.none());
        mech.start(Optional.of(b64("n,,\u0001auth=Bearer t\u0001\u0001")));
        assertThat(unb64(((SaslStep.Challenge) mech.rejectCredentials()).base64()))
                .isEqualTo("{\"status\":\"invalid_token\",\"schemes\":\"bearer\"}");
    }

    @Test
    void scopeIsJsonEscaped() {
        SaslOAuthBearer mech = new SaslOAuthBearer(new OAuthErrorDetails(Optional.of("a\"b\\c\n"), Optional.empty()));
        mech.start(Optional.of(b64("n,,\u0001auth=Bearer t\u0001\u0001")));
        assertThat(unb64(((SaslStep.Challenge) mech.rejectCredentials()).base64()))
                .isEqualTo("{\"status\":\"invalid_token\",\"schemes\":\"bearer\",\"scope\":\"a\\\"b\\\\c\\u000a\"}");
    }

    @Test
    void anyAnswerToTheErrorChallengeEndsIn535AndStarCancels() {
        for (String answer : new String[] {"", "AQ==", "garbage!"}) {
            SaslOAuthBearer mech = new SaslOAuthBearer(DETAILS);
            mech.start(Optional.of(b64("n,,\u0001auth=Bearer t\u0001\u0001")));
            mech.rejectCredentials();
            assertFailure(mech.step(answer), SaslStep.Reason.CREDENTIALS_INVALID);
        }
        SaslOAuthBearer cancelled = new SaslOAuthBearer(DETAILS);
        cancelled.start(Optional.of(b64("n,,\u0001auth=Bearer t\u0001\u0001")));
        cancelled.rejectCredentials();
        assertFailure(cancelled.step("*"), SaslStep.Reason.CANCELLED);
    }

    @Test
    void tokenNeverAppearsInToString() {
        assertThat(start("n,,\u0001auth=Bearer sekrit-token\u0001\u0001").toString()).doesNotContain("sekrit");
    }
}
