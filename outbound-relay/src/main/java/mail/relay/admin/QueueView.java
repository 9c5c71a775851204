package mail.relay.admin;

import java.time.Instant;
import java.util.List;
import mail.relay.queue.QueueEntry;
import mail.relay.queue.QueuedRecipient;

/** A queue entry as the admin API shows it. */
public record QueueView(String id, String receivedEventId, String sender, String domain, String state, int attempts,
                        Instant nextAttemptAt, Instant enqueuedAt, Instant receivedAt, long size, String lastError,
                        List<RecipientView> recipients) {

    public static QueueView of(QueueEntry e) {
        return new QueueView(e.id(), e.request().receivedEventId(), e.request().reversePath(), e.request().domain(),
                e.state().name().toLowerCase(), e.attempts(), e.nextAttemptAt(), e.enqueuedAt(), e.request().receivedAt(),
                e.request().message().size(), e.lastError(), e.recipients().stream().map(RecipientView::of).toList());
    }

    public record RecipientView(String address, String state, int attempts, String lastReply, String status, Instant updatedAt) {
        static RecipientView of(QueuedRecipient r) {
            return new RecipientView(r.address(), r.state().name().toLowerCase(), r.attempts(), r.lastReply(), r.status(), r.updatedAt());
        }
    }
}
