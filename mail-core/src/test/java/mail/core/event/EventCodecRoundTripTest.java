package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecRoundTripTest {

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper plain = new ObjectMapper();

    static Stream<MailEvent> events() {
        return SampleEvents.all();
    }

    @ParameterizedTest
    @MethodSource("events")
    void decodingTheEncodingGivesAnEqualEvent(MailEvent event) {
        byte[] json = codec.encode(event);

        assertThat(codec.decode(json)).isEqualTo(event);
        assertThat(codec.decode(json, event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("events")
    void encodingIsStructuredCloudEventsJson(MailEvent event) throws Exception {
        JsonNode root = plain.readTree(new String(codec.encode(event), StandardCharsets.UTF_8));

        assertThat(root.get("specversion").textValue()).isEqualTo("1.0");
        assertThat(root.get("id").textValue()).isEqualTo(event.id());
        assertThat(root.get("source").textValue()).isEqualTo(event.source());
        assertThat(root.get("type").textValue()).isEqualTo(event.type());
        assertThat(root.get("time").textValue()).isEqualTo(event.time().toString());
        assertThat(root.get("datacontenttype").textValue()).isEqualTo("application/json");
        assertThat(root.get("schemaversion").intValue()).isEqualTo(event.schemaVersion());
        assertThat(root.get("data").isObject()).isTrue();
        // The per-event attributes appear once, at the top level, not repeated inside data.
        assertThat(root.get("data").has("id")).isFalse();
        assertThat(root.get("data").has("source")).isFalse();
        assertThat(root.get("data").has("time")).isFalse();
    }

    @Test
    void equalEventsEncodeToIdenticalBytes() {
        assertThat(codec.encode(SampleEvents.mailReceived())).isEqualTo(codec.encode(SampleEvents.mailReceived()));
    }

    @Test
    void eventsMadeByTheFactoriesRoundTrip() {
        MailReceived received = MailReceived.create("smtp-gateway/host-1", SampleEvents.MESSAGE,
                SampleEvents.envelope(), SampleEvents.tlsConnection());
        OutboundRequested outbound = OutboundRequested.firstAttempt("delivery-worker/host-1", received,
                "example.net", received.envelope().recipients().subList(1, 2), null);

        assertThat(codec.decode(codec.encode(received))).isEqualTo(received);
        assertThat(codec.decode(codec.encode(outbound))).isEqualTo(outbound);
        assertThat(received.id()).isNotEqualTo(outbound.id());
    }

    @Test
    void nonAsciiTextSurvivesAsUtf8() {
        MailboxChanged created = MailboxChanged.create("imap-service/host-1", "acc-42", "mbx-9", "Entwürfe/日本",
                7, MailboxChanged.ChangeKind.MAILBOX_CREATED, null, 1, null);

        byte[] json = codec.encode(created);

        assertThat(new String(json, StandardCharsets.UTF_8)).contains("Entwürfe/日本");
        assertThat(codec.decode(json, MailboxChanged.class).mailboxName()).isEqualTo("Entwürfe/日本");
    }
}
