package mail.backup.portability;

/** An export or import refused or stopped for a reason the admin can act on; {@code field} names the culprit. */
public final class PortabilityException extends RuntimeException {
    private final String field;

    public PortabilityException(String field, String message) {
        super(message);
        this.field = field;
    }

    public PortabilityException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
