package mail.relay.queue;

import java.time.Instant;
import mail.core.event.Recipient;

/**
 * @param lastReply the remote server's reply (or our own diagnosis, e.g. a connection error), SMTP style, as it goes
 *                  into a DSN's Diagnostic-Code; null before the first attempt
 * @param status    RFC 3463 enhanced status of the last outcome, e.g. 5.1.1; null before the first attempt
 */
public record QueuedRecipient(Recipient recipient, RecipientState state, int attempts, String lastReply, String status,
                              Instant updatedAt) {

    public static QueuedRecipient fresh(Recipient r, Instant now) {
        return new QueuedRecipient(r, RecipientState.PENDING, 0, null, null, now);
    }

    public String address() {
        return recipient.address();
    }

    public QueuedRecipient outcome(RecipientState next, String reply, String enhancedStatus, Instant now) {
        return new QueuedRecipient(recipient, next, attempts + 1, reply, enhancedStatus, now);
    }

    /** A final outcome decided without an attempt (expiry, an administrator's bounce). */
    public QueuedRecipient decided(RecipientState next, String reply, String enhancedStatus, Instant now) {
        return new QueuedRecipient(recipient, next, attempts, reply, enhancedStatus, now);
    }
}
