package mail.core.mailbox;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An IMAP mailbox name in the platform's internal form: a Unicode string with {@code /} as the
 * hierarchy delimiter. Wire encodings are converted at the edge with {@link #fromModifiedUtf7},
 * {@link #toModifiedUtf7()} (IMAP4rev1) and {@link #fromUtf8} (IMAP4rev2, UTF8=ACCEPT).
 *
 * <p>Names are normalised to Unicode NFC, as RFC 6855 §3 requires for UTF-8 names (via the
 * Net-Unicode rules of RFC 5198), and for modified UTF-7 names too, so that a mailbox created by
 * one client is found by another that composes accents differently. The first level is matched
 * against {@code INBOX} case-insensitively and stored as {@code INBOX} (RFC 3501 §5.1); only
 * ASCII case folding is used, so the Turkish dotless {@code ınbox} is an ordinary name.
 *
 * <p>Stored names must not contain the LIST wildcards {@code *} and {@code %}, control characters
 * (which also covers CR/LF injection into responses), U+2028/U+2029, unpaired surrogates, empty
 * levels or a leading/trailing delimiter.
 */
public final class MailboxName {

    public static final char DELIMITER = '/';

    /** In UTF-16 code units ({@code String.length()}) of the internal form. */
    public static final int MAX_LENGTH = 1024;

    public static final int MAX_LEVELS = 32;

    public static final MailboxName INBOX = new MailboxName("INBOX", List.of("INBOX"));

    // No decoded character costs more than five encoded ones (a lone non-ASCII character: "&",
    // three BASE64 characters, "-"), so anything longer cannot decode to a name within MAX_LENGTH.
    private static final int MAX_MODIFIED_UTF7_LENGTH = 5 * MAX_LENGTH;

    private final String name;
    private final List<String> levels;

    private MailboxName(String name, List<String> levels) {
        this.name = name;
        this.levels = levels;
    }

    /**
     * From the internal form, e.g. a name read back from storage.
     *
     * @throws InvalidMailboxNameException if the name violates any of the rules above
     */
    public static MailboxName parse(String name) {
        Objects.requireNonNull(name, "name");
        return validate(name, name);
    }

    /**
     * From a name sent by an IMAP4rev2 or UTF8=ACCEPT client, where {@code &} has no special
     * meaning. Currently the same rules as {@link #parse}; kept separate so that wire-side policy
     * can change without affecting names read from storage.
     */
    public static MailboxName fromUtf8(String name) {
        return parse(name);
    }

    /**
     * From an IMAP4rev1 modified UTF-7 name (RFC 3501 §5.1.3). Rejects anything that is not the
     * one canonical encoding of its name.
     *
     * @throws InvalidMailboxNameException if the encoding is malformed or the decoded name invalid
     */
    public static MailboxName fromModifiedUtf7(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length() > MAX_MODIFIED_UTF7_LENGTH) {
            throw new InvalidMailboxNameException(
                    "mailbox name is longer than " + MAX_LENGTH + " characters", encoded);
        }
        return validate(ModifiedUtf7.decode(encoded), encoded);
    }

    private static MailboxName validate(String raw, String input) {
        if (raw.isEmpty()) {
            throw new InvalidMailboxNameException("mailbox name is empty", input);
        }
        // checked before normalising so oversized input costs no more than this comparison
        if (raw.length() > MAX_LENGTH) {
            throw new InvalidMailboxNameException(
                    "mailbox name is longer than " + MAX_LENGTH + " characters", input);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidMailboxNameException("mailbox name contains a control character", input);
            }
            if (c == '\u2028' || c == '\u2029') {
                throw new InvalidMailboxNameException("mailbox name contains a line or paragraph separator", input);
            }
            if (c == '*' || c == '%') {
                throw new InvalidMailboxNameException(
                        "mailbox name contains the wildcard '" + c + "'", input);
            }
            if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidMailboxNameException("mailbox name contains an unpaired surrogate", input);
            }
        }
        String name = Normalizer.isNormalized(raw, Normalizer.Form.NFC)
                ? raw
                : Normalizer.normalize(raw, Normalizer.Form.NFC);
        // NFC can also lengthen a string (composition exclusions such as U+0958)
        if (name.length() > MAX_LENGTH) {
            throw new InvalidMailboxNameException(
                    "mailbox name is longer than " + MAX_LENGTH + " characters", input);
        }
        if (name.charAt(0) == DELIMITER) {
            throw new InvalidMailboxNameException("mailbox name starts with the hierarchy delimiter", input);
        }
        if (name.charAt(name.length() - 1) == DELIMITER) {
            throw new InvalidMailboxNameException("mailbox name ends with the hierarchy delimiter", input);
        }
        List<String> levels = new ArrayList<>();
        int start = 0;
        while (true) {
            int slash = name.indexOf(DELIMITER, start);
            int end = slash < 0 ? name.length() : slash;
            if (end == start) {
                throw new InvalidMailboxNameException("mailbox name has an empty hierarchy level", input);
            }
            if (levels.size() == MAX_LEVELS) {
                throw new InvalidMailboxNameException(
                        "mailbox name has more than " + MAX_LEVELS + " hierarchy levels", input);
            }
            levels.add(name.substring(start, end));
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        if (isAsciiInbox(levels.get(0))) {
            if (levels.size() == 1) {
                return INBOX;
            }
            levels.set(0, "INBOX");
            name = "INBOX" + name.substring(5);
        }
        return new MailboxName(name, List.copyOf(levels));
    }

    // String.equalsIgnoreCase would also match "\u0131nbox": it upper-cases the dotless i to 'I'.
    private static boolean isAsciiInbox(String level) {
        if (level.length() != 5) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            char c = level.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != "INBOX".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The internal Unicode form; same as {@link #toString()}. */
    public String name() {
        return name;
    }

    public String toModifiedUtf7() {
        return ModifiedUtf7.encode(name);
    }

    /** Hierarchy levels from the top, never empty; unmodifiable. */
    public List<String> levels() {
        return levels;
    }

    /** Empty for a top-level mailbox. */
    public Optional<MailboxName> parent() {
        if (levels.size() == 1) {
            return Optional.empty();
        }
        String parentName = name.substring(0, name.lastIndexOf(DELIMITER));
        List<String> parentLevels = levels.subList(0, levels.size() - 1);
        if (parentLevels.size() == 1 && parentName.equals(INBOX.name)) {
            return Optional.of(INBOX);
        }
        return Optional.of(new MailboxName(parentName, List.copyOf(parentLevels)));
    }

    /**
     * A mailbox one level below this one.
     *
     * @throws InvalidMailboxNameException if {@code level} contains the delimiter or the result is
     *     invalid (too long, too deep, bad characters)
     */
    public MailboxName child(String level) {
        Objects.requireNonNull(level, "level");
        if (level.indexOf(DELIMITER) >= 0) {
            throw new InvalidMailboxNameException("child level must not contain '" + DELIMITER + "'", level);
        }
        if (level.isEmpty()) {
            throw new InvalidMailboxNameException("child level is empty", level);
        }
        return parse(name + DELIMITER + level);
    }

    /** Only the INBOX itself, not mailboxes below it. */
    public boolean isInbox() {
        return levels.size() == 1 && levels.get(0).equals("INBOX");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailboxName && ((MailboxName) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
