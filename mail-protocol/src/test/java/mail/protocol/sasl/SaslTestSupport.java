package mail.protocol.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

final class SaslTestSupport {
    private SaslTestSupport() {
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    static SaslStep.Failure assertFailure(SaslStep step, SaslStep.Reason reason) {
        assertThat(step).isInstanceOf(SaslStep.Failure.class);
        SaslStep.Failure failure = (SaslStep.Failure) step;
        assertThat(failure.reason()).as(failure.detail()).isEqualTo(reason);
        return failure;
    }

    static SaslStep.Challenge assertChallenge(SaslStep step, String base64) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        SaslStep.Challenge challenge = (SaslStep.Challenge) step;
        assertThat(challenge.base64()).isEqualTo(base64);
        return challenge;
    }
}
