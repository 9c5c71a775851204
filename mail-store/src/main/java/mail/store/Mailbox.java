package mail.store;

import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * A mailbox as read at one moment. {@code uidNext} and {@code highestModSeq} move on with every write, so a caller
 * that keeps this value (e.g. to cache the INBOX id) must re-read them rather than trust the copy.
 *
 * @param name       the full UTF-8 name ({@link mail.core.mailbox.MailboxName#name()}), never modified UTF-7
 * @param specialUse       null for an ordinary mailbox
 * @param legacySubscribed the subscription flag of mailboxes written before {@link Subscriptions}; false once the
 *                         account is migrated. Subscriptions are names, not mailboxes: ask {@link Subscriptions}.
 */
public record Mailbox(String id, String accountId, String name, SpecialUse specialUse, long uidValidity, long uidNext,
                      long highestModSeq, boolean legacySubscribed) {

    static Mailbox from(Document d) {
        String use = d.getString(Mailboxes.SPECIAL_USE);
        return new Mailbox(d.getObjectId("_id").toHexString(), d.getString(Mailboxes.ACCOUNT_ID), d.getString(Mailboxes.NAME),
                use == null ? null : SpecialUse.valueOf(use), number(d, Mailboxes.UID_VALIDITY), number(d, Mailboxes.UID_NEXT),
                number(d, Mailboxes.HIGHEST_MODSEQ), d.getBoolean(Mailboxes.SUBSCRIBED, false));
    }

    ObjectId objectId() {
        return new ObjectId(id);
    }

    static long number(Document d, String field) {
        Object v = d.get(field);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
