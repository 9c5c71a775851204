package mail.store;

/** The store could not complete a write now but may later (lock contention beyond the wait, an unexpected race). */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message) {
        super(message);
    }
}
