package mail.core.identity;

/** The identity provider could not be asked (down, timing out, answering 5xx): a temporary failure, never a rejection. */
public final class IdentityUnavailableException extends RuntimeException {
    public IdentityUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
