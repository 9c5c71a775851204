package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecRejectionTest {

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper plain = new ObjectMapper();

    @Test
    void unknownPropertiesFromNewerMinorRevisionsAreIgnored() {
        byte[] json = mutate(SampleEvents.mailReceived(), root -> {
            root.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            ObjectNode data = (ObjectNode) root.get("data");
            data.put("spamScore", 1.5);
            ((ObjectNode) data.get("envelope")).putObject("requireTls").put("enabled", true);
            ((ObjectNode) data.get("connection")).put("clientPort", 52344);
        });

        assertThat(codec.decode(json)).isEqualTo(SampleEvents.mailReceived());
    }

    @Test
    void absentOptionalFieldsReadAsNullOrEmpty() {
        byte[] json = mutate(SampleEvents.subscriptionsChanged(), root -> {
            ObjectNode data = (ObjectNode) root.get("data");
            data.remove("mailboxId");
            data.remove("uids");
            data.remove("oldName");
        });

        MailboxChanged decoded = codec.decode(json, MailboxChanged.class);

        assertThat(decoded).isEqualTo(SampleEvents.subscriptionsChanged());
        assertThat(decoded.uids()).isEmpty();
        assertThat(decoded.mailboxId()).isNull();
    }

    @Test
    void datacontenttypeIsOptionalAndMayCarryParameters() {
        byte[] withoutType = mutate(SampleEvents.messagesAdded(), root -> root.remove("datacontenttype"));
        byte[] withCharset = mutate(SampleEvents.messagesAdded(),
                root -> root.put("datacontenttype", "application/json; charset=utf-8"));

        assertThat(codec.decode(withoutType)).isEqualTo(SampleEvents.messagesAdded());
        assertThat(codec.decode(withCharset)).isEqualTo(SampleEvents.messagesAdded());
    }

    @Test
    void timeWithAnOffsetIsNormalisedToTheSameInstant() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> root.put("time", "2025-03-01T12:15:30.123+02:00"));

        assertThat(codec.decode(json).time()).isEqualTo(Instant.parse("2025-03-01T10:15:30.123Z"));
    }

    @Test
    void unknownTypeIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> root.put("type", "mailbox.exploded"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("unknown event type 'mailbox.exploded'")
                .satisfies(e -> assertThat(((EventFormatException) e).eventType()).isEqualTo("mailbox.exploded"))
                .satisfies(e -> assertThat(((EventFormatException) e).eventId())
                        .isEqualTo(SampleEvents.messagesAdded().id()));
    }

    @Test
    void schemaVersionNewerThanSupportedIsRejected() {
        byte[] json = mutate(SampleEvents.mailReceived(),
                root -> root.put("schemaversion", MailReceived.SCHEMA_VERSION + 1));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("schemaversion 2")
                .hasMessageContaining("newer than the supported 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "\"1\"", "1.5", "null", "99999999999"})
    void schemaVersionMustBeAPositiveInteger(String version) {
        String json = new String(codec.encode(SampleEvents.messagesAdded()), StandardCharsets.UTF_8)
                .replace("\"schemaversion\":1", "\"schemaversion\":" + version);

        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("schemaversion");
    }

    @Test
    void missingSchemaVersionIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> root.remove("schemaversion"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("missing required attribute 'schemaversion'");
    }

    @Test
    void otherCloudEventsSpecVersionIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> root.put("specversion", "0.3"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("specversion '0.3'");
    }

    @Test
    void nonJsonDataContentTypeIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> root.put("datacontenttype", "application/avro"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("datacontenttype");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"id\": }", "not json", "{\"a\":1} trailing", "\u0000\u0001"})
    void malformedJsonIsRejected(String text) {
        assertThatThrownBy(() -> codec.decode(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageStartingWith("malformed JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "42", "\"mail.received\"", "null"})
    void nonObjectJsonIsRejected(String text) {
        assertThatThrownBy(() -> codec.decode(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void duplicateKeysAreRejected() {
        String json = new String(codec.encode(SampleEvents.messagesAdded()), StandardCharsets.UTF_8)
                .replace("\"accountId\":\"acc-42\"", "\"accountId\":\"acc-42\",\"accountId\":\"acc-666\"");

        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("accountId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "source", "type", "time", "specversion"})
    void missingRequiredAttributeIsRejected(String attribute) {
        byte[] json = mutate(SampleEvents.mailReceived(), root -> root.remove(attribute));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("missing required attribute '" + attribute + "'");
    }

    @Test
    void idThatIsNotACanonicalUuidIsRejected() {
        byte[] json = mutate(SampleEvents.mailReceived(), root -> root.put("id", "4F0C7A8E-2F4B-4C3E-9B1A-6F1D2E3C4B5A"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("id must be a lower-case canonical UUID");
    }

    @Test
    void missingDataIsRejected() {
        byte[] json = mutate(SampleEvents.mailReceived(), root -> root.remove("data"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("has no data object");
    }

    @Test
    void missingRequiredObjectFieldIsAFormatErrorNotANullPointer() {
        byte[] json = mutate(SampleEvents.mailReceived(), root -> ((ObjectNode) root.get("data")).remove("message"));

        assertThatThrownBy(() -> codec.decode(json))
                .isExactlyInstanceOf(EventFormatException.class)
                .hasMessageContaining("message must not be null")
                .satisfies(e -> assertThat(((EventFormatException) e).eventType()).isEqualTo(MailReceived.TYPE));
    }

    @Test
    void missingNestedFieldIsReportedWithItsPath() {
        byte[] json = mutate(SampleEvents.mailReceived(),
                root -> ((ObjectNode) root.get("data").get("message")).remove("sha256"));

        assertThatThrownBy(() -> codec.decode(json))
                .isExactlyInstanceOf(EventFormatException.class)
                .hasMessageContaining("message: sha256 must not be null");
    }

    @Test
    void missingPrimitiveIsRejectedInsteadOfDefaultingToZero() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> ((ObjectNode) root.get("data")).remove("uidValidity"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("uidValidity");
    }

    @Test
    void missingBooleanIsRejectedInsteadOfDefaultingToFalse() {
        byte[] json = mutate(SampleEvents.accountUpserted(),
                root -> ((ObjectNode) root.get("data").get("snapshot")).remove("enabled"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("enabled");
    }

    @Test
    void nullElementInAListIsRejectedWithItsIndex() {
        byte[] json = mutate(SampleEvents.mailReceived(),
                root -> ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("data").get("envelope")
                        .get("recipients")).addNull());

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("recipients[2] must not be null");
    }

    @Test
    void unknownEnumValueIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(),
                root -> ((ObjectNode) root.get("data")).put("change", "MESSAGE_TELEPORTED"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("change")
                .hasMessageContaining("MESSAGE_TELEPORTED");
    }

    @Test
    void enumOrdinalIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> ((ObjectNode) root.get("data")).put("change", 0));

        assertThatThrownBy(() -> codec.decode(json)).isInstanceOf(EventFormatException.class);
    }

    @Test
    void numberWrittenAsStringIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(),
                root -> ((ObjectNode) root.get("data")).put("highestModSeq", "9001"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("highestModSeq");
    }

    @Test
    void numberWhereAStringBelongsIsRejected() {
        byte[] json = mutate(SampleEvents.messagesAdded(), root -> ((ObjectNode) root.get("data")).put("accountId", 42));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("accountId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1740824130", "\"2025-03-01T10:15:30\"", "\"yesterday\""})
    void instantThatIsNotAnRfc3339StringWithOffsetIsRejected(String value) {
        String json = new String(codec.encode(SampleEvents.outboundRequested()), StandardCharsets.UTF_8)
                .replace("\"notBefore\":\"2025-03-01T10:15:30.123Z\"", "\"notBefore\":" + value);

        assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("notBefore");
    }

    @Test
    void validationInTheRecordRejectsInconsistentData() {
        byte[] json = mutate(SampleEvents.accountUpserted(),
                root -> ((ObjectNode) root.get("data")).put("key", "mallory@example.com"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("snapshot describes 'Alice@example.com' but key is 'mallory@example.com'");
    }

    @Test
    void snapshotWithUnknownKindIsRejected() {
        byte[] json = mutate(SampleEvents.accountUpserted(),
                root -> ((ObjectNode) root.get("data").get("snapshot")).put("kind", "ROBOT"));

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("ROBOT");
    }

    @Test
    void decodingAsTheWrongTypeIsRejected() {
        byte[] json = codec.encode(SampleEvents.mailReceived());

        assertThatThrownBy(() -> codec.decode(json, MailboxChanged.class))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("expected a MailboxChanged event but got mail.received");
    }

    @Test
    void tombstoneValueIsRejectedWithAHint() {
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("tombstone")
                .hasMessageContaining("DirectoryKey.parse");
    }

    private byte[] mutate(MailEvent event, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) plain.readTree(codec.encode(event));
            change.accept(root);
            return plain.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
