package mail.relay.queue;

import java.time.Instant;
import java.util.List;
import mail.core.event.OutboundRequested;

/**
 * One queued message for one destination domain: the request it came from (kept whole, so nothing about the envelope
 * is lost between attempts) and each recipient's state. Its id is the request's event id, which makes the Kafka feed
 * idempotent: the same event inserted twice is one entry.
 *
 * @param attempts        delivery attempts made for the message (each covers all its pending recipients)
 * @param delayWarned     the "delayed" DSN has been handed on
 * @param lastError       the reason of the last temporary failure, for the admin API
 * @param signature       header fields sent in front of the stored message (DKIM-Signature); "" when unsigned, null
 *                        before the first attempt decided it
 * @param traceparent     W3C traceparent of the span that queued it, parent of every attempt's span; null when untraced
 */
public record QueueEntry(OutboundRequested request, EntryState state, List<QueuedRecipient> recipients, int attempts,
                         Instant nextAttemptAt, Instant enqueuedAt, boolean delayWarned, String lastError, String signature,
                         String traceparent) {

    public QueueEntry {
        recipients = List.copyOf(recipients);
    }

    public static QueueEntry of(OutboundRequested request, Instant now) {
        return of(request, now, null);
    }

    public static QueueEntry of(OutboundRequested request, Instant now, String traceparent) {
        Instant due = request.notBefore().isAfter(now) ? request.notBefore() : now;
        return new QueueEntry(request, EntryState.QUEUED, request.recipients().stream().map(r -> QueuedRecipient.fresh(r, now)).toList(),
                0, due, now, false, null, null, traceparent);
    }

    public String id() {
        return request.id();
    }

    public List<QueuedRecipient> pending() {
        return recipients.stream().filter(r -> r.state() == RecipientState.PENDING).toList();
    }

    public QueueEntry with(EntryState nextState, List<QueuedRecipient> nextRecipients, int nextAttempts, Instant nextAttemptAt,
                           boolean warned, String error) {
        return new QueueEntry(request, nextState, nextRecipients, nextAttempts, nextAttemptAt, enqueuedAt, warned, error, signature, traceparent);
    }

    public QueueEntry signed(String fields) {
        return new QueueEntry(request, state, recipients, attempts, nextAttemptAt, enqueuedAt, delayWarned, lastError, fields, traceparent);
    }
}
