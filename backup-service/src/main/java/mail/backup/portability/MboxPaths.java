package mail.backup.portability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mail.core.mailbox.MailboxName;

/**
 * Where each mailbox's mbox file goes in an export directory: one file per mailbox, {@code Parent/Child.mbox}, each
 * level escaped as Maildir++ levels are (so no level is {@code ..} or hidden, and dots cannot be mistaken for the
 * extension).
 */
public final class MboxPaths {
    public static final String EXTENSION = ".mbox";

    private MboxPaths() {
    }

    public static String fileOf(String mailboxName) {
        List<String> levels = MailboxName.fromUtf8(mailboxName).levels();
        List<String> escaped = new ArrayList<>();
        for (String l : levels) {
            escaped.add(MaildirNames.escape(l));
        }
        return String.join("/", escaped) + EXTENSION;
    }

    /** The mailbox a file below an import directory holds; empty for files that are not {@code *.mbox}. */
    public static Optional<String> mailboxOf(Path relative) {
        String last = relative.getFileName().toString();
        if (!last.endsWith(EXTENSION) || last.length() == EXTENSION.length() || last.startsWith(".")) {
            return Optional.empty();
        }
        List<String> levels = new ArrayList<>();
        for (int i = 0; i < relative.getNameCount(); i++) {
            String l = relative.getName(i).toString();
            if (i == relative.getNameCount() - 1) {
                l = l.substring(0, l.length() - EXTENSION.length());
            }
            levels.add(MaildirNames.unescape(l));
        }
        try {
            return Optional.of(MailboxName.fromUtf8(String.join("/", levels)).name());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
