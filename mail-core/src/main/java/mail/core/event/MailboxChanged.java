package mail.core.event;

import java.time.Instant;
import java.util.List;

/**
 * Something changed in a mailbox or an account's mailbox list; IMAP and POP3 use it for IDLE notifications and
 * cache invalidation, and read the details from MongoDB rather than from the event.
 *
 * @param mailboxId     null only for {@link ChangeKind#SUBSCRIPTIONS_CHANGED}, since one may subscribe to a name
 *                      that is not (or no longer) a mailbox
 * @param mailboxName   the full UTF-8 name (not modified UTF-7); the new name for a rename
 * @param uidValidity   RFC 9051 UIDVALIDITY; 0 only for {@link ChangeKind#SUBSCRIPTIONS_CHANGED}
 * @param uids          the affected UIDs for the message kinds, empty for the mailbox kinds; at most
 *                      {@link #MAX_UIDS}, so producers split large expunges over several events
 * @param highestModSeq RFC 7162 HIGHESTMODSEQ of the mailbox after the change
 * @param oldName       the previous name, only for {@link ChangeKind#MAILBOX_RENAMED}
 */
public record MailboxChanged(
        String id,
        String source,
        Instant time,
        String accountId,
        String mailboxId,
        String mailboxName,
        long uidValidity,
        ChangeKind change,
        List<Long> uids,
        long highestModSeq,
        String oldName) implements MailEvent {

    public static final String TYPE = "mailbox.changed";
    public static final int SCHEMA_VERSION = 1;

    /** Keeps a single record far below Kafka's default 1 MiB message limit. */
    public static final int MAX_UIDS = 10_000;

    private static final long MAX_UID = 0xFFFF_FFFFL;

    public enum ChangeKind {
        MESSAGE_ADDED(true),
        FLAGS_CHANGED(true),
        MESSAGES_EXPUNGED(true),
        MAILBOX_CREATED(false),
        MAILBOX_DELETED(false),
        MAILBOX_RENAMED(false),
        SUBSCRIPTIONS_CHANGED(false);

        private final boolean affectsMessages;

        ChangeKind(boolean affectsMessages) {
            this.affectsMessages = affectsMessages;
        }

        public boolean affectsMessages() {
            return affectsMessages;
        }
    }

    public MailboxChanged {
        Checks.attributes(id, source, time);
        Checks.nonBlank(accountId, "accountId");
        Checks.required(change, "change");
        boolean subscriptions = change == ChangeKind.SUBSCRIPTIONS_CHANGED;
        if (subscriptions) {
            Checks.optionalNonBlank(mailboxId, "mailboxId");
        } else {
            Checks.nonBlank(mailboxId, "mailboxId");
        }
        Checks.nonBlank(mailboxName, "mailboxName");
        if (uidValidity < (subscriptions ? 0 : 1) || uidValidity > MAX_UID) {
            throw new IllegalArgumentException("uidValidity must be a 32-bit unsigned non-zero number, got " + uidValidity);
        }
        uids = Checks.listOrEmpty(uids, "uids");
        if (change.affectsMessages() && uids.isEmpty()) {
            throw new IllegalArgumentException(change + " requires at least one uid");
        }
        if (!change.affectsMessages() && !uids.isEmpty()) {
            throw new IllegalArgumentException(change + " must not carry uids");
        }
        if (uids.size() > MAX_UIDS) {
            throw new IllegalArgumentException("at most " + MAX_UIDS + " uids per event, got " + uids.size()
                    + "; split the change over several events");
        }
        for (long uid : uids) {
            if (uid < 1 || uid > MAX_UID) {
                throw new IllegalArgumentException("uid must be a 32-bit unsigned non-zero number, got " + uid);
            }
        }
        Checks.atLeast(highestModSeq, 0, "highestModSeq");
        if (change == ChangeKind.MAILBOX_RENAMED) {
            Checks.nonBlank(oldName, "oldName");
            if (oldName.equals(mailboxName)) {
                throw new IllegalArgumentException("a rename needs a new name, both are '" + oldName + "'");
            }
        } else if (oldName != null) {
            throw new IllegalArgumentException("oldName is only allowed for MAILBOX_RENAMED, not " + change);
        }
    }

    public static MailboxChanged create(String source, String accountId, String mailboxId, String mailboxName,
                                        long uidValidity, ChangeKind change, List<Long> uids, long highestModSeq,
                                        String oldName) {
        return new MailboxChanged(MailEvent.newId(), source, Instant.now(), accountId, mailboxId, mailboxName,
                uidValidity, change, uids, highestModSeq, oldName);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int schemaVersion() {
        return SCHEMA_VERSION;
    }

    @Override
    public String topic() {
        return Topics.MAILBOX_CHANGES;
    }

    /** Keyed by account: a session watches all of an account's mailboxes and needs their changes in MODSEQ order. */
    @Override
    public String kafkaKey() {
        return accountId;
    }
}
