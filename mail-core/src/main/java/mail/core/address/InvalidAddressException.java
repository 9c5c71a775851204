package mail.core.address;

import mail.core.text.LogText;

/**
 * Rejection of text that was supposed to be a domain, address literal or email address.
 *
 * <p>Unchecked (and an {@link IllegalArgumentException}) because the text nearly always comes
 * from a peer — an SMTP command, an API request, a directory import — and the only sensible
 * reaction is to report the problem back, not to recover locally.
 *
 * <p>{@link #getMessage()} echoes the offending input, escaped and truncated, for logs.
 * {@link #reason()} is the same text without the echo, for protocol replies such as an SMTP
 * {@code 501} where repeating attacker-controlled bytes back is undesirable.
 */
public final class InvalidAddressException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    // Long enough to recognise the input in a log line, short enough that a 10 MB "address"
    // cannot flood it.
    private static final int MAX_ECHOED_CHARS = 80;

    private final String reason;

    public InvalidAddressException(String reason, String input) {
        this(reason, input, null);
    }

    public InvalidAddressException(String reason, String input, Throwable cause) {
        super(reason + ": " + echo(input), cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    static String echo(String input) {
        return LogText.quote(input, MAX_ECHOED_CHARS);
    }
}
