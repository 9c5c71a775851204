package mail.core.event;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks the outbound relay to deliver a stored message to the recipients of one remote domain. One event per
 * domain because MX routing, connection reuse and retry state are all per domain.
 *
 * <p>A retry is a new event (new id, {@code attempt + 1}, possibly fewer recipients) made with
 * {@link #retry(String, List, Instant)}; the relay's idempotency key (event id, recipient) therefore guards each
 * attempt, while {@link #receivedEventId()} ties all attempts back to the original message.
 *
 * @param receivedEventId    the id of the {@code mail.received} event the message came in with; for a DSN the
 *                           platform generates, that of the message the DSN reports on
 * @param reversePath        as in {@link SmtpEnvelope#reversePath()}: empty for the null sender, which DSNs use
 * @param domain             the destination domain in lower case; every recipient is in it
 * @param bodyType           needed because the relay must offer BODY and SMTPUTF8 to the next hop, or downgrade
 * @param originatingAccount account id of the authenticated submitter, null for relayed (forwarded) mail
 * @param attempt            1 for the first delivery attempt
 * @param notBefore          the relay must not attempt delivery earlier (retry back-off)
 * @param receivedAt         when the platform first accepted the message, from which the relay computes the
 *                           give-up time and the DSN Arrival-Date without any state of its own
 */
public record OutboundRequested(
        String id,
        String source,
        Instant time,
        String receivedEventId,
        MessageRef message,
        String reversePath,
        String domain,
        List<Recipient> recipients,
        DsnReturn ret,
        String envId,
        BodyType bodyType,
        boolean smtpUtf8,
        String originatingAccount,
        int attempt,
        Instant notBefore,
        Instant receivedAt) implements MailEvent {

    public static final String TYPE = "mail.outbound.requested";
    public static final int SCHEMA_VERSION = 1;

    public OutboundRequested {
        Checks.attributes(id, source, time);
        Checks.eventId(receivedEventId, "receivedEventId");
        Checks.required(message, "message");
        reversePath = SmtpEnvelope.reversePath(reversePath);
        Checks.lowerCase(domain, "domain");
        recipients = SmtpEnvelope.recipients(recipients);
        for (Recipient recipient : recipients) {
            if (!recipient.domain().equals(domain)) {
                throw new IllegalArgumentException("recipient " + recipient.address() + " is not in domain " + domain);
            }
        }
        Checks.optionalNonBlank(envId, "envId");
        Checks.required(bodyType, "bodyType");
        Checks.optionalNonBlank(originatingAccount, "originatingAccount");
        Checks.atLeast(attempt, 1, "attempt");
        Checks.required(notBefore, "notBefore");
        Checks.required(receivedAt, "receivedAt");
    }

    /** The first attempt for the given recipients, taking the DSN and body parameters from the received envelope. */
    public static OutboundRequested firstAttempt(String source, MailReceived received, String domain,
                                                 List<Recipient> recipients, String originatingAccount) {
        Checks.required(received, "received");
        SmtpEnvelope envelope = received.envelope();
        Instant now = Instant.now();
        return new OutboundRequested(MailEvent.newId(), source, now, received.id(), received.message(),
                envelope.reversePath(), domain, recipients, envelope.ret(), envelope.envId(), envelope.bodyType(),
                envelope.smtpUtf8(), originatingAccount, 1, now, received.connection().receivedAt());
    }

    /** The next attempt for the recipients that are still pending. */
    public OutboundRequested retry(String source, List<Recipient> remaining, Instant notBefore) {
        Checks.nonEmptyList(remaining, "remaining");
        Set<Recipient> known = new HashSet<>(recipients);
        for (Recipient recipient : remaining) {
            if (!known.contains(recipient)) {
                throw new IllegalArgumentException("recipient " + recipient.address() + " is not part of event " + id);
            }
        }
        return new OutboundRequested(MailEvent.newId(), source, Instant.now(), receivedEventId, message, reversePath,
                domain, remaining, ret, envId, bodyType, smtpUtf8, originatingAccount, attempt + 1, notBefore,
                receivedAt);
    }

    public boolean hasNullSender() {
        return reversePath.isEmpty();
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
        return Topics.MAIL_OUTBOUND;
    }

    /**
     * {@code <sha256>:<domain>}: all attempts for one message and domain stay on one partition and in order,
     * while a big destination domain is still spread over partitions by message.
     */
    @Override
    public String kafkaKey() {
        return message.sha256() + ":" + domain;
    }
}
