package mail.message;

/**
 * One element of an IMAP ENVELOPE address list (RFC 9051 §7.5.2), kept in IMAP's own shape so the renderer is a
 * plain loop: a group start is {@code (NIL NIL "group" NIL)} and a group end is {@code (NIL NIL NIL NIL)}.
 * Strings are raw header text: the personal name is unquoted but not RFC 2047 decoded (clients decode it).
 * A mailbox without a domain gets an empty host, never null, so it cannot be mistaken for a group start.
 */
public record Address(String personal, String adl, String mailbox, String host) {

    public static Address groupStart(String name) {
        return new Address(null, null, name, null);
    }

    public static Address groupEnd() {
        return new Address(null, null, null, null);
    }

    public boolean isGroupStart() {
        return mailbox != null && host == null;
    }

    public boolean isGroupEnd() {
        return mailbox == null && host == null;
    }

    /** local@host, or just the mailbox when there is no domain. Null for group markers. */
    public String addrSpec() {
        if (host == null) {
            return null;
        }
        return host.isEmpty() ? mailbox : mailbox + "@" + host;
    }
}
