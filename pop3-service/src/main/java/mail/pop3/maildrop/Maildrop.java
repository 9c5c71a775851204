package mail.pop3.maildrop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mail.core.event.MessageRef;
import mail.store.Mailbox;
import mail.store.Messages;
import org.bson.Document;

/**
 * The INBOX as the session saw it at login (RFC 1939 §5: numbers stay fixed for the session), in UID order, with
 * the messages marked by DELE. Messages delivered meanwhile show up in the next session.
 *
 * @param mailbox null when the account has no INBOX yet (nothing was ever delivered): an empty maildrop
 */
public final class Maildrop {

    /**
     * @param size the octets RETR sends (RFC 1939 §5: exact, CRLF line endings), which may differ from the stored size
     * @param uidl RFC 1939 §7 unique-id: UIDVALIDITY "." UID, the identity IMAP uses, so it is stable everywhere
     */
    public record Entry(long uid, long size, MessageRef blob, String uidl) {
    }

    private final Mailbox mailbox;
    private final List<Entry> entries;
    private final boolean[] deleted;

    private Maildrop(Mailbox mailbox, List<Entry> entries) {
        this.mailbox = mailbox;
        this.entries = List.copyOf(entries);
        this.deleted = new boolean[entries.size()];
    }

    public static Maildrop empty() {
        return new Maildrop(null, List.of());
    }

    /** The message references of the mailbox's message documents, for {@link WireSizes#of}. */
    public static List<MessageRef> refs(List<Document> messages) {
        List<MessageRef> refs = new ArrayList<>(messages.size());
        for (Document d : messages) {
            refs.add(ref(d));
        }
        return refs;
    }

    /**
     * @param messages  the mailbox's message documents in UID order, as {@code Messages.list} returns them
     * @param wireSizes the RFC 1939 size per blob SHA-256 ({@link WireSizes#of})
     */
    public static Maildrop of(Mailbox mailbox, List<Document> messages, Map<String, Long> wireSizes) {
        List<Entry> entries = new ArrayList<>(messages.size());
        for (Document d : messages) {
            long uid = number(d, Messages.UID);
            MessageRef ref = ref(d);
            Long wire = wireSizes.get(ref.sha256());
            if (wire == null) {
                throw new IllegalArgumentException("no wire size for " + ref.blobKey());
            }
            entries.add(new Entry(uid, wire, ref, mailbox.uidValidity() + "." + uid));
        }
        return new Maildrop(mailbox, entries);
    }

    private static MessageRef ref(Document d) {
        return new MessageRef(d.getString(Messages.BLOB_KEY), d.getString(Messages.SHA256), number(d, Messages.SIZE));
    }

    public Optional<Mailbox> mailbox() {
        return Optional.ofNullable(mailbox);
    }

    public int count() {
        return entries.size();
    }

    public boolean exists(int number) {
        return number >= 1 && number <= entries.size();
    }

    public boolean deleted(int number) {
        return deleted[number - 1];
    }

    public Entry get(int number) {
        return entries.get(number - 1);
    }

    public void delete(int number) {
        deleted[number - 1] = true;
    }

    public void undeleteAll() {
        java.util.Arrays.fill(deleted, false);
    }

    public int liveCount() {
        int n = 0;
        for (boolean d : deleted) {
            n += d ? 0 : 1;
        }
        return n;
    }

    public long liveOctets() {
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            total += deleted[i] ? 0 : entries.get(i).size();
        }
        return total;
    }

    public List<Long> deletedUids() {
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (deleted[i]) {
                uids.add(entries.get(i).uid());
            }
        }
        return uids;
    }

    private static long number(Document d, String field) {
        Object v = d.get(field);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
