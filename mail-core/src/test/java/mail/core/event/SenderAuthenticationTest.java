package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The optional mail.received field the MX fills in: additive, so records without it (older ones) still decode. */
class SenderAuthenticationTest {
    private final EventCodec codec = new EventCodec();
    private final ObjectMapper plain = new ObjectMapper();

    private static MailReceived withAuthentication(SenderAuthentication auth) {
        MailReceived e = SampleEvents.mailReceived();
        return new MailReceived(e.id(), e.source(), e.time(), e.message(), e.envelope(), e.connection(), auth);
    }

    @Test
    void resultsAndTheJunkFlagRoundTrip() throws Exception {
        MailReceived junk = withAuthentication(new SenderAuthentication("softfail", "none", "fail", true,
                "DMARC p=quarantine of example.org"));

        byte[] json = codec.encode(junk);

        assertThat(codec.decode(json)).isEqualTo(junk);
        assertThat(((MailReceived) codec.decode(json)).deliverToJunk()).isTrue();
        JsonNode auth = plain.readTree(json).get("data").get("authentication");
        assertThat(auth.get("spf").textValue()).isEqualTo("softfail");
        assertThat(auth.get("dkim").textValue()).isEqualTo("none");
        assertThat(auth.get("dmarc").textValue()).isEqualTo("fail");
        assertThat(auth.get("junk").booleanValue()).isTrue();
        assertThat(auth.get("reason").textValue()).isEqualTo("DMARC p=quarantine of example.org");
    }

    @Test
    void anEventWithoutResultsWritesNoFieldAndARecordWithoutTheFieldDecodesAsNotChecked() throws Exception {
        MailReceived unchecked = SampleEvents.mailReceived();

        JsonNode root = plain.readTree(codec.encode(unchecked));
        assertThat(root.get("data").has("authentication")).isFalse();

        MailReceived decoded = codec.decode(plain.writeValueAsBytes(root), MailReceived.class);
        assertThat(decoded.authentication()).isNull();
        assertThat(decoded.deliverToJunk()).isFalse();
    }

    @Test
    void aPassIsNotJunk() {
        MailReceived pass = withAuthentication(new SenderAuthentication("pass", "pass", "pass", false, null));

        assertThat(codec.decode(codec.encode(pass), MailReceived.class).deliverToJunk()).isFalse();
    }

    @Test
    void malformedResultsAreRejectedWithTheFieldNamed() throws Exception {
        ObjectNode root = (ObjectNode) plain.readTree(codec.encode(withAuthentication(
                new SenderAuthentication("pass", "pass", "pass", false, null))));
        ObjectNode auth = (ObjectNode) root.get("data").get("authentication");

        auth.put("spf", "PASS; injected");
        assertThatThrownBy(() -> codec.decode(plain.writeValueAsBytes(root)))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("spf");

        auth.put("spf", "pass");
        auth.put("junk", true);
        assertThatThrownBy(() -> codec.decode(plain.writeValueAsBytes(root)))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("reason");

        auth.remove("junk");
        assertThatThrownBy(() -> codec.decode(plain.writeValueAsBytes(root)))
                .isInstanceOf(EventFormatException.class).hasMessageContaining("junk");
    }

    @Test
    void theConstructorRefusesContradictions() {
        assertThatThrownBy(() -> new SenderAuthentication("pass", "pass", "pass", false, "why"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SenderAuthentication(null, "pass", "pass", false, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("spf");
        assertThatThrownBy(() -> new SenderAuthentication("pass", "pass", "pass", true, "line\r\nbreak"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control");
    }
}
