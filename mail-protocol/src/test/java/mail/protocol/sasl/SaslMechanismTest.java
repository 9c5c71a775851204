package mail.protocol.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaslMechanismTest {

    @Test
    void createsEachAdvertisedMechanismCaseInsensitively() {
        assertThat(SaslMechanism.NAMES).containsExactly("PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2");
        for (String name : SaslMechanism.NAMES) {
            Optional<SaslMechanism> m = SaslMechanism.create(name.toLowerCase(), OAuthErrorDetails.none());
            assertThat(m).isPresent();
            assertThat(m.get().name()).isEqualTo(name);
        }
        assertThat(SaslMechanism.create("plain", OAuthErrorDetails.none()).get()).isInstanceOf(SaslPlain.class);
        assertThat(SaslMechanism.create("Login", OAuthErrorDetails.none()).get()).isInstanceOf(SaslLogin.class);
    }

    @Test
    void unknownMechanismIsEmpty() {
        assertThat(SaslMechanism.create("CRAM-MD5", OAuthErrorDetails.none())).isEmpty();
        assertThat(SaslMechanism.create("", OAuthErrorDetails.none())).isEmpty();
    }

    @Test
    void eachCreateIsAFreshExchange() {
        assertThat(SaslMechanism.create("PLAIN", OAuthErrorDetails.none()).get())
                .isNotSameAs(SaslMechanism.create("PLAIN", OAuthErrorDetails.none()).get());
    }

    /** The loop an SMTP session runs, to show the API is drivable with nothing but instanceof. */
    @Test
    void aSessionLoopDrivesLoginToCredentials() {
        SaslMechanism mech = SaslMechanism.create("LOGIN", OAuthErrorDetails.none()).orElseThrow();
        java.util.Iterator<String> client = java.util.List.of(SaslTestSupport.b64("alice"), SaslTestSupport.b64("pw"))
                .iterator();
        StringBuilder transcript = new StringBuilder();
        SaslStep step = mech.start(Optional.empty());
        while (step instanceof SaslStep.Challenge c) {
            transcript.append(c.reply()).append('|');
            step = mech.step(client.next());
        }
        assertThat(transcript).hasToString("334 VXNlcm5hbWU6|334 UGFzc3dvcmQ6|");
        assertThat(step).isEqualTo(new PasswordCredentials("alice", "pw"));
    }
}
