package mail.backup.portability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mail.core.mailbox.MailboxName;
import mail.store.SpecialUse;

/**
 * Which local mailbox a remote IMAP folder goes into. The hierarchy is kept (levels split at the server's separator,
 * joined with ours), the personal namespace prefix of servers that file everything below INBOX ({@code INBOX.}) is
 * dropped, and special-use folders land in our default ones: by their RFC 6154 attribute first, else by the names
 * common servers give them ("Sent Items", "Deleted Messages", "Spam", ...). Only the first remote folder of each use is
 * mapped, so two remote folders never merge into one.
 */
public final class ImapFolderNames {
    private static final Map<String, SpecialUse> ATTRIBUTES = Map.of("\\sent", SpecialUse.SENT, "\\drafts", SpecialUse.DRAFTS,
            "\\trash", SpecialUse.TRASH, "\\junk", SpecialUse.JUNK, "\\archive", SpecialUse.ARCHIVE);
    private static final Map<String, SpecialUse> NAMES = Map.ofEntries(
            Map.entry("sent", SpecialUse.SENT), Map.entry("sent items", SpecialUse.SENT), Map.entry("sent messages", SpecialUse.SENT),
            Map.entry("sent mail", SpecialUse.SENT), Map.entry("drafts", SpecialUse.DRAFTS), Map.entry("draft", SpecialUse.DRAFTS),
            Map.entry("trash", SpecialUse.TRASH), Map.entry("deleted items", SpecialUse.TRASH),
            Map.entry("deleted messages", SpecialUse.TRASH), Map.entry("bin", SpecialUse.TRASH), Map.entry("junk", SpecialUse.JUNK),
            Map.entry("spam", SpecialUse.JUNK), Map.entry("junk e-mail", SpecialUse.JUNK), Map.entry("junk email", SpecialUse.JUNK),
            Map.entry("bulk mail", SpecialUse.JUNK), Map.entry("archive", SpecialUse.ARCHIVE), Map.entry("archives", SpecialUse.ARCHIVE));
    /** Virtual folders that show mail of other folders again: importing them would copy every message twice. */
    private static final Set<String> VIRTUAL = Set.of("\\all", "\\flagged", "\\important");

    private final String personalPrefix;
    private final List<SpecialUse> taken = new ArrayList<>();

    /** @param personalPrefix the server's personal namespace prefix ({@code "INBOX."} or empty) */
    public ImapFolderNames(String personalPrefix) {
        this.personalPrefix = personalPrefix == null ? "" : personalPrefix;
    }

    /** Whether a folder is only a view of others (Gmail's All Mail, Starred, Important) and is left out. */
    public static boolean virtual(Collection<String> attributes) {
        return attributes.stream().anyMatch(a -> VIRTUAL.contains(a.toLowerCase(Locale.ROOT)));
    }

    /** The local name; empty when nothing is left of the name (the namespace prefix itself). */
    public Optional<String> local(String remote, char separator, Collection<String> attributes) {
        if (remote.equalsIgnoreCase("INBOX")) {
            return Optional.of("INBOX");
        }
        String name = remote;
        if (!personalPrefix.isEmpty() && name.regionMatches(true, 0, personalPrefix, 0, personalPrefix.length())) {
            name = name.substring(personalPrefix.length());
        }
        if (name.isEmpty()) {
            return Optional.empty();
        }
        List<String> levels = new ArrayList<>();
        for (String level : separator == 0 ? List.of(name) : List.of(name.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1))) {
            // our delimiter inside a level of a server with another separator would split the level
            String l = level.replace(MailboxName.DELIMITER, '_');
            levels.add(l.isEmpty() ? "_" : l);
        }
        Optional<SpecialUse> use = attributes.stream().map(a -> ATTRIBUTES.get(a.toLowerCase(Locale.ROOT))).filter(u -> u != null).findFirst();
        if (use.isEmpty() && levels.size() == 1) {
            use = Optional.ofNullable(NAMES.get(levels.get(0).toLowerCase(Locale.ROOT)));
        }
        if (use.isPresent() && !taken.contains(use.get())) {
            taken.add(use.get());
            return Optional.of(use.get().defaultName());
        }
        return Optional.of(String.join(String.valueOf(MailboxName.DELIMITER), levels));
    }
}
