package mail.imap.session;

import com.mongodb.client.model.Projections;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import mail.core.event.DirectorySnapshot;
import mail.core.event.MailboxChanged;
import mail.core.event.MailboxChanged.ChangeKind;
import mail.core.event.MessageRef;
import mail.core.event.Topics;
import mail.core.mailbox.InvalidMailboxNameException;
import mail.core.mailbox.MailboxName;
import java.nio.charset.StandardCharsets;
import mail.imap.fetch.ChunkSink;
import mail.imap.fetch.FetchException;
import mail.imap.fetch.FetchPlan;
import mail.imap.fetch.FetchRenderer;
import mail.imap.fetch.FetchedMessage;
import mail.imap.mailbox.AppendSpool;
import mail.imap.search.SearchContext;
import mail.imap.search.SearchException;
import mail.imap.search.SearchFilters;
import mail.imap.search.SearchResponses;
import mail.imap.search.SearchResult;
import mail.imap.mailbox.SelectedMailbox;
import mail.imap.protocol.ImapCommand;
import mail.imap.protocol.ResponseWriter;
import mail.imap.protocol.SequenceSet;
import mail.message.MessageMetadataBson;
import mail.message.ParsedMessage;
import mail.store.Mailbox;
import mail.store.MailboxCounts;
import mail.store.MailboxOperations;
import mail.store.MailboxOperations.FlagMode;
import mail.store.MailboxOperations.FlagState;
import mail.store.MailStore;
import mail.store.Messages;
import mail.store.NewMessage;
import mail.store.SpecialUse;
import mail.store.StoredMessage;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The commands of the authenticated and selected states (RFC 9051 §6.3, §6.4) for one session: the mailbox tree,
 * STATUS, APPEND, the selected mailbox and its sequence numbers, flags, copies and expunges, and the untagged updates
 * that keep the client's view in step with changes made elsewhere. Runs on the session's executor; MongoDB calls
 * block that executor's worker thread, never an event loop.
 */
final class MailboxHandler {
    private static final Logger LOG = Logger.getLogger(MailboxHandler.class);
    static final Set<String> SYSTEM_FLAGS = Set.of("\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft");

    /** How the session talks to its client. */
    interface Replies {
        void untagged(String text);

        void tagged(String tag, String text);

        void write(byte[] bytes);

        /** A BYE, then the connection closes. */
        void bye(String text);

        /** True while the client has the connection's high-water mark of output still to read. */
        boolean outputFull();

        /**
         * Pauses the session until the client has read most of what is queued, then runs {@code then} (as part of the
         * command {@code tag}, with its error handling); {@code ifGone} instead if the connection closed meanwhile. The
         * caller returns right after this call.
         */
        void continueWhenWritable(String tag, Runnable then, Runnable ifGone);
    }

    private final ImapContext ctx;
    private final DirectorySnapshot.Account account;
    private final Replies out;
    /** Read by the change feed thread to decide whether an event concerns this session. */
    private volatile SelectedMailbox selected;
    private volatile boolean dirty;
    /** SEARCHRES (RFC 5182): the UIDs of the last SEARCH ... RETURN (SAVE), for {@code $}; reset by SELECT. */
    private List<Long> savedSearch = List.of();
    private AutoCloseable subscription;
    boolean utf8;
    boolean condstore;
    boolean qresync;
    boolean rev2;

    MailboxHandler(ImapContext ctx, DirectorySnapshot.Account account, Replies out, Runnable onChange) {
        this.ctx = ctx;
        this.account = account;
        this.out = out;
        // an account that never received mail has no mailboxes yet (delivery creates them): a client must still
        // find INBOX and the special-use folders at its first login
        try {
            if (ctx.store().mailboxes().find(account.accountId(), MailboxName.INBOX.name()).isEmpty()) {
                ctx.store().mailboxes().ensureDefaults(account.accountId());
            }
        } catch (RuntimeException e) {
            // the store is down: the login still succeeds and mailbox commands answer NO [UNAVAILABLE]
            LOG.warnf("cannot check the default mailboxes of %s: %s", account.accountId(), e.toString());
        }
        this.subscription = ctx.changes() == null ? null : ctx.changes().subscribe(account.accountId(), change -> {
            if (selected != null && change.mailboxId() != null && change.mailboxId().equals(selected.id())) {
                dirty = true;
                onChange.run();
            }
        });
    }

    String accountId() {
        return account.accountId();
    }

    SelectedMailbox selected() {
        return selected;
    }

