package mail.imap.search;

/**
 * A SEARCH the server refuses before touching the store. The session answers {@link #response()} as the tagged
 * reply: {@code BAD} for criteria nested deeper than configured, {@code NO [BADCHARSET (US-ASCII UTF-8)]} for an
 * unsupported CHARSET (RFC 9051 §6.4.4).
 */
public final class SearchException extends RuntimeException {

    public enum Kind { TOO_DEEP, BAD_CHARSET }

    private final Kind kind;

    SearchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The tagged response text after the tag, e.g. {@code NO [BADCHARSET (US-ASCII UTF-8)] ...}. */
    public String response() {
        if (kind == Kind.BAD_CHARSET) {
            return "NO [BADCHARSET (" + String.join(" ", SearchCharsets.SUPPORTED) + ")] " + getMessage();
        }
        return "BAD " + getMessage();
    }
}
