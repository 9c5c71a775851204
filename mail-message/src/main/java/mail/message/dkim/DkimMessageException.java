package mail.message.dkim;

/**
 * The message itself cannot be signed or examined (no From, header section over the limit). Permanent: trying
 * again with the same bytes gives the same answer, unlike an {@link java.io.IOException} of the stream.
 */
public final class DkimMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DkimMessageException(String message) {
        super(message);
    }
}
