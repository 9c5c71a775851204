package mail.delivery.outbound;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import mail.core.event.BodyType;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.delivery.resolve.DeliveryPlan.RemoteBatch;

/**
 * Builds the {@code mail.outbound} requests of a received message. Their ids are derived from the received event
 * and the recipient set, so a redelivered event produces byte-for-byte the same ids and the relay, which is
 * idempotent by (event id, recipient), sends each copy once.
 */
public final class OutboundRequests {
    private final String source;

    public OutboundRequests(String source) {
        this.source = source;
    }

    public OutboundRequested forBatch(MailReceived received, RemoteBatch batch) {
        List<String> addresses = new ArrayList<>();
        batch.recipients().forEach(r -> addresses.add(r.address().toLowerCase(Locale.ROOT)));
        addresses.sort(null);
        String id = deterministicId("outbound", received.id(), batch.domain(), String.valueOf(batch.originatingAccount()),
                String.join(",", addresses));
        OutboundRequested first = OutboundRequested.firstAttempt(source, received, batch.domain(), batch.recipients(),
                batch.originatingAccount());
        return new OutboundRequested(id, first.source(), first.time(), first.receivedEventId(), first.message(),
                first.reversePath(), first.domain(), first.recipients(), first.ret(), first.envId(), first.bodyType(),
                first.smtpUtf8(), first.originatingAccount(), first.attempt(), first.notBefore(), first.receivedAt());
    }

    /** A DSN to a remote sender: null reverse-path, so no DSN can ever come back for it. */
    public OutboundRequested forDsn(MailReceived received, String dsnId, MessageRef dsn, String sender, boolean utf8) {
        Recipient to = Recipient.of(sender);
        Instant now = Instant.now();
        return new OutboundRequested(deterministicId("dsn-outbound", dsnId), source, now, received.id(), dsn, "",
                to.domain(), List.of(to), null, null, utf8 ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT, utf8, null, 1,
                now, received.connection().receivedAt());
    }

    /** A name-based (version 3) UUID: stable for the same parts, lower-case canonical form as events require. */
    public static String deterministicId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
