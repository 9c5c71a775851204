package mail.relay.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The retry schedule: the n-th pause after the n-th failed attempt, the last one repeating, never past the expiry. */
public record Backoff(List<Duration> pauses, Duration maxAge) {

    public Backoff {
        if (pauses.isEmpty()) {
            throw new IllegalArgumentException("mail.relay.backoff needs at least one pause");
        }
        pauses = List.copyOf(pauses);
    }

    /** @param attempts attempts made so far (at least 1) */
    public Instant next(int attempts, Instant now, Instant receivedAt) {
        Duration pause = pauses.get(Math.min(Math.max(attempts, 1), pauses.size()) - 1);
        Instant next = now.plus(pause);
        Instant expiry = expiry(receivedAt);
        return next.isAfter(expiry) ? expiry : next;
    }

    public Instant expiry(Instant receivedAt) {
        return receivedAt.plus(maxAge);
    }
}
