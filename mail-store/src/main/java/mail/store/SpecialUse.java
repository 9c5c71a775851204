package mail.store;

/** The mailboxes every account has (RFC 6154 special-use attributes; INBOX has none, it is special by name). */
public enum SpecialUse {
    INBOX("INBOX", null),
    SENT("Sent", "\\Sent"),
    DRAFTS("Drafts", "\\Drafts"),
    TRASH("Trash", "\\Trash"),
    JUNK("Junk", "\\Junk"),
    ARCHIVE("Archive", "\\Archive");

    private final String defaultName;
    private final String attribute;

    SpecialUse(String defaultName, String attribute) {
        this.defaultName = defaultName;
        this.attribute = attribute;
    }

    public String defaultName() {
        return defaultName;
    }

    /** The LIST attribute, null for INBOX. */
    public String attribute() {
        return attribute;
    }
}
