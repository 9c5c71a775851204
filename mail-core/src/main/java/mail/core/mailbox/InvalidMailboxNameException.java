package mail.core.mailbox;

import mail.core.text.LogText;

/**
 * Rejection of text that was supposed to be an IMAP mailbox name. Unchecked because the name
 * comes from a client command and the only useful reaction is a tagged {@code NO}/{@code BAD}
 * reply carrying {@link #reason()}.
 *
 * <p>{@link #getMessage()} additionally echoes the input, escaped and truncated, for logs.
 */
public final class InvalidMailboxNameException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private static final int MAX_ECHOED_CHARS = 80;

    private final String reason;

    public InvalidMailboxNameException(String reason, String input) {
        super(reason + ": " + echo(input));
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    private static String echo(String input) {
        return LogText.quote(input, MAX_ECHOED_CHARS);
    }
}
