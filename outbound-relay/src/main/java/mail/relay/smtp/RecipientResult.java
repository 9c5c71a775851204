package mail.relay.smtp;

import mail.core.event.Recipient;
import mail.relay.queue.RecipientState;

/** What one transaction did for one recipient: DELIVERED, FAILED (permanent) or PENDING (try again later). */
public record RecipientResult(Recipient recipient, RecipientState state, String reply, String status) {
}
