package mail.core.mailbox;

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
        if (input == null) {
            return "null";
        }
        int end = Math.min(input.length(), MAX_ECHOED_CHARS);
        if (end < input.length() && Character.isHighSurrogate(input.charAt(end - 1))) {
            end--; // do not cut a surrogate pair in half
        }
        StringBuilder sb = new StringBuilder(end + 8).append('"');
        for (int i = 0; i < end; i++) {
            char c = input.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                // keeps CR/LF smuggled into an IMAP command from splitting the log line
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (end < input.length()) {
            sb.append("... (").append(input.length()).append(" chars)");
        }
        return sb.toString();
    }
}
