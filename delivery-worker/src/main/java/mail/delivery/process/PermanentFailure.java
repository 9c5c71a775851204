package mail.delivery.process;

/** The event can never be delivered as it is; it goes to the dead-letter topic with this message as the reason. */
public final class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
