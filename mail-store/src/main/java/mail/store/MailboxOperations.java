package mail.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.regex;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import mail.core.event.MessageRef;
import mail.core.mailbox.MailboxName;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * What IMAP does to mailboxes and messages besides delivery: flags, copies, and the mailbox tree (create, delete,
 * rename, subscribe). Same rules as {@link MailStore}: every step is safe to repeat after a crash, never loses a
 * message, and at worst leaks a blob reference.
 */
public final class MailboxOperations {
    public enum FlagMode { REPLACE, ADD, REMOVE }

    /** One message's flags after a change. */
    public record FlagState(long uid, List<String> flags, List<String> keywords, long modSeq) {
    }

    /**
     * @param changed  the messages whose flags changed, with their new state
     * @param modified UIDs left alone because they changed after UNCHANGEDSINCE (RFC 7162 §3.1.3)
     * @param unchanged messages that were already in the asked-for state (their current state)
     */
    public record FlagResult(List<FlagState> changed, List<Long> modified, List<FlagState> unchanged) {
    }

    /** A source UID and the UID its copy got, for COPYUID (RFC 4315). */
    public record CopiedUid(long source, long target) {
    }

    private final MailStore store;
    private final Mailboxes mailboxes;
    private final Messages messages;

    public MailboxOperations(MailStore store) {
        this.store = store;
        this.mailboxes = store.mailboxes();
        this.messages = store.messages();
    }

    // ------------------------------------------------------------------------------------------------ flags

    /**
     * Sets, adds or removes flags (system flags in {@code flags}, keywords in {@code keywords}) on the given UIDs.
     * All messages changed by one call share one new MODSEQ. A message changed concurrently by another session is
     * re-read and the change applied again on top of that (compare-and-set on its MODSEQ).
     *
     * @param unchangedSince RFC 7162 UNCHANGEDSINCE, or a negative number for none
     */
    public FlagResult updateFlags(Mailbox mailbox, Collection<Long> uids, FlagMode mode, Collection<String> flags,
                                  Collection<String> keywords, long unchangedSince) {
        List<FlagState> changed = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        List<FlagState> unchanged = new ArrayList<>();
        List<Long> pending = new ArrayList<>(uids);
        long modSeq = -1;
        for (int attempt = 0; attempt < 5 && !pending.isEmpty(); attempt++) {
            List<Document> docs = messages.collection().find(and(eq(Messages.MAILBOX_ID, mailbox.id()), in(Messages.UID, pending)))
                    .projection(Projections.include(Messages.UID, Messages.FLAGS, Messages.KEYWORDS, Messages.MODSEQ))
                    .sort(Sorts.ascending(Messages.UID)).into(new ArrayList<>());
            List<WriteModel<Document>> writes = new ArrayList<>();
            List<FlagState> planned = new ArrayList<>();
            for (Document d : docs) {
                long uid = Mailbox.number(d, Messages.UID);
                long current = Mailbox.number(d, Messages.MODSEQ);
                List<String> oldFlags = strings(d, Messages.FLAGS);
                List<String> oldKeywords = strings(d, Messages.KEYWORDS);
                if (unchangedSince >= 0 && current > unchangedSince) {
                    modified.add(uid);
                    continue;
                }
                List<String> newFlags = apply(oldFlags, mode, flags);
                List<String> newKeywords = apply(oldKeywords, mode, keywords);
                if (Set.copyOf(newFlags).equals(Set.copyOf(oldFlags)) && Set.copyOf(newKeywords).equals(Set.copyOf(oldKeywords))) {
                    unchanged.add(new FlagState(uid, oldFlags, oldKeywords, current));
                    continue;
                }
                if (modSeq < 0) {
                    modSeq = store.allocator().nextModSeq(mailbox.id());
                }
                writes.add(new UpdateOneModel<>(and(eq("_id", d.getObjectId("_id")), eq(Messages.MODSEQ, d.get(Messages.MODSEQ))),
                        Updates.combine(Updates.set(Messages.FLAGS, newFlags), Updates.set(Messages.KEYWORDS, newKeywords),
                                Updates.set(Messages.MODSEQ, modSeq))));
                planned.add(new FlagState(uid, newFlags, newKeywords, modSeq));
            }
            pending = new ArrayList<>();
            if (writes.isEmpty()) {
                break;
            }
            if (messages.collection().bulkWrite(writes).getMatchedCount() == writes.size()) {
                changed.addAll(planned);
                break;
            }
            // some were changed by someone else meanwhile (or expunged): keep the ones that took, redo the others
            Set<Long> plannedUids = new LinkedHashSet<>();
            planned.forEach(p -> plannedUids.add(p.uid()));
            for (Document d : messages.collection().find(and(eq(Messages.MAILBOX_ID, mailbox.id()), in(Messages.UID, plannedUids)))
                    .projection(Projections.include(Messages.UID, Messages.MODSEQ))) {
                long uid = Mailbox.number(d, Messages.UID);
                FlagState p = planned.stream().filter(s -> s.uid() == uid).findFirst().orElseThrow();
                if (Mailbox.number(d, Messages.MODSEQ) == modSeq) {
                    changed.add(p);
                } else {
                    pending.add(uid);
                }
            }
        }
        return new FlagResult(changed, modified, unchanged);
    }

