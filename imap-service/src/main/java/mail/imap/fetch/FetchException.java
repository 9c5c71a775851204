package mail.imap.fetch;

/**
 * A FETCH item could not be answered. {@link #outputStarted()} is what the session must look at first: when it is
 * true, part of the {@code * n FETCH} response (possibly part of a literal) is already on the wire and the only
 * honest way out is to close the connection; when false nothing of this message's response was written and the
 * session can answer the command with the tagged reply {@link #reason()} calls for.
 */
public final class FetchException extends RuntimeException {

    public enum Reason {
        /** BINARY of a part whose Content-Transfer-Encoding the server cannot decode: {@code NO [UNKNOWN-CTE]}. */
        UNKNOWN_CTE,
        /** The object store failed transiently: {@code NO [UNAVAILABLE]}, the client may retry. */
        UNAVAILABLE,
        /** The raw message is missing or shorter than its metadata says: a plain {@code NO}, retrying will not help. */
        BODY_MISSING
    }

    private final Reason reason;
    private final boolean outputStarted;

    public FetchException(Reason reason, boolean outputStarted, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.outputStarted = outputStarted;
    }

    public Reason reason() {
        return reason;
    }

    public boolean outputStarted() {
        return outputStarted;
    }

    FetchException started() {
        return outputStarted ? this : new FetchException(reason, true, getMessage(), getCause());
    }
}
