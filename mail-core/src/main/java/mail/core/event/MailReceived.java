package mail.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The gateway accepted a message and stored its bytes; delivery-worker takes it from here.
 *
 * @param authentication what the MX's sender authentication found; null when it did not check (submission, DSNs,
 *                       records written before the field existed), and then left out of the JSON
 */
public record MailReceived(
        String id,
        String source,
        Instant time,
        MessageRef message,
        SmtpEnvelope envelope,
        ConnectionInfo connection,
        @JsonInclude(JsonInclude.Include.NON_NULL) SenderAuthentication authentication) implements MailEvent {

    public static final String TYPE = "mail.received";
    public static final int SCHEMA_VERSION = 1;

    public MailReceived {
        Checks.attributes(id, source, time);
        Checks.required(message, "message");
        Checks.required(envelope, "envelope");
        Checks.required(connection, "connection");
    }

    /** An event without sender authentication results. */
    public MailReceived(String id, String source, Instant time, MessageRef message, SmtpEnvelope envelope,
                        ConnectionInfo connection) {
        this(id, source, time, message, envelope, connection, null);
    }

    /** The gateway's policy asks delivery to file this message into the recipients' Junk mailbox. */
    public boolean deliverToJunk() {
        return authentication != null && authentication.junk();
    }

    public static MailReceived create(String source, MessageRef message, SmtpEnvelope envelope,
                                      ConnectionInfo connection) {
        return new MailReceived(MailEvent.newId(), source, Instant.now(), message, envelope, connection);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int schemaVersion() {
        return SCHEMA_VERSION;
    }

    @Override
    public String topic() {
        return Topics.MAIL_RECEIVED;
    }

    /** Keyed by event id: messages need no relative order, and an even spread keeps delivery workers busy. */
    @Override
    public String kafkaKey() {
        return id;
    }
}
