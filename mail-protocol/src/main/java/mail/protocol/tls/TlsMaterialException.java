package mail.protocol.tls;

/** TLS material that cannot be used; the message says which file and what to do about it. */
public final class TlsMaterialException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsMaterialException(String message) {
        super(message);
    }

    public TlsMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
