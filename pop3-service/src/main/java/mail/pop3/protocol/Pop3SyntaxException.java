package mail.pop3.protocol;

/** A command line that cannot be decoded; the message is the -ERR reply text and never echoes client bytes. */
public final class Pop3SyntaxException extends Exception {
    public Pop3SyntaxException(String message) {
        super(message, null, false, false);
    }
}
