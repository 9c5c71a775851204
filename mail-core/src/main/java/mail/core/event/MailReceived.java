package mail.core.event;

import java.time.Instant;

/** The gateway accepted a message and stored its bytes; delivery-worker takes it from here. */
public record MailReceived(
        String id,
        String source,
        Instant time,
        MessageRef message,
        SmtpEnvelope envelope,
        ConnectionInfo connection) implements MailEvent {

    public static final String TYPE = "mail.received";
    public static final int SCHEMA_VERSION = 1;

    public MailReceived {
        Checks.attributes(id, source, time);
        Checks.required(message, "message");
        Checks.required(envelope, "envelope");
        Checks.required(connection, "connection");
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
