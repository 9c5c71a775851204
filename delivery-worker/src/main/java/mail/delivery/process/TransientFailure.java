package mail.delivery.process;

/** Something we depend on is down or slow; the event is retried later, never skipped. */
public final class TransientFailure extends RuntimeException {
    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
