package mail.core.abuse;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Rate limits as every instance sees them. Called from protocol sessions, so nothing here waits: each answer is a
 * future that completes off the caller's thread. When the shared store cannot answer in time, the answer lets the
 * action through (rate limits fail open; an outage of the store must not stop mail).
 */
public interface SharedRateLimits {

    /** At most {@code max} units of {@code key} within any {@code window}. */
    record Limit(String key, Duration window, long max) {
        public Limit {
            if (key == null || key.isBlank() || window.toMillis() < 1000 || max < 1) {
                throw new IllegalArgumentException("bad rate limit: " + key + ", " + window + ", " + max);
            }
        }
    }

    /** Charges one unit if {@code limit} has room: true when charged (or the store did not answer), false when over. */
    CompletableFuture<Boolean> acquire(Limit limit);

    /** The first of {@code limits} that {@code amount} more units would exceed, without charging anything. */
    CompletableFuture<Optional<Limit>> exceeded(List<Limit> limits, long amount);

    /** Charges {@code amount} units to every one of {@code limits}, for what was accepted after {@link #exceeded}. */
    CompletableFuture<Void> charge(List<Limit> limits, long amount);

    /** No limits: everything is let through at once. */
    SharedRateLimits NONE = new SharedRateLimits() {
        @Override
        public CompletableFuture<Boolean> acquire(Limit limit) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Optional<Limit>> exceeded(List<Limit> limits, long amount) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletableFuture<Void> charge(List<Limit> limits, long amount) {
            return CompletableFuture.completedFuture(null);
        }
    };
}
