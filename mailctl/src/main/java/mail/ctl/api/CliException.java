package mail.ctl.api;

/** A failure with the exit code it maps to and a message meant for the terminal. */
public final class CliException extends RuntimeException {
    public static final int API_ERROR = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 3;
    public static final int UNAVAILABLE = 4;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
