package mail.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns {@link MailEvent}s into Kafka record values and back. The format is CloudEvents 1.0 structured JSON:
 * the context attributes and {@code schemaversion} at the top level, the event's own fields under {@code data}.
 *
 * <p>Reading is lenient where the versioning rules promise compatibility (unknown properties, which newer
 * producers may add) and strict everywhere else, so that an unreadable record fails loudly with an
 * {@link EventFormatException} and goes to the dead-letter topic instead of being half-understood. Instances are
 * immutable and thread-safe; one per service is enough.
 */
public final class EventCodec {

    /** The Kafka {@code content-type} header value for structured-mode CloudEvents. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private static final Map<String, Registration> REGISTRY = registry(
            new Registration(MailReceived.TYPE, MailReceived.class, MailReceived.SCHEMA_VERSION),
            new Registration(MailboxChanged.TYPE, MailboxChanged.class, MailboxChanged.SCHEMA_VERSION),
            new Registration(DirectoryChanged.TYPE, DirectoryChanged.class, DirectoryChanged.SCHEMA_VERSION),
            new Registration(OutboundRequested.TYPE, OutboundRequested.class, OutboundRequested.SCHEMA_VERSION));

    // The attributes that live at the top level in JSON but are record components in Java.
    private static final String[] PER_EVENT_ATTRIBUTES = {"id", "source", "time"};

    private final ObjectMapper mapper;

    public EventCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                // Registered after JavaTimeModule so that it wins: the stock Instant reader also takes epoch numbers.
                .addModule(new SimpleModule("rfc3339-instant").addDeserializer(Instant.class, new Rfc3339Instant()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // Makes a missing number or boolean an error instead of a silent 0 or false.
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // Ordinals would silently change meaning when a constant is inserted.
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // A number where a string belongs is a producer bug (an account id 42 is not "42" to MongoDB).
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // With duplicate keys, which one counts depends on the parser: better not to guess.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    /** Every {@code type} this build reads, with the newest {@code schemaversion} it understands. */
    public static Map<String, Integer> supportedSchemaVersions() {
        return REGISTRY.values().stream().collect(Collectors.toUnmodifiableMap(
                Registration::type, Registration::schemaVersion));
    }

