package mail.core.blob;

/**
 * The object store failed. {@link #transientFailure()} tells callers whether a retry can help (store unreachable,
 * timeout: SMTP 451, IMAP NO [UNAVAILABLE]) or not (object missing, corrupt: a permanent error).
 */
public final class BlobStoreException extends RuntimeException {
    private final boolean transientFailure;

    public BlobStoreException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
