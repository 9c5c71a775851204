package mail.delivery.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a publish: until the broker acknowledged it, the event it belongs to is not done. */
public final class Kafka {
    private Kafka() {
    }

    public static <T> T await(CompletableFuture<T> publish, Duration timeout, String what) {
        try {
            return publish.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new TransientFailure("publishing " + what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new TransientFailure("publishing " + what + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while publishing " + what, e);
        }
    }
}