    public byte[] encode(MailEvent event) {
        Checks.required(event, "event");
        ObjectNode data = mapper.valueToTree(event);
        ObjectNode root = mapper.createObjectNode();
        root.put("specversion", MailEvent.SPEC_VERSION);
        root.set("id", data.remove("id"));
        root.set("source", data.remove("source"));
        root.put("type", event.type());
        root.set("time", data.remove("time"));
        root.put("datacontenttype", MailEvent.DATA_CONTENT_TYPE);
        root.put("schemaversion", event.schemaVersion());
        root.set("data", data);
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            // Every event is a validated record of strings, numbers and enums; failing here is a bug, not input.
            throw new IllegalStateException("cannot encode " + event.type() + " event " + event.id(), e);
        }
    }

    /**
     * Reads a record value.
     *
     * @throws EventFormatException for anything that is not a complete, valid event of a known type and a
     *                              supported schema version, including a null value (a tombstone)
     */
    public MailEvent decode(byte[] value) {
        if (value == null) {
            throw new EventFormatException("record value is null: a tombstone carries no event "
                    + "(on directory.changes, evict DirectoryKey.parse(recordKey) instead of decoding)");
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (IOException e) {
            throw new EventFormatException("malformed JSON: " + describe(e), null, null, e);
        }
        if (root == null || !root.isObject()) {
            throw new EventFormatException("an event must be a JSON object, got "
                    + (root == null || root.isMissingNode() ? "no content" : root.getNodeType()));
        }
        return decodeObject((ObjectNode) root);
    }

    public <T extends MailEvent> T decode(byte[] value, Class<T> expectedType) {
        Checks.required(expectedType, "expectedType");
        MailEvent event = decode(value);
        if (!expectedType.isInstance(event)) {
            throw new EventFormatException("expected a " + expectedType.getSimpleName() + " event but got "
                    + event.type(), event.type(), event.id(), null);
        }
        return expectedType.cast(event);
    }

    private MailEvent decodeObject(ObjectNode root) {
        // Read leniently first, so that every later error can at least name the event it concerns.
        String id = root.path("id").isTextual() ? root.get("id").textValue() : null;
        String type = root.path("type").isTextual() ? root.get("type").textValue() : null;

        String specVersion = requiredText(root, "specversion", type, id);
        if (!MailEvent.SPEC_VERSION.equals(specVersion)) {
            throw new EventFormatException("unsupported CloudEvents specversion '" + specVersion + "', expected "
                    + MailEvent.SPEC_VERSION, type, id, null);
        }
        requiredText(root, "type", type, id);
        Registration registration = REGISTRY.get(type);
        if (registration == null) {
            throw new EventFormatException("unknown event type '" + type + "'; known types are "
                    + REGISTRY.keySet(), type, id, null);
        }
        int schemaVersion = schemaVersion(root, registration, id);
        if (schemaVersion > registration.schemaVersion()) {
            throw new EventFormatException(type + " event " + id + " has schemaversion " + schemaVersion
                    + ", newer than the supported " + registration.schemaVersion()
                    + "; upgrade mail-core in this consumer", type, id, null);
        }
        JsonNode contentType = root.get("datacontenttype");
        if (contentType != null && !isJson(contentType)) {
            throw new EventFormatException("unsupported datacontenttype " + contentType + " in " + type + " event "
                    + id, type, id, null);
        }
        for (String attribute : PER_EVENT_ATTRIBUTES) {
            requiredText(root, attribute, type, id);
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new EventFormatException(type + " event " + id + " has no data object", type, id, null);
        }
        // Version 1 is the only version so far; reading an older version would upgrade the tree here.
        ObjectNode fields = ((ObjectNode) data).deepCopy();
        for (String attribute : PER_EVENT_ATTRIBUTES) {
            fields.set(attribute, root.get(attribute));
        }
        try {
            return mapper.treeToValue(fields, registration.eventClass());
        } catch (JsonProcessingException e) {
            throw new EventFormatException("invalid " + type + " event " + id + ": " + describe(e), type, id, e);
        } catch (RuntimeException e) {
            // Consumers rely on this method throwing nothing else, so that every unreadable record goes to the DLQ.
            throw new EventFormatException("invalid " + type + " event " + id + ": " + e, type, id, e);
        }
    }

    private static String requiredText(ObjectNode root, String attribute, String type, String id) {
        JsonNode node = root.get(attribute);
        if (node == null || node.isNull()) {
            throw new EventFormatException("missing required attribute '" + attribute + "'", type, id, null);
        }
        if (!node.isTextual()) {
            throw new EventFormatException("attribute '" + attribute + "' must be a string, got "
                    + node.getNodeType(), type, id, null);
        }
        return node.textValue();
    }

    private static int schemaVersion(ObjectNode root, Registration registration, String id) {
        JsonNode node = root.get("schemaversion");
        if (node == null || node.isNull()) {
            throw new EventFormatException("missing required attribute 'schemaversion'", registration.type(), id,
                    null);
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw new EventFormatException("schemaversion must be a positive integer, got " + node,
                    registration.type(), id, null);
        }
        return node.intValue();
    }

    private static boolean isJson(JsonNode contentType) {
        if (!contentType.isTextual()) {
            return false;
        }
        String mediaType = contentType.textValue().split(";", 2)[0].trim();
        return MailEvent.DATA_CONTENT_TYPE.equalsIgnoreCase(mediaType);
    }

    // Jackson's messages embed the source location and class names; the field path is what helps an operator.
    private static String describe(IOException e) {
        String message = e instanceof JsonProcessingException processing ? processing.getOriginalMessage()
                : e.getMessage();
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            message = e.getCause().getMessage();
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            return path + ": " + message;
        }
        return message;
    }

    private static Map<String, Registration> registry(Registration... registrations) {
        Map<String, Registration> map = new LinkedHashMap<>();
        for (Registration registration : registrations) {
            map.put(registration.type(), registration);
        }
        return Map.copyOf(map);
    }

    private record Registration(String type, Class<? extends MailEvent> eventClass, int schemaVersion) {
    }

    /** RFC 3339 date-time with a mandatory offset, as CloudEvents requires for {@code time}. */
    private static final class Rfc3339Instant extends StdScalarDeserializer<Instant> {

        private static final long serialVersionUID = 1L;

        private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toFormatter();

        Rfc3339Instant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getText();
            try {
                return OffsetDateTime.parse(text, FORMAT).toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text,
                        "not an RFC 3339 date-time with offset");
            }
        }
    }
}
