package mail.imap.protocol;

/** The client's command does not follow the grammar: answered with a tagged (or untagged) BAD. */
public final class ImapSyntaxException extends RuntimeException {
    public ImapSyntaxException(String message) {
        super(message, null, false, false);
    }
}
