package mail.backup.portability;

import java.util.Locale;

/** The two portable mailbox formats. */
public enum Format {
    MBOX, MAILDIR;

    public static Format parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("format is required: mbox or maildir");
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be mbox or maildir, not " + s);
        }
    }
}
