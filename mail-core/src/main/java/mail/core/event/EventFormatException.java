package mail.core.event;

/**
 * A record value that cannot be turned into a {@link MailEvent}: malformed JSON, an unknown {@code type}, a
 * {@code schemaversion} newer than this build understands, or a missing or invalid field. Consumers route such
 * records to the topic's dead-letter topic instead of retrying them, since retrying cannot make them readable.
 */
public class EventFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String eventType;
    private final String eventId;

    public EventFormatException(String message) {
        this(message, null, null, null);
    }

    public EventFormatException(String message, String eventType, String eventId, Throwable cause) {
        super(message, cause);
        this.eventType = eventType;
        this.eventId = eventId;
    }

    /** The {@code type} attribute if the record got far enough to have one, otherwise null. */
    public String eventType() {
        return eventType;
    }

    /** The {@code id} attribute if the record got far enough to have one, otherwise null. */
    public String eventId() {
        return eventId;
    }
}
