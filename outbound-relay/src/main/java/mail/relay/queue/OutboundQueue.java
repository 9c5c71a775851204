package mail.relay.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mail.core.event.OutboundRequested;

/** The relay's durable queue. Every copy of the relay shares it; work is taken under a lease. */
public interface OutboundQueue {

    /** Inserts the request unless an entry with its event id exists. @return whether it was new */
    default boolean enqueue(OutboundRequested request, Instant now) {
        return enqueue(request, now, null);
    }

    /** @param traceparent W3C traceparent kept with the entry for the attempts' spans; null when untraced */
    boolean enqueue(OutboundRequested request, Instant now, String traceparent);

    /** The most overdue active entry not leased by anyone, now leased to the caller. */
    Optional<Claim> claim(Instant now, Duration lease);

    /** Leases one entry by id if it is active and nobody holds it (administrative changes). */
    Optional<Claim> claim(String id, Instant now, Duration lease);

    /**
     * Writes the entry back if the caller still holds the lease. @param release whether the lease ends with it
     * @return false when the lease was lost (expired and taken, or the entry deleted): the caller's result is dropped
     */
    boolean save(Claim claim, QueueEntry entry, boolean release);

    /** Extends the caller's lease (before each destination of a long attempt). @return false when it was lost */
    boolean renew(Claim claim, Instant until);

    Optional<QueueEntry> find(String id);

    List<QueueEntry> list(Filter filter, int limit);

    /** Makes an active entry due now. @return false if there is no active entry with that id */
    boolean retryNow(String id, Instant now);

    boolean delete(String id);

    Map<EntryState, Long> countByState();

    record Claim(QueueEntry entry, String leaseToken) {
    }

    /** Every field optional (null); addresses and domains compare case-insensitively. */
    record Filter(String sender, String recipient, String domain, EntryState state) {
    }
}