    private static List<String> apply(List<String> current, FlagMode mode, Collection<String> given) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (mode == FlagMode.REPLACE) {
            out.addAll(given);
        } else if (mode == FlagMode.ADD) {
            out.addAll(current);
            out.addAll(given);
        } else {
            out.addAll(current);
            for (String g : given) {
                out.removeIf(c -> c.equalsIgnoreCase(g));
            }
        }
        return new ArrayList<>(out);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Document d, String key) {
        Object v = d.get(key);
        return v instanceof List<?> l ? new ArrayList<>((List<String>) l) : new ArrayList<>();
    }

    // ------------------------------------------------------------------------------------------------ copy

    /**
     * Copies messages (body shared through the blob's reference count, flags, keywords, internal date and metadata
     * kept) into {@code target}, in UID order. Each copy gets a fresh key, so copying twice makes two copies, as
     * IMAP requires; a crash in the middle leaves the copies made so far, which the client sees as a failed COPY
     * it may repeat.
     */
    public List<CopiedUid> copy(Mailbox source, Collection<Long> uids, Mailbox target) {
        String operation = UUID.randomUUID().toString();
        List<CopiedUid> out = new ArrayList<>();
        for (Document d : messages.byUids(source.id(), uids)) {
            MessageRef ref = new MessageRef(d.getString(Messages.BLOB_KEY), d.getString(Messages.SHA256), Mailbox.number(d, Messages.SIZE));
            Date date = d.getDate(Messages.INTERNAL_DATE);
            NewMessage copy = new NewMessage(target.accountId(), ref, date.toInstant(), strings(d, Messages.FLAGS),
                    strings(d, Messages.KEYWORDS), d.get(Messages.METADATA, Document.class),
                    "copy/" + operation + "/" + d.getObjectId("_id").toHexString());
            store.store(target, copy).ifPresent(s -> out.add(new CopiedUid(Mailbox.number(d, Messages.UID), s.uid())));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ mailbox tree

    public Optional<Mailbox> create(String accountId, MailboxName name, SpecialUse use) {
        return mailboxes.create(accountId, name, use);
    }

    /** The mailbox and all below it ({@code name/...}), for RENAME and DELETE checks. */
    public List<Mailbox> subtree(String accountId, String name) {
        List<Mailbox> out = new ArrayList<>();
        mailboxes.collection().find(and(eq(Mailboxes.ACCOUNT_ID, accountId),
                        regex(Mailboxes.NAME, "^" + Pattern.quote(name) + "(/.*)?$")))
                .map(Mailbox::from).forEach(out::add);
        return out;
    }

    /**
     * Removes every message of the mailbox (releasing blob references), then the mailbox. Repeatable after a crash:
     * the mailbox document goes last, so a half-deleted mailbox is still there to delete again.
     */
    public void delete(Mailbox mailbox) {
        // a legacy subscription flag would go with the document: RFC 3501 §6.3.6 keeps the name subscribed
        mailboxes.subscriptions().migrate(mailbox.accountId());
        while (true) {
            List<Long> uids = new ArrayList<>();
            messages.collection().find(eq(Messages.MAILBOX_ID, mailbox.id())).projection(Projections.include(Messages.UID))
                    .limit(1000).forEach(d -> uids.add(Mailbox.number(d, Messages.UID)));
            if (uids.isEmpty()) {
                break;
            }
            store.expunge(mailbox, uids);
        }
        mailboxes.collection().deleteOne(eq("_id", new ObjectId(mailbox.id())));
    }

    /**
     * Renames a mailbox and everything below it (RFC 9051 §6.3.6); UIDVALIDITY stays, since the messages and their
     * UIDs do not change. Renaming INBOX instead moves all its messages into a new mailbox of the new name and leaves
     * INBOX empty.
     *
     * <p>Subscriptions stay with the old names: RFC 9051 §6.3.6 "renaming a mailbox doesn't update subscription
     * information on the original name" (the client follows with SUBSCRIBE new, UNSUBSCRIBE old if it wants), and RFC
     * 3501 §6.3.5 does not ask for it either. Legacy flags are migrated first so that they do not travel with the
     * documents.
     *
     * @return false if the target (or one of the renamed children's targets) exists
     */
    public boolean rename(String accountId, Mailbox from, MailboxName to) {
        mailboxes.subscriptions().migrate(accountId);
        if (from.name().equals(MailboxName.INBOX.name())) {
            return renameInbox(from, to);
        }
        List<Mailbox> tree = subtree(accountId, from.name());
        for (Mailbox m : tree) {
            String newName = to.name() + m.name().substring(from.name().length());
            if (mailboxes.find(accountId, newName).isPresent()) {
                return false;
            }
        }
        for (Mailbox m : tree) {
            String newName = to.name() + m.name().substring(from.name().length());
            mailboxes.collection().updateOne(eq("_id", new ObjectId(m.id())), Updates.set(Mailboxes.NAME, newName));
        }
        return true;
    }

    private boolean renameInbox(Mailbox inbox, MailboxName to) {
        Optional<Mailbox> created = mailboxes.create(inbox.accountId(), to, null);
        if (created.isEmpty()) {
            return false;
        }
        Mailbox target = created.get();
        // UIDs move with the messages; the new mailbox has a fresh UIDVALIDITY, so keeping them is allowed, and its
        // counters start where INBOX's are
        mailboxes.collection().updateOne(eq("_id", new ObjectId(target.id())), Updates.combine(
                Updates.set(Mailboxes.UID_NEXT, Math.max(1, inbox.uidNext())),
                Updates.set(Mailboxes.HIGHEST_MODSEQ, Math.max(1, inbox.highestModSeq()))));
        messages.collection().updateMany(eq(Messages.MAILBOX_ID, inbox.id()), Updates.set(Messages.MAILBOX_ID, target.id()));
        store.allocator().nextModSeq(inbox.id());
        return true;
    }

    public Subscriptions subscriptions() {
        return mailboxes.subscriptions();
    }

    /**
     * The keywords set on any message of the mailbox, for SELECT's FLAGS and PERMANENTFLAGS (RFC 9051 §7.3.5: the
     * flags applicable in the mailbox, "at a minimum" the system flags). One pass over the messages' keyword
     * fields, like {@link #uids}.
     */
    public java.util.SortedSet<String> keywords(String mailboxId) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        messages.collection().find(eq(Messages.MAILBOX_ID, mailboxId)).projection(Projections.include(Messages.KEYWORDS))
                .forEach(d -> out.addAll(strings(d, Messages.KEYWORDS)));
        return out;
    }

    /** UIDs of the mailbox in ascending order, for a session's sequence-number map. */
    public long[] uids(String mailboxId) {
        List<Long> out = new ArrayList<>();
        messages.collection().find(eq(Messages.MAILBOX_ID, mailboxId)).projection(Projections.include(Messages.UID))
                .sort(Sorts.ascending(Messages.UID)).forEach(d -> out.add(Mailbox.number(d, Messages.UID)));
        long[] a = new long[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** Flags of messages changed after {@code modSeq}, for untagged FETCH responses and CONDSTORE. */
    public List<FlagState> changedSince(String mailboxId, long modSeq) {
        List<FlagState> out = new ArrayList<>();
        messages.collection().find(and(eq(Messages.MAILBOX_ID, mailboxId), com.mongodb.client.model.Filters.gt(Messages.MODSEQ, modSeq)))
                .projection(Projections.include(Messages.UID, Messages.FLAGS, Messages.KEYWORDS, Messages.MODSEQ))
                .sort(Sorts.ascending(Messages.UID))
                .forEach(d -> out.add(new FlagState(Mailbox.number(d, Messages.UID), strings(d, Messages.FLAGS),
                        strings(d, Messages.KEYWORDS), Mailbox.number(d, Messages.MODSEQ))));
        return out;
    }
}