    void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing from mailbox changes failed", e);
            }
            subscription = null;
        }
    }

    // ------------------------------------------------------------------------------------------ names

    /** A client's mailbox name, in the encoding the session uses (modified UTF-7, or UTF-8 once enabled). */
    MailboxName decode(String wire) {
        String n = wire;
        if (n.length() > 1 && n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return utf8 ? MailboxName.fromUtf8(n) : MailboxName.fromModifiedUtf7(n);
    }

    String encode(String internal) {
        return utf8 ? internal : MailboxName.parse(internal).toModifiedUtf7();
    }

    private Optional<Mailbox> find(MailboxName name) {
        return ctx.store().mailboxes().find(account.accountId(), name.name());
    }

    private ResponseWriter writer() {
        return new ResponseWriter(utf8);
    }

    /**
     * RFC 7162 §3.1: the first CONDSTORE enabling command (FETCH MODSEQ or CHANGEDSINCE, STORE UNCHANGEDSINCE, SEARCH
     * MODSEQ) issued while a mailbox is selected is answered with an untagged OK [HIGHESTMODSEQ] for that mailbox
     * before its own responses: from then on the client tracks mod-sequences and needs the point it starts from.
     */
    private void enableCondstore() {
        if (condstore) {
            return;
        }
        condstore = true;
        if (selected == null) {
            return;
        }
        // the point the client starts tracking from is the mailbox as it is now: the change event of this session's
        // own STORE may not have come yet (on a busy machine it did not), so look instead of waiting for it
        refresh(false, true);
        SelectedMailbox sel = selected;
        if (sel != null) {
            out.untagged("OK [HIGHESTMODSEQ " + sel.highestModSeq() + "] Highest");
        }
    }

    // ------------------------------------------------------------------------------------------ ENABLE

    void enable(String tag, List<String> capabilities) {
        List<String> enabled = new ArrayList<>();
        for (String c : capabilities) {
            String u = c.toUpperCase(Locale.ROOT);
            if (u.equals("CONDSTORE") && !condstore) {
                condstore = true;
                enabled.add(u);
            } else if (u.equals("QRESYNC") && !qresync) {
                qresync = true;
                condstore = true;
                enabled.add(u);
            } else if (u.equals("IMAP4REV2") && !rev2) {
                rev2 = true;
                utf8 = true;
                enabled.add("IMAP4rev2");
            } else if (u.equals("UTF8=ACCEPT") && !utf8) {
                utf8 = true;
                enabled.add(u);
            }
        }
        out.untagged("ENABLED" + (enabled.isEmpty() ? "" : " " + String.join(" ", enabled)));
        out.tagged(tag, "OK ENABLE completed");
    }

    // ------------------------------------------------------------------------------------------ SELECT / EXAMINE

    void select(String tag, ImapCommand.Select s) {
        // RFC 9051 §6.3.2: a failed SELECT still leaves the previous mailbox closed
        boolean hadSelection = selected != null;
        selected = null;
        savedSearch = List.of();
        if (hadSelection && qresync) {
            out.untagged("OK [CLOSED] Previous mailbox closed");
        }
        if (s.qresync().isPresent() && !qresync) {
            out.tagged(tag, "BAD QRESYNC parameter without ENABLE QRESYNC");
            return;
        }
        MailboxName name = decode(s.mailbox());
        Optional<Mailbox> mb = find(name);
        if (mb.isEmpty()) {
            out.tagged(tag, "NO [NONEXISTENT] Mailbox does not exist");
            return;
        }
        if (s.condstore()) {
            condstore = true;
        }
        Mailbox m = mb.get();
        SelectedMailbox sel = new SelectedMailbox(m, s.readOnly(), ctx.ops().uids(m.id()), ctx.ops().keywords(m.id()));
        sel.recentAbove(recentMark(sel, sel.lastUid()));
        selected = sel;
        dirty = false;
        out.untagged(sel.exists() + " EXISTS");
        if (!rev2) {
            out.untagged(sel.recentCount() + " RECENT");
            long firstUnseen = firstUnseen(sel);
            if (firstUnseen > 0) {
                out.untagged("OK [UNSEEN " + firstUnseen + "] First unseen message");
            }
        }
        out.untagged("OK [UIDVALIDITY " + m.uidValidity() + "] UIDs valid");
        out.untagged("OK [UIDNEXT " + m.uidNext() + "] Predicted next UID");
        flagsResponses(sel);
        if (rev2) {
            ResponseWriter w = writer().raw("* LIST () \"/\" ").astring(encode(m.name())).crlf();
            out.write(w.toBytes());
        }
        // RFC 7162 §3.1.2.1: a server that keeps mod-sequences sends HIGHESTMODSEQ on every successful SELECT and
        // EXAMINE, whether or not the client has enabled CONDSTORE
        out.untagged("OK [HIGHESTMODSEQ " + m.highestModSeq() + "] Highest");
        s.qresync().ifPresent(q -> qresyncResync(sel, q));
        out.tagged(tag, "OK [" + (s.readOnly() ? "READ-ONLY" : "READ-WRITE") + "] " + (s.readOnly() ? "EXAMINE" : "SELECT")
                + " completed");
    }

    /**
     * The \Recent mark for messages up to {@code upToUid} the session is about to announce: messages above the
     * returned mark are recent to it. A read-write IMAP4rev1 session claims them, so no other session gets them
     * (RFC 3501 §2.3.2); EXAMINE sees the unclaimed ones without claiming (RFC 3501 §6.3.2: it MUST NOT make
     * messages lose \Recent); an IMAP4rev2 session has no \Recent (RFC 9051 Appendix E) and neither claims nor sees.
     */
    private long recentMark(SelectedMailbox sel, long upToUid) {
        if (rev2 || upToUid <= 0) {
            return Long.MAX_VALUE;
        }
        return sel.readOnly() ? ctx.store().mailboxes().recentMark(sel.id())
                : ctx.store().mailboxes().claimRecent(sel.id(), upToUid);
    }

    /**
     * FLAGS: the system flags and every keyword in use in the mailbox (RFC 9051 §7.3.5); PERMANENTFLAGS: the same
     * and {@code \\*}, since any keyword may be created, or none in a read-only mailbox (RFC 9051 §7.1).
     */
    private void flagsResponses(SelectedMailbox sel) {
        StringBuilder flags = new StringBuilder("\\Answered \\Flagged \\Deleted \\Seen \\Draft");
        for (String k : sel.keywords()) {
            flags.append(' ').append(k);
        }
        out.untagged("FLAGS (" + flags + ")");
        out.untagged("OK [PERMANENTFLAGS " + (sel.readOnly() ? "()" : "(" + flags + " \\*)") + "] Flags permitted");
    }

    /** A new FLAGS and PERMANENTFLAGS when flag states the client is about to see carry a keyword it was not told of. */
    private void announceNewKeywords(SelectedMailbox sel, List<FlagState> states) {
        List<String> seen = new ArrayList<>();
        states.forEach(f -> seen.addAll(f.keywords()));
        if (sel.learnKeywords(seen)) {
            flagsResponses(sel);
        }
    }

    private long firstUnseen(SelectedMailbox sel) {
        Document d = ctx.store().messages().firstUnseen(sel.id());
        return d == null ? 0 : sel.seqOf(d.get(Messages.UID, Number.class).longValue());
    }

    /** RFC 7162 §3.2.5.1: what changed since the client's cache, as VANISHED (EARLIER) and FETCH responses. */
    private void qresyncResync(SelectedMailbox sel, ImapCommand.Qresync q) {
        if (q.uidValidity() != sel.mailbox().uidValidity()) {
            return;
        }
        long[] present = sel.uids();
        List<SequenceSet.Range> known = q.knownUids().map(k -> k.resolve(Math.max(1, sel.uidNext() - 1)))
                .orElse(List.of(new SequenceSet.Range(1, Math.max(1, sel.uidNext() - 1))));
        List<SequenceSet.Range> vanished = new ArrayList<>();
        int i = 0;
        for (SequenceSet.Range r : known) {
            long from = r.from();
            long to = Math.min(r.to(), sel.uidNext() - 1);
            while (i < present.length && present[i] < from) {
                i++;
            }
            long cursor = from;
            while (cursor <= to) {
                if (i < present.length && present[i] == cursor) {
                    cursor++;
                    i++;
                    continue;
                }
                long gapEnd = (i < present.length && present[i] <= to) ? present[i] - 1 : to;
                vanished.add(new SequenceSet.Range(cursor, gapEnd));
                cursor = gapEnd + 1;
            }
        }
        if (!vanished.isEmpty()) {
            out.untagged("VANISHED (EARLIER) " + SequenceSet.format(vanished));
        }
        for (FlagState f : ctx.ops().changedSince(sel.id(), q.modSeq())) {
            int seq = sel.seqOf(f.uid());
            if (seq > 0) {
                out.untagged(seq + " FETCH (UID " + f.uid() + " " + flagsItem(sel, f) + " MODSEQ (" + f.modSeq() + "))");
                sel.reported(f.uid(), f.modSeq());
            }
        }
    }

    void unselect(String tag, boolean expunge, String command) {
        SelectedMailbox sel = selected;
        if (expunge && !sel.readOnly()) {
            List<Long> deleted = ctx.store().messages().uidsWithFlag(sel.id(), "\\Deleted");
            if (!deleted.isEmpty()) {
                MailStore.Expunged x = ctx.store().expunge(sel.mailbox(), deleted);
                publishMessages(sel.mailbox(), ChangeKind.MESSAGES_EXPUNGED, x.uids(), x.highestModSeq());
            }
        }
        selected = null;
        savedSearch = List.of();
        if (qresync) {
            out.untagged("OK [CLOSED] Mailbox closed");
        }
        out.tagged(tag, "OK " + command + " completed");
    }

    // ------------------------------------------------------------------------------------------ tree

    void create(String tag, ImapCommand.Create c) {
        MailboxName name = decode(c.mailbox());
        if (name.isInbox() || find(name).isPresent()) {
            out.tagged(tag, "NO [ALREADYEXISTS] Mailbox already exists");
            return;
        }
        SpecialUse use = null;
        if (!c.specialUse().isEmpty()) {
            if (c.specialUse().size() > 1) {
                out.tagged(tag, "NO [USEATTR] Only one special-use attribute per mailbox");
                return;
            }
            use = specialUse(c.specialUse().get(0));
            if (use == null) {
                out.tagged(tag, "NO [USEATTR] Unsupported special-use attribute " + c.specialUse().get(0));
                return;
            }
        }
        createParents(name);
        Optional<Mailbox> created = ctx.ops().create(account.accountId(), name, use);
        if (created.isEmpty()) {
            out.tagged(tag, "NO [ALREADYEXISTS] Mailbox already exists");
            return;
        }
        publishTree(created.get(), ChangeKind.MAILBOX_CREATED, null);
        out.tagged(tag, "OK CREATE completed");
    }

    private static SpecialUse specialUse(String attribute) {
        for (SpecialUse u : SpecialUse.values()) {
            if (u.attribute() != null && u.attribute().equalsIgnoreCase(attribute)) {
                return u;
            }
        }
        return null;
    }

    private void createParents(MailboxName name) {
        Optional<MailboxName> parent = name.parent();
        List<MailboxName> missing = new ArrayList<>();
        while (parent.isPresent() && find(parent.get()).isEmpty()) {
            missing.add(0, parent.get());
            parent = parent.get().parent();
        }
        for (MailboxName p : missing) {
            ctx.ops().create(account.accountId(), p, null).ifPresent(m -> publishTree(m, ChangeKind.MAILBOX_CREATED, null));
        }
    }

    void delete(String tag, String wire) {
        MailboxName name = decode(wire);
        if (name.isInbox()) {
            out.tagged(tag, "NO [CANNOT] INBOX cannot be deleted");
            return;
        }
        Optional<Mailbox> mb = find(name);
        if (mb.isEmpty()) {
            out.tagged(tag, "NO [NONEXISTENT] Mailbox does not exist");
            return;
        }
        if (ctx.ops().subtree(account.accountId(), mb.get().name()).size() > 1) {
            out.tagged(tag, "NO [HASCHILDREN] Mailbox has children, delete them first");
            return;
        }
        if (selected != null && selected.id().equals(mb.get().id())) {
            selected = null;
        }
        ctx.ops().delete(mb.get());
        publishTree(mb.get(), ChangeKind.MAILBOX_DELETED, null);
        out.tagged(tag, "OK DELETE completed");
    }

    void rename(String tag, ImapCommand.Rename r) {
        MailboxName from = decode(r.from());
        MailboxName to = decode(r.to());
        Optional<Mailbox> source = find(from);
        if (source.isEmpty()) {
            out.tagged(tag, "NO [NONEXISTENT] Mailbox does not exist");
            return;
        }
        if (to.isInbox() || find(to).isPresent()) {
            out.tagged(tag, "NO [ALREADYEXISTS] Target mailbox already exists");
            return;
        }
        if (!from.isInbox() && (to.name() + "/").startsWith(from.name() + "/")) {
            out.tagged(tag, "NO [CANNOT] Cannot rename a mailbox below itself");
            return;
        }
        createParents(to);
        long[] inboxUids = from.isInbox() ? ctx.ops().uids(source.get().id()) : new long[0];
        if (!ctx.ops().rename(account.accountId(), source.get(), to)) {
            out.tagged(tag, "NO [ALREADYEXISTS] Target mailbox or one of its children exists");
            return;
        }
        if (from.isInbox()) {
            // the messages moved to a new mailbox: INBOX's sessions see them expunged, the new one appears
            find(to).ifPresent(m -> publishTree(m, ChangeKind.MAILBOX_CREATED, null));
            Mailbox inbox = ctx.store().mailboxes().byId(source.get().id()).orElse(source.get());
            List<Long> moved = new ArrayList<>();
            for (long u : inboxUids) {
                moved.add(u);
            }
            publishMessages(inbox, ChangeKind.MESSAGES_EXPUNGED, moved, inbox.highestModSeq());
            if (selected != null && selected.id().equals(inbox.id())) {
                dirty = true;
            }
        } else {
            find(to).ifPresent(m -> publishTree(m, ChangeKind.MAILBOX_RENAMED, source.get().name()));
        }
        out.tagged(tag, "OK RENAME completed");
    }

    /**
     * SUBSCRIBE and UNSUBSCRIBE work on names (RFC 9051 §6.3.7, §6.3.8): a name that names no mailbox may be
     * subscribed (RFC 9051: the server MAY check, this one does not, as RFC 3501 §6.3.6 expects the list to keep names
     * whose mailbox is gone anyway), and both are OK when nothing changes.
     */
    void subscribe(String tag, String wire, boolean subscribe) {
        MailboxName name = decode(wire);
        if (subscribe) {
            ctx.ops().subscriptions().subscribe(account.accountId(), name.name());
        } else {
            ctx.ops().subscriptions().unsubscribe(account.accountId(), name.name());
        }
        Optional<Mailbox> mb = find(name);
        publish(MailboxChanged.create(source(), account.accountId(), mb.map(Mailbox::id).orElse(null), name.name(),
                mb.map(Mailbox::uidValidity).orElse(0L), ChangeKind.SUBSCRIPTIONS_CHANGED, List.of(),
                mb.map(Mailbox::highestModSeq).orElse(0L), null));
        out.tagged(tag, "OK " + (subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed");
    }

    // ------------------------------------------------------------------------------------------ LIST / LSUB

    /** A name LIST or LSUB may show: an existing mailbox, or a subscribed name with no mailbox (null). */
    private record Listed(String name, Mailbox mailbox, boolean subscribed) {
    }

    void list(String tag, ImapCommand.ListMailboxes l) {
        if (l.patterns().size() == 1 && l.patterns().get(0).isEmpty() && !l.extended()) {
            // RFC 9051 §6.3.9: the hierarchy delimiter and the root
            out.untagged("LIST (\\Noselect) \"/\" \"\"");
            out.tagged(tag, "OK LIST completed");
            return;
        }
        boolean subscribedOnly = l.selection().contains("SUBSCRIBED");
        boolean specialOnly = l.selection().contains("SPECIAL-USE");
        boolean recursive = l.selection().contains("RECURSIVEMATCH");
        boolean returnSubscribed = subscribedOnly || l.returns().contains("SUBSCRIBED");
        List<Mailbox> all = ctx.store().mailboxes().list(account.accountId());
        Set<String> names = new HashSet<>();
        all.forEach(m -> names.add(m.name()));
        Set<String> subscribed = returnSubscribed ? new HashSet<>(ctx.ops().subscriptions().names(account.accountId())) : Set.of();
        List<Listed> candidates = new ArrayList<>();
        for (Mailbox m : all) {
            candidates.add(new Listed(m.name(), m, subscribed.contains(m.name())));
        }
        if (subscribedOnly) {
            // RFC 9051 §6.3.9.1 SUBSCRIBED: exactly the subscribed names, which may include "names of mailboxes that
            // don't exist"; those carry \NonExistent (RFC 9051 §7.3.1, RFC 5258 §3)
            for (String n : subscribed) {
                if (!names.contains(n)) {
                    candidates.add(new Listed(n, null, true));
                }
            }
        }
        candidates.sort((a, b) -> a.name().compareTo(b.name()));
        List<Pattern> patterns = new ArrayList<>();
        for (String p : l.patterns()) {
            patterns.add(listPattern(l.reference(), p));
        }
        for (Listed c : candidates) {
            Mailbox m = c.mailbox();
            String wire = encode(c.name());
            if (!matches(patterns, wire)) {
                continue;
            }
            boolean childSubscribed = false;
            if (subscribedOnly && !c.subscribed()) {
                if (!recursive) {
                    continue;
                }
                for (String s : subscribed) {
                    if (s.startsWith(c.name() + "/")) {
                        childSubscribed = true;
                        break;
                    }
                }
                if (!childSubscribed) {
                    continue;
                }
            }
            if (specialOnly && (m == null || m.specialUse() == null || m.specialUse() == SpecialUse.INBOX)) {
                continue;
            }
            List<String> attrs = new ArrayList<>();
            if (m == null) {
                attrs.add("\\NonExistent");
                if (hasChildren(c.name(), names)) {
                    attrs.add("\\HasChildren");
                }
            } else {
                attrs.add(hasChildren(c.name(), names) ? "\\HasChildren" : "\\HasNoChildren");
                if (m.specialUse() != null && m.specialUse().attribute() != null) {
                    attrs.add(m.specialUse().attribute());
                }
            }
            if (returnSubscribed && c.subscribed()) {
                attrs.add("\\Subscribed");
            }
            ResponseWriter w = writer().raw("* LIST (" + String.join(" ", attrs) + ") \"/\" ").astring(wire);
            if (childSubscribed) {
                w.raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
            }
            out.write(w.crlf().toBytes());
            if (m != null && !l.status().isEmpty()) {
                statusLine(m, l.status());
            }
        }
        out.tagged(tag, "OK LIST completed");
    }

    /**
     * LSUB (RFC 3501 §6.3.9): the subscribed names matching the pattern, whether or not their mailbox exists (a name
     * without one is marked \Noselect, and \NonExistent as LIST would, RFC 5258 §3). With {@code %}, a level above
     * a subscribed name that is not itself subscribed is returned with \Noselect ("foo", not "foo/bar").
     */
    void lsub(String tag, ImapCommand.Lsub l) {
        Pattern pattern = listPattern(l.reference(), l.pattern());
        List<Mailbox> all = ctx.store().mailboxes().list(account.accountId());
        Set<String> names = new HashSet<>();
        all.forEach(m -> names.add(m.name()));
        List<String> subscribed = ctx.ops().subscriptions().names(account.accountId());
        Set<String> subscribedSet = new HashSet<>(subscribed);
        java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
        for (String n : subscribed) {
            String wire = encode(n);
            if (pattern.matcher(wire).matches()) {
                lines.put(n, names.contains(n) ? "" : "\\Noselect \\NonExistent");
                continue;
            }
            if (l.pattern().indexOf('%') < 0) {
                continue;
            }
            for (int slash = n.indexOf('/'); slash > 0; slash = n.indexOf('/', slash + 1)) {
                String level = n.substring(0, slash);
                if (!subscribedSet.contains(level) && pattern.matcher(encode(level)).matches()) {
                    lines.put(level, "\\Noselect");
                }
            }
        }
        for (java.util.Map.Entry<String, String> e : lines.entrySet()) {
            out.write(writer().raw("* LSUB (" + e.getValue() + ") \"/\" ").astring(encode(e.getKey())).crlf().toBytes());
        }
        out.tagged(tag, "OK LSUB completed");
    }

    private static boolean hasChildren(String name, Set<String> names) {
        String prefix = name + "/";
        for (String n : names) {
            if (n.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9051 §6.3.9: reference and pattern joined; {@code *} matches anything, {@code %} anything but the delimiter. */
    static Pattern listPattern(String reference, String pattern) {
        String full = pattern.startsWith("/") || reference.isEmpty() ? pattern
                : reference.endsWith("/") ? reference + pattern : reference + "/" + pattern;
        if (full.regionMatches(true, 0, "INBOX", 0, 5) && (full.length() == 5 || full.charAt(5) == '/')) {
            full = "INBOX" + full.substring(5);
        }
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : full.toCharArray()) {
            if (ch == '*' || ch == '%') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(ch == '*' ? ".*" : "[^/]*");
            } else {
                literal.append(ch);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    // ------------------------------------------------------------------------------------------ STATUS

    void status(String tag, ImapCommand.Status s) {
        MailboxName name = decode(s.mailbox());
        Optional<Mailbox> mb = find(name);
        if (mb.isEmpty()) {
            out.tagged(tag, "NO [NONEXISTENT] Mailbox does not exist");
            return;
        }
        statusLine(mb.get(), s.items());
        out.tagged(tag, "OK STATUS completed");
    }

    private void statusLine(Mailbox m, List<String> items) {
        MailboxCounts counts = needsCounts(items) ? ctx.store().messages().counts(m.id()) : null;
        List<String> parts = new ArrayList<>();
        for (String item : items) {
            switch (item) {
                case "MESSAGES" -> parts.add("MESSAGES " + counts.messages());
                case "UIDNEXT" -> parts.add("UIDNEXT " + m.uidNext());
                case "UIDVALIDITY" -> parts.add("UIDVALIDITY " + m.uidValidity());
                case "UNSEEN" -> parts.add("UNSEEN " + counts.unseen());
                case "DELETED" -> parts.add("DELETED " + ctx.store().messages().uidsWithFlag(m.id(), "\\Deleted").size());
                case "DELETED-STORAGE" -> parts.add("DELETED-STORAGE " + deletedStorage(m));
                case "SIZE" -> parts.add("SIZE " + counts.size());
                // the messages no session has been told of as \Recent yet (RFC 3501 §6.3.10)
                case "RECENT" -> parts.add("RECENT " + ctx.store().messages().countAbove(m.id(), ctx.store().mailboxes().recentMark(m.id())));
                case "HIGHESTMODSEQ" -> parts.add("HIGHESTMODSEQ " + m.highestModSeq());
                case "APPENDLIMIT" -> parts.add("APPENDLIMIT " + ctx.config().maxLiteralSize());
                default -> {
                    // the decoder admits only the items above
                }
            }
        }
        out.write(writer().raw("* STATUS ").astring(encode(m.name())).raw(" (" + String.join(" ", parts) + ")").crlf().toBytes());
    }

    /** RFC 9208 allows the sum of the RFC822.SIZEs of the \Deleted messages: exactly what EXPUNGE frees here. */
    private long deletedStorage(Mailbox m) {
        List<Long> deleted = ctx.store().messages().uidsWithFlag(m.id(), "\\Deleted");
        if (deleted.isEmpty()) {
            return 0;
        }
        long total = 0;
        for (Document d : ctx.store().messages().project(m.id(), deleted, -1, Projections.include(Messages.SIZE))) {
            total += d.get(Messages.SIZE, Number.class).longValue();
        }
        return total;
    }

    private static boolean needsCounts(List<String> items) {
        return items.contains("MESSAGES") || items.contains("UNSEEN") || items.contains("SIZE");
    }

    // ------------------------------------------------------------------------------------------ APPEND

    void append(String tag, ImapCommand.Append a) {
        List<AppendSpool> spools = new ArrayList<>();
        for (ImapCommand.AppendMessage m : a.messages()) {
            if (m.content().sink() instanceof AppendSpool s) {
                spools.add(s);
            }
        }
        try {
            appendSpooled(tag, a, spools);
        } finally {
            spools.forEach(AppendSpool::delete);
        }
    }

    private void appendSpooled(String tag, ImapCommand.Append a, List<AppendSpool> spools) {
        MailboxName name = decode(a.mailbox());
        Optional<Mailbox> mb = find(name);
        if (mb.isEmpty()) {
            out.tagged(tag, "NO [TRYCREATE] Mailbox does not exist");
            return;
        }
        long total = 0;
        for (ImapCommand.AppendMessage m : a.messages()) {
            if (m.content().size() == 0) {
                out.tagged(tag, "NO Empty message");
                return;
            }
            total += m.content().size();
        }
        if (overQuota(total, a.messages().size())) {
            out.tagged(tag, "NO [OVERQUOTA] The mailbox is over its quota");
            return;
        }
        Mailbox target = mb.get();
        String operation = UUID.randomUUID().toString();
        List<Long> uids = new ArrayList<>();
        int i = 0;
        try {
            for (ImapCommand.AppendMessage m : a.messages()) {
                MessageRef ref;
                ParsedMessage parsed;
                if (m.content().inMemory()) {
                    byte[] bytes = m.content().bytes();
                    ref = ctx.blobs().put(new java.io.ByteArrayInputStream(bytes));
                    parsed = ctx.parser().parse(new java.io.ByteArrayInputStream(bytes));
                } else {
                    AppendSpool s = (AppendSpool) m.content().sink();
                    ref = ctx.blobs().putSpooled(s.file(), s.sha256(), s.size());
                    try (InputStream in = Files.newInputStream(s.file())) {
                        parsed = ctx.parser().parse(in);
                    }
                }
                List<String> flags = new ArrayList<>();
                List<String> keywords = new ArrayList<>();
                splitFlags(m.flags(), flags, keywords);
                Instant date = m.internalDate().map(d -> d.toInstant()).orElse(Instant.now());
                NewMessage nm = new NewMessage(account.accountId(), ref, date, flags, keywords,
                        MessageMetadataBson.toDocument(parsed), "append/" + operation + "/" + i++);
                Optional<StoredMessage> stored = ctx.store().store(target, nm);
                stored.ifPresent(s -> uids.add(s.uid()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("APPEND to %s failed: %s", target.id(), e.toString());
            if (!uids.isEmpty()) {
                // MULTIAPPEND is all or nothing (RFC 3502 §6.3.11)
                MailStore.Expunged x = ctx.store().expunge(target, uids);
                LOG.debugf("rolled back %d appended messages", x.uids().size());
            }
            out.tagged(tag, "NO [UNAVAILABLE] The message could not be stored, try again later");
            return;
        }
        Mailbox after = ctx.store().mailboxes().byId(target.id()).orElse(target);
        publishMessages(after, ChangeKind.MESSAGE_ADDED, uids, after.highestModSeq());
        if (selected != null && selected.id().equals(target.id())) {
            dirty = true;
        }
        out.tagged(tag, "OK [APPENDUID " + target.uidValidity() + " " + SequenceSet.format(ranges(uids)) + "] APPEND completed");
    }

    private boolean overQuota(long bytes, int messages) {
        if (account.quotaBytes() > 0 && ctx.store().messages().accountUsage(account.accountId()) + bytes > account.quotaBytes()) {
            return true;
        }
        Long maxMessages = account.quotaMessages();
        return maxMessages != null && maxMessages > 0
                && ctx.store().messages().accountMessages(account.accountId()) + messages > maxMessages;
    }

    static void splitFlags(List<String> given, List<String> flags, List<String> keywords) {
        for (String f : given) {
            if (f.startsWith("\\")) {
                for (String sys : SYSTEM_FLAGS) {
                    if (sys.equalsIgnoreCase(f) && !flags.contains(sys)) {
                        flags.add(sys);
                    }
                }
            } else if (!keywords.contains(f)) {
                keywords.add(f);
            }
        }
    }

    /** Flags the client may set: the system flags except \Recent, and keywords (atoms); null if one is invalid. */
    static String invalidFlag(List<String> given) {
        for (String f : given) {
            if (f.startsWith("\\") && !f.equalsIgnoreCase("\\Recent")) {
                boolean known = false;
                for (String sys : SYSTEM_FLAGS) {
                    known |= sys.equalsIgnoreCase(f);
                }
                if (!known) {
                    return f;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ quota (RFC 9208)

    void getQuotaRoot(String tag, String wire) {
        if (find(decode(wire)).isEmpty()) {
            out.tagged(tag, "NO [NONEXISTENT] Mailbox does not exist");
            return;
        }
        out.write(writer().raw("* QUOTAROOT ").astring(encode(decode(wire).name())).raw(" \"\"").crlf().toBytes());
        quotaLine();
        out.tagged(tag, "OK GETQUOTAROOT completed");
    }

    void getQuota(String tag, String root) {
        if (!root.isEmpty()) {
            out.tagged(tag, "NO [NONEXISTENT] No such quota root");
            return;
        }
        quotaLine();
        out.tagged(tag, "OK GETQUOTA completed");
    }

    private void quotaLine() {
        List<String> res = new ArrayList<>();
        if (account.quotaBytes() > 0) {
            long usedKb = (ctx.store().messages().accountUsage(account.accountId()) + 1023) / 1024;
            res.add("STORAGE " + usedKb + " " + account.quotaBytes() / 1024);
        }
        Long maxMessages = account.quotaMessages();
        if (maxMessages != null && maxMessages > 0) {
            res.add("MESSAGE " + ctx.store().messages().accountMessages(account.accountId()) + " " + maxMessages);
        }
        out.untagged("QUOTA \"\" (" + String.join(" ", res) + ")");
    }

    // ------------------------------------------------------------------------------------------ STORE

    void store(String tag, ImapCommand.Store s) {
        SelectedMailbox sel = selected;
        if (sel.readOnly()) {
            out.tagged(tag, "NO [READ-ONLY] The mailbox is open read-only");
            return;
        }
        String bad = invalidFlag(s.flags());
        if (bad != null) {
            out.tagged(tag, "BAD Unknown system flag " + bad);
            return;
        }
        if (s.unchangedSince().isPresent()) {
            enableCondstore();
        }
        List<Long> uids = uidsOf(sel, s.set(), s.uid());
        List<String> flags = new ArrayList<>();
        List<String> keywords = new ArrayList<>();
        splitFlags(s.flags(), flags, keywords);
        FlagMode mode = s.mode() == ImapCommand.StoreMode.ADD ? FlagMode.ADD
                : s.mode() == ImapCommand.StoreMode.REMOVE ? FlagMode.REMOVE : FlagMode.REPLACE;
        MailboxOperations.FlagResult r = ctx.ops().updateFlags(sel.mailbox(), uids, mode, flags, keywords,
                s.unchangedSince().orElse(-1));
        List<FlagState> shown = new ArrayList<>(r.changed());
        // even with .SILENT: the next FETCH FLAGS (or another session) may show the keyword
        announceNewKeywords(sel, r.changed());
        announceNewKeywords(sel, r.unchanged());
        if (!s.silent() || condstore) {
            // without .SILENT the client hears the new flags of every message it named (RFC 9051 §6.4.6); with
            // CONDSTORE even .SILENT reports changed MODSEQs (RFC 7162 §3.1.4) for messages changed by this command
            if (!s.silent()) {
                shown.addAll(r.unchanged());
                shown.sort((x, y) -> Long.compare(x.uid(), y.uid()));
            }
            for (FlagState f : shown) {
                int seq = sel.seqOf(f.uid());
                if (seq == 0) {
                    continue;
                }
                StringBuilder b = new StringBuilder().append(seq).append(" FETCH (");
                if (s.silent()) {
                    b.append(s.uid() ? "UID " + f.uid() + " " : "").append("MODSEQ (").append(f.modSeq()).append(")");
                } else {
                    b.append(flagsItem(sel, f));
                    if (s.uid() || qresync) {
                        b.append(" UID ").append(f.uid());
                    }
                    if (condstore) {
                        b.append(" MODSEQ (").append(f.modSeq()).append(')');
                    }
                }
                out.untagged(b.append(')').toString());
                sel.reported(f.uid(), f.modSeq());
            }
        } else {
            r.changed().forEach(f -> sel.reported(f.uid(), f.modSeq()));
        }
        if (!r.changed().isEmpty()) {
            List<Long> changed = new ArrayList<>();
            r.changed().forEach(f -> changed.add(f.uid()));
            publishMessages(sel.mailbox(), ChangeKind.FLAGS_CHANGED, changed, r.changed().get(0).modSeq());
        }
        if (!r.modified().isEmpty()) {
            List<Long> modified = new ArrayList<>();
            for (long u : r.modified()) {
                modified.add(s.uid() ? u : sel.seqOf(u));
            }
            modified.sort(Long::compare);
            out.tagged(tag, "OK [MODIFIED " + SequenceSet.format(ranges(modified)) + "] Conditional STORE failed");
            return;
        }
        out.tagged(tag, "OK " + (s.uid() ? "UID STORE" : "STORE") + " completed");
    }

    static String flagsItem(FlagState f) {
        List<String> all = new ArrayList<>(f.flags());
        all.addAll(f.keywords());
        return "FLAGS (" + String.join(" ", all) + ")";
    }

    /** The FLAGS item as this session shows it: with \Recent for the messages recent to an IMAP4rev1 session. */
    private String flagsItem(SelectedMailbox sel, FlagState f) {
        return flagsItem(recent(sel, f.uid()) ? new FlagState(f.uid(), withRecent(f.flags()), f.keywords(), f.modSeq()) : f);
    }

    private boolean recent(SelectedMailbox sel, long uid) {
        return !rev2 && sel.isRecent(uid);
    }

    private static List<String> withRecent(List<String> flags) {
        List<String> out = new ArrayList<>(flags);
        out.add("\\Recent");
        return out;
    }

    // ------------------------------------------------------------------------------------------ EXPUNGE / COPY / MOVE

    void expunge(String tag, ImapCommand.Expunge e) {
        SelectedMailbox sel = selected;
        if (sel.readOnly()) {
            out.tagged(tag, "NO [READ-ONLY] The mailbox is open read-only");
            return;
        }
        List<Long> deleted = ctx.store().messages().uidsWithFlag(sel.id(), "\\Deleted");
        if (e.uids().isPresent()) {
            Set<Long> allowed = new HashSet<>(uidsOf(sel, e.uids().get(), true));
            deleted.removeIf(u -> !allowed.contains(u));
        }
        if (!deleted.isEmpty()) {
            MailStore.Expunged x = ctx.store().expunge(sel.mailbox(), deleted);
            publishMessages(sel.mailbox(), ChangeKind.MESSAGES_EXPUNGED, x.uids(), x.highestModSeq());
        }
        refresh(true, true);
        out.tagged(tag, "OK " + (e.uids().isPresent() ? "UID EXPUNGE" : "EXPUNGE") + " completed");
    }

    void copy(String tag, boolean uid, SequenceSet set, String mailbox, boolean move) {
        SelectedMailbox sel = selected;
        List<Long> uids = uidsOf(sel, set, uid);
        Optional<Mailbox> target = find(decode(mailbox));
        if (target.isEmpty()) {
            out.tagged(tag, "NO [TRYCREATE] Mailbox does not exist");
            return;
        }
        if (move && sel.readOnly()) {
            out.tagged(tag, "NO [READ-ONLY] The mailbox is open read-only");
            return;
        }
        String command = (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        if (uids.isEmpty()) {
            out.tagged(tag, "OK " + command + " completed, nothing to do");
            return;
        }
        if (overQuota(sizeOf(sel, uids), uids.size())) {
            out.tagged(tag, "NO [OVERQUOTA] The target is over its quota");
            return;
        }
        List<MailboxOperations.CopiedUid> copied = ctx.ops().copy(sel.mailbox(), uids, target.get());
        if (copied.isEmpty()) {
            out.tagged(tag, "NO [EXPUNGEISSUED] The messages were expunged meanwhile");
            return;
        }
        List<Long> sources = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        for (MailboxOperations.CopiedUid c : copied) {
            sources.add(c.source());
            targets.add(c.target());
        }
        Mailbox after = ctx.store().mailboxes().byId(target.get().id()).orElse(target.get());
        publishMessages(after, ChangeKind.MESSAGE_ADDED, targets, after.highestModSeq());
        String copyUid = "COPYUID " + target.get().uidValidity() + " " + SequenceSet.format(ranges(sources)) + " "
                + SequenceSet.format(ranges(targets));
        if (!move) {
            if (target.get().id().equals(sel.id())) {
                dirty = true;
            }
            out.tagged(tag, "OK [" + copyUid + "] " + command + " completed");
            return;
        }
        out.untagged("OK [" + copyUid + "] Moved");
        MailStore.Expunged x = ctx.store().expunge(sel.mailbox(), sources);
        publishMessages(sel.mailbox(), ChangeKind.MESSAGES_EXPUNGED, x.uids(), x.highestModSeq());
        refresh(true, true);
        out.tagged(tag, "OK " + command + " completed");
    }

    private long sizeOf(SelectedMailbox sel, List<Long> uids) {
        long total = 0;
        for (Document d : ctx.store().messages().byUids(sel.id(), uids)) {
            total += d.get(Messages.SIZE, Number.class).longValue();
        }
        return total;
    }

    // ------------------------------------------------------------------------------------------ FETCH

    private static final int FETCH_BATCH = 200;

    /**
     * FETCH (RFC 9051 §6.4.5) in batches of message documents projected to what the items need; bodies stream from
     * the object store through {@code sink}. Messages expunged by another session since this one last heard are
     * skipped and reported with {@code NO [EXPUNGEISSUED]}, as the session may not announce the expunge yet.
     *
     * <p>When the client falls behind by the connection's high-water mark, the FETCH pauses ({@link
     * Replies#continueWhenWritable}) and goes on where it stopped once the client has read: no thread waits, and a
     * slow reader costs the mark plus a chunk, whatever the size of the mailbox or the messages.
     */
    void fetch(String tag, ImapCommand.Fetch f, ChunkSink sink) {
        SelectedMailbox sel = selected;
        if (f.vanished() && !(qresync && f.uid() && f.changedSince().isPresent())) {
            out.tagged(tag, "BAD VANISHED needs UID FETCH with CHANGEDSINCE and QRESYNC enabled");
            return;
        }
        if (f.changedSince().isPresent() || f.items().contains(new ImapCommand.Simple("MODSEQ"))) {
            enableCondstore();
        }
        List<Long> uids = uidsOf(sel, f.set(), f.uid());
        if (f.vanished()) {
            List<SequenceSet.Range> asked = f.set().resolve(Math.max(1, sel.uidNext() - 1));
            List<Long> gone = new ArrayList<>();
            Set<Long> have = new HashSet<>(uids);
            for (SequenceSet.Range r : asked) {
                for (long u = r.from(); u <= Math.min(r.to(), sel.uidNext() - 1) && gone.size() < 100_000; u++) {
                    if (!have.contains(u)) {
                        gone.add(u);
                    }
                }
            }
            if (!gone.isEmpty()) {
                out.untagged("VANISHED (EARLIER) " + SequenceSet.format(ranges(gone)));
            }
        }
        FetchPlan plan = FetchPlan.of(f.items(), f.uid(), condstore);
        fetchSome(new FetchJob(tag, f, sel, plan, plan.setsSeen() && !sel.readOnly(), uids), sink);
    }

    /** A FETCH under way; it outlives the pauses for a slow reader. */
    private static final class FetchJob {
        final String tag;
        final ImapCommand.Fetch command;
        final SelectedMailbox sel;
        final FetchPlan plan;
        final boolean setSeen;
        final List<Long> uids;
        int nextBatch;
        List<Document> docs = List.of();
        int nextDoc;
        java.util.Map<Long, FlagState> seen = java.util.Map.of();
        boolean missing;
        FetchRenderer.Response response;
        FlagState responseFlags;
        long responseUid;

        FetchJob(String tag, ImapCommand.Fetch command, SelectedMailbox sel, FetchPlan plan, boolean setSeen, List<Long> uids) {
            this.tag = tag;
            this.command = command;
            this.sel = sel;
            this.plan = plan;
            this.setSeen = setSeen;
            this.uids = uids;
        }

        void abandon() {
            if (response != null) {
                response.close();
                response = null;
            }
        }
    }

    private void fetchSome(FetchJob j, ChunkSink sink) {
        SelectedMailbox sel = j.sel;
        try {
            while (true) {
                if (j.response != null) {
                    if (!j.response.writeTo(sink, out::outputFull)) {
                        out.continueWhenWritable(j.tag, () -> fetchSome(j, sink), j::abandon);
                        return;
                    }
                    j.response = null;
                    if (j.responseFlags != null) {
                        sel.reported(j.responseUid, j.responseFlags.modSeq());
                    }
                    if (out.outputFull()) {
                        // before the next message: its small parts (headers, structure) would go out at once
                        out.continueWhenWritable(j.tag, () -> fetchSome(j, sink), j::abandon);
                        return;
                    }
                }
                if (j.nextDoc < j.docs.size()) {
                    FetchedMessage m = FetchedMessage.from(j.docs.get(j.nextDoc++));
                    FlagState changed = j.seen.get(m.uid());
                    if (changed != null) {
                        m = m.withFlags(changed.flags(), changed.keywords()).withModSeq(changed.modSeq());
                    }
                    int seq = sel.seqOf(m.uid());
                    if (seq == 0) {
                        continue;
                    }
                    if (recent(sel, m.uid())) {
                        m = m.withFlags(withRecent(m.flags()), m.keywords());
                    }
                    j.response = ctx.fetchRenderer().prepare(seq, m, j.plan, utf8, changed != null);
                    j.responseFlags = changed;
                    j.responseUid = m.uid();
                    continue;
                }
                if (j.nextBatch >= j.uids.size()) {
                    break;
                }
                List<Long> batch = j.uids.subList(j.nextBatch, Math.min(j.uids.size(), j.nextBatch + FETCH_BATCH));
                j.nextBatch += batch.size();
                j.docs = ctx.store().messages().project(sel.id(), batch, j.command.changedSince().orElse(-1), j.plan.projection());
                j.nextDoc = 0;
                if (j.docs.size() < batch.size() && j.command.changedSince().isEmpty()) {
                    j.missing = true;
                }
                j.seen = j.setSeen ? markSeen(sel, j.docs) : java.util.Map.of();
                // a keyword set elsewhere and not yet announced: FLAGS before the FETCH that shows it
                List<String> keywords = new ArrayList<>();
                for (Document d : j.docs) {
                    List<String> k = d.getList(Messages.KEYWORDS, String.class);
                    if (k != null) {
                        keywords.addAll(k);
                    }
                }
                if (sel.learnKeywords(keywords)) {
                    flagsResponses(sel);
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // the sink gave up: the client went away
            j.abandon();
            LOG.debugf("FETCH output stopped: %s", e.getMessage());
            out.bye("Output stalled");
            return;
        } catch (FetchException e) {
            j.abandon();
            if (e.outputStarted()) {
                LOG.warnf("FETCH broke off mid-response: %s", e.getMessage());
                out.bye("[UNAVAILABLE] The message store failed while sending a message");
                return;
            }
            out.tagged(j.tag, switch (e.reason()) {
                case UNKNOWN_CTE -> "NO [UNKNOWN-CTE] " + e.getMessage();
                case UNAVAILABLE -> "NO [UNAVAILABLE] The message store is unavailable, try again later";
                default -> "NO [SERVERBUG] The message could not be read";
            });
            return;
        } catch (RuntimeException e) {
            j.abandon();
            throw e;
        }
        String command = (j.command.uid() ? "UID " : "") + "FETCH";
        out.tagged(j.tag, j.missing ? "NO [EXPUNGEISSUED] Some of the requested messages no longer exist" : "OK " + command + " completed");
    }

    /** Sets \\Seen where a FETCH implies it (RFC 9051 §6.4.5), and publishes the change. */
    private java.util.Map<Long, FlagState> markSeen(SelectedMailbox sel, List<Document> docs) {
        List<Long> unseen = new ArrayList<>();
        for (Document d : docs) {
            List<?> flags = d.getList(Messages.FLAGS, Object.class);
            if (flags == null || !flags.contains(Messages.SEEN)) {
                unseen.add(d.get(Messages.UID, Number.class).longValue());
            }
        }
        if (unseen.isEmpty()) {
            return java.util.Map.of();
        }
        MailboxOperations.FlagResult r = ctx.ops().updateFlags(sel.mailbox(), unseen, FlagMode.ADD, List.of(Messages.SEEN), List.of(), -1);
        java.util.Map<Long, FlagState> out = new java.util.HashMap<>();
        List<Long> changed = new ArrayList<>();
        for (FlagState f : r.changed()) {
            out.put(f.uid(), f);
            changed.add(f.uid());
        }
        if (!changed.isEmpty()) {
            publishMessages(sel.mailbox(), ChangeKind.FLAGS_CHANGED, changed, r.changed().get(0).modSeq());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ SEARCH

    void search(String tag, ImapCommand.Search s) {
        SelectedMailbox sel = selected;
        SearchContext sc = new SearchContext(sel.uids(), savedSearch, rev2 ? Set.of() : sel.recentUids(), ctx.zone(), mail.imap.protocol.CommandDecoder.Limits.DEFAULT.maxSearchDepth());
        SearchResult r;
        try {
            r = ctx.search().search(sel.id(), s.charset(), s.key(), sc);
        } catch (SearchException e) {
            out.tagged(tag, e.response());
            return;
        }
        if (SearchFilters.usesModSeq(s.key())) {
            enableCondstore();
        }
        if (s.returnOptions() != null || rev2) {
            SearchResponses.esearch(tag, s.uid(), s.returnOptions(), r, sc).ifPresent(line -> out.write(line.getBytes(StandardCharsets.UTF_8)));
            SearchResponses.saved(s.returnOptions(), r).ifPresent(saved -> savedSearch = saved);
        } else {
            out.write(SearchResponses.search(r, s.uid(), sc).getBytes(StandardCharsets.UTF_8));
        }
        out.tagged(tag, "OK " + (s.uid() ? "UID SEARCH" : "SEARCH") + " completed");
    }

    /** A sequence set's UIDs; {@code $} is the saved SEARCHRES result (RFC 5182), limited to what the session has. */
    private List<Long> uidsOf(SelectedMailbox sel, SequenceSet set, boolean byUid) {
        if (!set.savedResult()) {
            if (beyondKnown(sel, set, byUid)) {
                // the client names a message it may know of from elsewhere (another session's APPEND, a STATUS):
                // announce what is new first, since EXISTS may be sent at any time (RFC 9051 §7.4.1) and must come
                // before any response using the new numbers; no EXPUNGE here, as these commands may not cause one
                refresh(false, true);
            }
            return sel.select(set, byUid);
        }
        List<Long> out = new ArrayList<>();
        for (long u : savedSearch) {
            if (sel.seqOf(u) > 0) {
                out.add(u);
            }
        }
        return out;
    }

    /** Whether the set names a message number (or UID) above the last one the session has announced. */
    private static boolean beyondKnown(SelectedMailbox sel, SequenceSet set, boolean byUid) {
        long largest = byUid ? sel.lastUid() : sel.exists();
        for (SequenceSet.Range r : set.ranges()) {
            if (r.from() > largest || r.to() > largest) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ untagged updates

    /** Marks the selected mailbox as possibly changed (e.g. by this session's own APPEND or COPY into it). */
    void markDirty() {
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /**
     * Tells the client what changed in the selected mailbox: new messages (EXISTS), flag changes (FETCH), and, where
     * {@code allowExpunge}, removed messages (EXPUNGE, or VANISHED with QRESYNC). Without {@code force} it only looks
     * when a change event said something happened; NOOP, CHECK and IDLE always look, so a lost event costs latency,
     * never correctness.
     */
    void refresh(boolean allowExpunge, boolean force) {
        SelectedMailbox sel = selected;
        if (sel == null || !(force || dirty)) {
            return;
        }
        dirty = false;
        Optional<Mailbox> now = ctx.store().mailboxes().byId(sel.id());
        if (now.isEmpty()) {
            selected = null;
            out.bye("The selected mailbox was deleted");
            return;
        }
        Mailbox m = now.get();
        long[] current = ctx.ops().uids(sel.id());
        Set<Long> present = new HashSet<>();
        for (long u : current) {
            present.add(u);
        }
        if (allowExpunge) {
            List<Long> gone = new ArrayList<>();
            for (long u : sel.uids()) {
                if (!present.contains(u)) {
                    gone.add(u);
                }
            }
            if (!gone.isEmpty()) {
                if (qresync) {
                    gone.forEach(sel::remove);
                    out.untagged("VANISHED " + SequenceSet.format(ranges(gone)));
                } else {
                    for (long u : gone) {
                        out.untagged(sel.remove(u) + " EXPUNGE");
                    }
                }
            }
        }
        int before = sel.exists();
        long newest = current.length == 0 ? 0 : current[current.length - 1];
        // claimed before the session takes the new messages in: if the store fails here, they are announced next time
        long recentMark = newest > sel.lastUid() ? recentMark(sel, newest) : Long.MAX_VALUE;
        sel.append(current);
        if (sel.exists() != before) {
            int recentBefore = sel.recentCount();
            sel.recentAbove(recentMark);
            out.untagged(sel.exists() + " EXISTS");
            // RFC 3501 §7.3.2: a new count when it changed; another session's new messages leave this one's as it was
            if (!rev2 && sel.recentCount() != recentBefore) {
                out.untagged(sel.recentCount() + " RECENT");
            }
        }
        // caught up only as far as the changes actually read: a MODSEQ allocated but not yet written when we looked
        // (the mailbox's HIGHESTMODSEQ already counts it) is still found next time
        long seenModSeq = sel.highestModSeq();
        List<FlagState> changes = ctx.ops().changedSince(sel.id(), sel.highestModSeq());
        // new messages (APPEND with keywords, deliveries) count too: a FETCH of them may follow
        announceNewKeywords(sel, changes);
        for (FlagState f : changes) {
            seenModSeq = Math.max(seenModSeq, f.modSeq());
            int seq = sel.seqOf(f.uid());
            if (seq == 0 || seq > before || sel.alreadyReported(f.uid(), f.modSeq())) {
                continue;
            }
            StringBuilder b = new StringBuilder().append(seq).append(" FETCH (").append(flagsItem(sel, f));
            if (qresync) {
                b.append(" UID ").append(f.uid());
            }
            if (condstore) {
                b.append(" MODSEQ (").append(f.modSeq()).append(')');
            }
            out.untagged(b.append(')').toString());
            sel.reported(f.uid(), f.modSeq());
        }
        sel.caughtUp(seenModSeq, m.uidNext());
    }

    // ------------------------------------------------------------------------------------------ events

    private String source() {
        return "imap-service/" + ctx.instanceId();
    }

    private void publishTree(Mailbox m, ChangeKind kind, String oldName) {
        publish(MailboxChanged.create(source(), account.accountId(), m.id(), m.name(), m.uidValidity(), kind, List.of(),
                m.highestModSeq(), oldName));
    }

    private void publishMessages(Mailbox m, ChangeKind kind, List<Long> uids, long modSeq) {
        for (int from = 0; from < uids.size(); from += MailboxChanged.MAX_UIDS) {
            List<Long> part = uids.subList(from, Math.min(uids.size(), from + MailboxChanged.MAX_UIDS));
            publish(MailboxChanged.create(source(), account.accountId(), m.id(), m.name(), m.uidValidity(), kind,
                    new ArrayList<>(part), Math.max(1, modSeq), null));
        }
    }

    private void publish(MailboxChanged event) {
        if (ctx.publisher() == null) {
            return;
        }
        // MongoDB is the truth and every session re-reads it on NOOP/IDLE; a lost event only delays other sessions
        ctx.publisher().publish(Topics.MAILBOX_CHANGES, event.kafkaKey(), event).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warnf("mailbox.changes %s for %s not published: %s", event.change(), event.mailboxId(), e.toString());
            }
        });
    }

    static List<SequenceSet.Range> ranges(List<Long> sortedOrNot) {
        List<Long> values = new ArrayList<>(new LinkedHashSet<>(sortedOrNot));
        List<SequenceSet.Range> out = new ArrayList<>();
        long start = -1;
        long prev = -1;
        for (long v : values) {
            if (start < 0) {
                start = v;
            } else if (v != prev + 1) {
                out.add(new SequenceSet.Range(start, prev));
                start = v;
            }
            prev = v;
        }
        if (start >= 0) {
            out.add(new SequenceSet.Range(start, prev));
        }
        return out;
    }

    static boolean invalidName(RuntimeException e) {
        return e instanceof InvalidMailboxNameException;
    }
}
