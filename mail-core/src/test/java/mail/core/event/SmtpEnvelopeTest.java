package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpEnvelopeTest {

    @Test
    void emptyReversePathIsTheNullSender() {
        SmtpEnvelope bounce = new SmtpEnvelope("", List.of(Recipient.of("bob@example.com")), null, null,
                BodyType.SEVEN_BIT, false, null);

        assertThat(bounce.hasNullSender()).isTrue();
        assertThat(SampleEvents.envelope().hasNullSender()).isFalse();
    }

    @Test
    void missingReversePathIsNotMistakenForTheNullSender() {
        assertThatThrownBy(() -> new SmtpEnvelope(null, List.of(Recipient.of("bob@example.com")), null, null,
                BodyType.SEVEN_BIT, false, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("reversePath must not be null");
    }

    @Test
    void recipientsAreRequiredAndUnique() {
        assertThatThrownBy(() -> envelopeWith(List.of()))
                .hasMessage("recipients must not be empty");
        assertThatThrownBy(() -> envelopeWith(List.of(Recipient.of("bob@example.com"), Recipient.of("Bob@Example.com"))))
                .hasMessageContaining("duplicate recipient Bob@Example.com");
    }

    @Test
    void recipientListIsAnImmutableCopy() {
        List<Recipient> source = new ArrayList<>(List.of(Recipient.of("bob@example.com")));
        SmtpEnvelope envelope = envelopeWith(source);

        source.add(Recipient.of("eve@example.com"));

        assertThat(envelope.recipients()).extracting(Recipient::address).containsExactly("bob@example.com");
        assertThatThrownBy(() -> envelope.recipients().add(Recipient.of("eve@example.com")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void declaredSizeMustNotBeNegative() {
        assertThatThrownBy(() -> new SmtpEnvelope("a@example.org", List.of(Recipient.of("bob@example.com")), null,
                null, BodyType.SEVEN_BIT, false, -1L))
                .hasMessageContaining("declaredSize must be >= 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<bob@example.com>", "bob", "bob@", "@example.com", "bob@example.com\r\nRCPT TO:<x@y>", " "})
    void recipientAddressMustBeAPlainMailbox(String address) {
        assertThatThrownBy(() -> Recipient.of(address)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quotedLocalPartMayContainAnAtSign() {
        Recipient recipient = Recipient.of("\"odd@local\"@Example.COM");

        assertThat(recipient.domain()).isEqualTo("example.com");
    }

    @Test
    void notifyNeverExcludesOtherValues() {
        assertThatThrownBy(() -> new Recipient("bob@example.com", EnumSet.of(DsnNotify.NEVER, DsnNotify.FAILURE), null))
                .hasMessageContaining("NOTIFY=NEVER cannot be combined");
        assertThat(new Recipient("bob@example.com", Set.of(DsnNotify.NEVER), null).notifyOn())
                .containsExactly(DsnNotify.NEVER);
    }

    @Test
    void notifyIsKeptInProtocolOrderWhateverTheInputOrder() {
        Recipient recipient = new Recipient("bob@example.com",
                new java.util.LinkedHashSet<>(List.of(DsnNotify.DELAY, DsnNotify.SUCCESS)), null);

        assertThat(recipient.notifyOn()).containsExactly(DsnNotify.SUCCESS, DsnNotify.DELAY);
        assertThatThrownBy(() -> recipient.notifyOn().add(DsnNotify.FAILURE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(Recipient.of("bob@example.com").notifyOn()).isEmpty();
    }

    @Test
    void bodyTypeUsesTheSmtpKeywords() {
        assertThat(BodyType.fromKeyword("8bitmime")).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(BodyType.SEVEN_BIT.keyword()).isEqualTo("7BIT");
        assertThat(BodyType.BINARY_MIME.keyword()).isEqualTo("BINARYMIME");
        assertThatThrownBy(() -> BodyType.fromKeyword("QUANTUM")).hasMessageContaining("QUANTUM");
    }

    @Test
    void protocolNameFollowsTheSessionFacts() {
        assertThat(ReceivedProtocol.of(false, false, false)).isEqualTo(ReceivedProtocol.ESMTP);
        assertThat(ReceivedProtocol.of(false, true, true)).isEqualTo(ReceivedProtocol.ESMTPSA);
        assertThat(ReceivedProtocol.of(true, true, false)).isEqualTo(ReceivedProtocol.UTF8SMTPS);
        assertThat(ReceivedProtocol.LMTPA.authenticated()).isTrue();
        assertThat(ReceivedProtocol.LMTPA.tls()).isFalse();
    }

    @Test
    void connectionFactsMustAgreeWithTheProtocol() {
        Instant at = SampleEvents.RECEIVED_AT;
        assertThatThrownBy(() -> new ConnectionInfo("192.0.2.1", "h", null, ReceivedProtocol.ESMTPS, null, null,
                "gw", at)).hasMessageContaining("requires tlsProtocol and tlsCipher to be set");
        assertThatThrownBy(() -> new ConnectionInfo("192.0.2.1", "h", null, ReceivedProtocol.ESMTP, "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", "gw", at)).hasMessageContaining("to be null");
        assertThatThrownBy(() -> new ConnectionInfo("192.0.2.1", "h", null, ReceivedProtocol.ESMTPA, null, null,
                "gw", at)).hasMessageContaining("requires authenticatedUser to be set");
        assertThatThrownBy(() -> new ConnectionInfo("192.0.2.1", "h", "bob", ReceivedProtocol.ESMTP, null, null,
                "gw", at)).hasMessageContaining("requires authenticatedUser to be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mx.example.org", "192.0.2.1 ", "[192.0.2.1]"})
    void clientIpMustBeALiteral(String ip) {
        assertThatThrownBy(() -> new ConnectionInfo(ip, "h", null, ReceivedProtocol.ESMTP, null, null, "gw",
                SampleEvents.RECEIVED_AT)).hasMessageContaining("clientIp must be an IPv4 or IPv6 literal");
    }

    private static SmtpEnvelope envelopeWith(List<Recipient> recipients) {
        return new SmtpEnvelope("alice@example.org", recipients, null, null, BodyType.SEVEN_BIT, false, null);
    }
}
