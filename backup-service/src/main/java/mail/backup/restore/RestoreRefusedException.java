package mail.backup.restore;

/** A restore that was not started because it would be wrong: a damaged backup, a non-empty platform, an unknown account. */
public final class RestoreRefusedException extends RuntimeException {
    private final String field;

    public RestoreRefusedException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
