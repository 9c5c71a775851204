package mail.delivery.local;

import java.util.Collection;
import java.util.Set;

/**
 * Which mailboxes have had their MAILBOX_CREATED acknowledged on mailbox.changes. Kept apart from the creation
 * itself: a worker that dies after creating the default mailboxes and before publishing leaves them unmarked, and
 * whoever delivers to the account next publishes for them.
 */
public interface CreationAnnouncements {
    /** The ids among {@code mailboxIds} whose creation was announced. */
    Set<String> announced(Collection<String> mailboxIds);

    /** Records the announcements; repeating it is harmless. */
    void markAnnounced(Collection<String> mailboxIds);
}
