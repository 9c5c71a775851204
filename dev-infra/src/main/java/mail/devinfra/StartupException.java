package mail.devinfra;

/** A startup failure whose message is the one line the operator reads: it names the cause. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }
}
