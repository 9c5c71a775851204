package mail.imap.protocol;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import mail.imap.protocol.ImapCommand.SearchKey;

/**
 * Turns a framed command into its tag and an {@link ImapCommand} (RFC 9051 §9 and the grammars of the extensions).
 * Syntax only: whether a command is allowed in the session's state is the session's business.
 */
public final class CommandDecoder {

    /**
     * @param maxSequenceRanges ranges in one sequence set
     * @param maxSearchDepth    nesting of parentheses, NOT and OR in SEARCH
     * @param maxSearchKeys     keys in one SEARCH
     * @param maxAppendMessages messages in one (MULTI)APPEND
     */
    public record Limits(int maxSequenceRanges, int maxSearchDepth, int maxSearchKeys, int maxAppendMessages) {
        public static final Limits DEFAULT = new Limits(1000, 32, 1000, 100);
    }

    /** A decoded command, or the reason it could not be decoded; {@code tag} is null when even the tag is bad. */
    public record Decoded(String tag, String name, ImapCommand command, String error) {
        public boolean ok() {
            return command != null;
        }
    }

    private static final Set<String> SIMPLE_FETCH = Set.of("ENVELOPE", "FLAGS", "INTERNALDATE", "RFC822", "RFC822.HEADER",
            "RFC822.SIZE", "RFC822.TEXT", "BODY", "BODYSTRUCTURE", "UID", "MODSEQ");
    // DELETED-STORAGE: RFC 9208 §5.1, required of a server that advertises QUOTA=RES-STORAGE
    private static final Set<String> STATUS_ITEMS = Set.of("MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED",
            "DELETED-STORAGE", "SIZE", "RECENT", "HIGHESTMODSEQ", "APPENDLIMIT");
    private static final Set<String> FLAG_KEYS = Set.of("ALL", "ANSWERED", "DELETED", "DRAFT", "FLAGGED", "NEW", "OLD",
            "RECENT", "SEEN", "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED", "UNSEEN");
    private static final Set<String> TEXT_KEYS = Set.of("BCC", "BODY", "CC", "FROM", "SUBJECT", "TEXT", "TO");
    private static final Set<String> DATE_KEYS = Set.of("BEFORE", "ON", "SINCE", "SENTBEFORE", "SENTON", "SENTSINCE");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    private final Limits limits;

    public CommandDecoder(Limits limits) {
        this.limits = limits;
    }

    public Decoded decode(List<Segment> segments, boolean utf8) {
        CommandReader r = new CommandReader(segments, utf8);
        String tag;
        try {
            tag = r.tag();
            r.sp();
        } catch (ImapSyntaxException e) {
            return new Decoded(null, null, null, "invalid tag");
        }
        String name;
        try {
            name = r.atom().toUpperCase(Locale.ROOT);
        } catch (ImapSyntaxException e) {
            return new Decoded(tag, null, null, "missing command");
        }
        try {
            ImapCommand c = command(r, name);
            r.end();
            return new Decoded(tag, name, c, null);
        } catch (ImapSyntaxException e) {
            return new Decoded(tag, name, null, e.getMessage());
        }
    }

    private ImapCommand command(CommandReader r, String name) {
        switch (name) {
            case "CAPABILITY":
                return new ImapCommand.Capability();
            case "NOOP":
                return new ImapCommand.Noop();
            case "LOGOUT":
                return new ImapCommand.Logout();
            case "STARTTLS":
                return new ImapCommand.StartTls();
            case "CHECK":
                return new ImapCommand.Check();
            case "CLOSE":
                return new ImapCommand.Close();
            case "UNSELECT":
                return new ImapCommand.Unselect();
            case "IDLE":
                return new ImapCommand.Idle();
            case "NAMESPACE":
                return new ImapCommand.Namespace();
            case "EXPUNGE":
                return new ImapCommand.Expunge(Optional.empty());
            case "ID":
                r.sp();
                return id(r);
            case "LOGIN": {
                r.sp();
                String user = r.astring();
                r.sp();
                return new ImapCommand.Login(user, r.astring());
            }
            case "AUTHENTICATE": {
                r.sp();
                String mech = r.atom().toUpperCase(Locale.ROOT);
                Optional<String> ir = Optional.empty();
                if (r.optionalSp()) {
                    ir = Optional.of(base64OrEquals(r));
                }
                return new ImapCommand.Authenticate(mech, ir);
            }
            case "ENABLE": {
                List<String> caps = new ArrayList<>();
                r.sp();
                caps.add(r.atom().toUpperCase(Locale.ROOT));
                while (r.optionalSp()) {
                    caps.add(r.atom().toUpperCase(Locale.ROOT));
                }
                return new ImapCommand.Enable(caps);
            }
            case "SELECT":
            case "EXAMINE":
                r.sp();
                return select(r, name.equals("EXAMINE"));
            case "CREATE": {
                r.sp();
                String mailbox = r.astring();
                List<String> use = List.of();
                if (r.optionalSp()) {
                    use = createParams(r);
                }
                return new ImapCommand.Create(mailbox, use);
            }
            case "DELETE":
                r.sp();
                return new ImapCommand.Delete(r.astring());
            case "RENAME": {
                r.sp();
                String from = r.astring();
                r.sp();
                return new ImapCommand.Rename(from, r.astring());
            }
            case "SUBSCRIBE":
                r.sp();
                return new ImapCommand.Subscribe(r.astring());
            case "UNSUBSCRIBE":
                r.sp();
                return new ImapCommand.Unsubscribe(r.astring());
            case "LIST":
                r.sp();
                return list(r);
            case "LSUB": {
                r.sp();
                String ref = r.astring();
                r.sp();
                return new ImapCommand.Lsub(ref, r.listMailbox());
            }
            case "STATUS":
                r.sp();
                return status(r);
            case "APPEND":
                r.sp();
                return append(r);
            case "GETQUOTA":
                r.sp();
                return new ImapCommand.GetQuota(r.astring());
            case "GETQUOTAROOT":
                r.sp();
                return new ImapCommand.GetQuotaRoot(r.astring());
            case "SETQUOTA": {
                r.sp();
                String root = r.astring();
                r.sp();
                skipParenthesized(r);
                return new ImapCommand.SetQuota(root);
            }
            case "SEARCH":
                return search(r, false);
            case "FETCH":
                r.sp();
                return fetch(r, false);
            case "STORE":
                r.sp();
                return store(r, false);
            case "COPY":
            case "MOVE":
                r.sp();
                return copyOrMove(r, false, name.equals("MOVE"));
            case "UID":
                r.sp();
                return uid(r);
            default:
                throw new ImapSyntaxException("unknown command");
        }
    }

    private ImapCommand uid(CommandReader r) {
        String sub = r.atom().toUpperCase(Locale.ROOT);
        switch (sub) {
            case "FETCH":
                r.sp();
                return fetch(r, true);
            case "STORE":
                r.sp();
                return store(r, true);
            case "SEARCH":
                return search(r, true);
            case "COPY":
            case "MOVE":
                r.sp();
                return copyOrMove(r, true, sub.equals("MOVE"));
            case "EXPUNGE":
                r.sp();
                return new ImapCommand.Expunge(Optional.of(r.sequenceSet(limits.maxSequenceRanges())));
            default:
                throw new ImapSyntaxException("unknown UID command");
        }
    }

    // ------------------------------------------------------------------ commands

    private ImapCommand id(CommandReader r) {
        if (!r.peekIs('(')) {
            String nil = r.atom();
            if (!nil.equalsIgnoreCase("NIL")) {
                throw new ImapSyntaxException("ID takes a parenthesized list or NIL");
            }
            return new ImapCommand.Id(null);
        }
        r.expect('(');
        Map<String, String> fields = new LinkedHashMap<>();
        if (r.peekIs(')')) {
            // RFC 2971 requires at least one pair, but an empty list is harmless and some clients send it
            r.expect(')');
            return new ImapCommand.Id(fields);
        }
        do {
            if (fields.size() >= 30) {
                throw new ImapSyntaxException("too many ID fields (RFC 2971 allows 30)");
            }
            String key = r.string();
            r.sp();
            fields.put(key, r.nstring());
        } while (r.optionalSp());
        r.expect(')');
        return new ImapCommand.Id(fields);
    }

    private static String base64OrEquals(CommandReader r) {
        if (r.peekIs('=')) {
            r.expect('=');
            return "=";
        }
        String s = r.atomUntil("");
        if (!s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '+' || c == '/' || c == '=')) {
            throw new ImapSyntaxException("initial response is not base64");
        }
        return s;
    }

    private ImapCommand select(CommandReader r, boolean readOnly) {
        String mailbox = r.astring();
        boolean condstore = false;
        Optional<ImapCommand.Qresync> qresync = Optional.empty();
        if (r.optionalSp()) {
            r.expect('(');
            do {
                String p = r.atom().toUpperCase(Locale.ROOT);
                if (p.equals("CONDSTORE")) {
                    condstore = true;
                } else if (p.equals("QRESYNC")) {
                    r.sp();
                    qresync = Optional.of(qresync(r));
                } else {
                    throw new ImapSyntaxException("unknown SELECT parameter " + p);
                }
            } while (r.optionalSp());
            r.expect(')');
        }
        return new ImapCommand.Select(mailbox, readOnly, condstore, qresync);
    }

    private ImapCommand.Qresync qresync(CommandReader r) {
        r.expect('(');
        long uidValidity = r.nzNumber();
        r.sp();
        long modSeq = r.number();
        Optional<SequenceSet> known = Optional.empty();
        Optional<SequenceSet> seqs = Optional.empty();
        Optional<SequenceSet> uids = Optional.empty();
        if (r.optionalSp()) {
            if (!r.peekIs('(')) {
                known = Optional.of(r.sequenceSet(limits.maxSequenceRanges()));
                if (r.optionalSp()) {
                    r.expect('(');
                    seqs = Optional.of(r.sequenceSet(limits.maxSequenceRanges()));
                    r.sp();
                    uids = Optional.of(r.sequenceSet(limits.maxSequenceRanges()));
                    r.expect(')');
                }
            } else {
                r.expect('(');
                seqs = Optional.of(r.sequenceSet(limits.maxSequenceRanges()));
                r.sp();
                uids = Optional.of(r.sequenceSet(limits.maxSequenceRanges()));
                r.expect(')');
            }
        }
        r.expect(')');
        return new ImapCommand.Qresync(uidValidity, modSeq, known, seqs, uids);
    }

    private static List<String> createParams(CommandReader r) {
        List<String> use = new ArrayList<>();
        r.expect('(');
        do {
            String p = r.atom().toUpperCase(Locale.ROOT);
            if (!p.equals("USE")) {
                throw new ImapSyntaxException("unknown CREATE parameter " + p);
            }
            r.sp();
            r.expect('(');
            do {
                use.add(flag(r));
            } while (r.optionalSp());
            r.expect(')');
        } while (r.optionalSp());
        r.expect(')');
        return use;
    }

    private ImapCommand list(CommandReader r) {
        List<String> selection = new ArrayList<>();
        boolean extended = false;
        if (r.peekIs('(')) {
            extended = true;
            selection = optionList(r);
            r.sp();
        }
        String reference = r.astring();
        r.sp();
        List<String> patterns = new ArrayList<>();
        if (r.peekIs('(')) {
            extended = true;
            r.expect('(');
            do {
                patterns.add(r.listMailbox());
            } while (r.optionalSp());
            r.expect(')');
        } else {
            patterns.add(r.listMailbox());
        }
        List<String> returns = new ArrayList<>();
        List<String> status = new ArrayList<>();
        if (r.optionalSp()) {
            extended = true;
            String kw = r.atom().toUpperCase(Locale.ROOT);
            if (!kw.equals("RETURN")) {
                throw new ImapSyntaxException("expected RETURN");
            }
            r.sp();
            r.expect('(');
            if (!r.peekIs(')')) {
                do {
                    String opt = r.atom().toUpperCase(Locale.ROOT);
                    if (opt.equals("STATUS")) {
                        r.sp();
                        status = statusItems(r);
                    } else {
                        returns.add(opt);
                    }
                } while (r.optionalSp());
            }
            r.expect(')');
        }
        return new ImapCommand.ListMailboxes(List.copyOf(selection), reference, List.copyOf(patterns), List.copyOf(returns),
                List.copyOf(status), extended);
    }

    private static List<String> optionList(CommandReader r) {
        List<String> out = new ArrayList<>();
        r.expect('(');
        if (!r.peekIs(')')) {
            do {
                out.add(r.atom().toUpperCase(Locale.ROOT));
            } while (r.optionalSp());
        }
        r.expect(')');
        return out;
    }

    private ImapCommand status(CommandReader r) {
        String mailbox = r.astring();
        r.sp();
        return new ImapCommand.Status(mailbox, statusItems(r));
    }

    private static List<String> statusItems(CommandReader r) {
        List<String> items = new ArrayList<>();
        r.expect('(');
        do {
            String item = r.atom().toUpperCase(Locale.ROOT);
            if (!STATUS_ITEMS.contains(item)) {
                throw new ImapSyntaxException("unknown STATUS item " + item);
            }
            items.add(item);
        } while (r.optionalSp());
        r.expect(')');
        return items;
    }

    private ImapCommand append(CommandReader r) {
        String mailbox = r.astring();
        List<ImapCommand.AppendMessage> messages = new ArrayList<>();
        while (r.optionalSp()) {
            if (messages.size() >= limits.maxAppendMessages()) {
                throw new ImapSyntaxException("too many messages in one APPEND");
            }
            List<String> flags = List.of();
            if (r.peekIs('(')) {
                flags = flagList(r);
                r.sp();
            }
            Optional<OffsetDateTime> date = Optional.empty();
            if (r.peekIs('"')) {
                date = Optional.of(dateTime(r.string()));
                r.sp();
            }
            messages.add(new ImapCommand.AppendMessage(flags, date, r.literal()));
        }
        if (messages.isEmpty()) {
            throw new ImapSyntaxException("APPEND needs a message literal");
        }
        return new ImapCommand.Append(mailbox, messages);
    }

    private ImapCommand search(CommandReader r, boolean uid) {
        r.sp();
        List<String> returns = null;
        Optional<String> charset = Optional.empty();
        String first = peekAtom(r);
        if (first.equals("RETURN")) {
            r.atom();
            r.sp();
            returns = optionList(r);
            for (String o : returns) {
                if (!Set.of("MIN", "MAX", "ALL", "COUNT", "SAVE").contains(o)) {
                    throw new ImapSyntaxException("unknown SEARCH return option " + o);
                }
            }
            r.sp();
            first = peekAtom(r);
        }
        if (first.equals("CHARSET")) {
            r.atom();
            r.sp();
            charset = Optional.of(r.astring());
            r.sp();
        }
        int[] count = {0};
        List<SearchKey> keys = new ArrayList<>();
        keys.add(searchKey(r, 0, count));
        while (r.optionalSp()) {
            keys.add(searchKey(r, 0, count));
        }
        SearchKey key = keys.size() == 1 ? keys.get(0) : new ImapCommand.And(List.copyOf(keys));
        return new ImapCommand.Search(uid, returns == null ? null : List.copyOf(returns), charset, key);
    }

    private static String peekAtom(CommandReader r) {
        return r.peekAtom().toUpperCase(Locale.ROOT);
    }

    private SearchKey searchKey(CommandReader r, int depth, int[] count) {
        if (depth > limits.maxSearchDepth()) {
            throw new ImapSyntaxException("search criteria nested too deeply");
        }
        if (++count[0] > limits.maxSearchKeys()) {
            throw new ImapSyntaxException("too many search criteria");
        }
        if (r.peekIs('(')) {
            r.expect('(');
            List<SearchKey> keys = new ArrayList<>();
            keys.add(searchKey(r, depth + 1, count));
            while (r.optionalSp()) {
                keys.add(searchKey(r, depth + 1, count));
            }
            r.expect(')');
            return keys.size() == 1 ? keys.get(0) : new ImapCommand.And(List.copyOf(keys));
        }
        int c = r.peek();
        if ((c >= '0' && c <= '9') || c == '*' || c == '$') {
            return new ImapCommand.Sequence(r.sequenceSet(limits.maxSequenceRanges()));
        }
        String k = r.atom().toUpperCase(Locale.ROOT);
        if (FLAG_KEYS.contains(k)) {
            return new ImapCommand.FlagKey(k);
        }
        if (TEXT_KEYS.contains(k)) {
            r.sp();
            return new ImapCommand.TextKey(k, r.astring());
        }
        if (DATE_KEYS.contains(k)) {
            r.sp();
            return new ImapCommand.DateKey(k, date(r));
        }
        switch (k) {
            case "NOT":
                r.sp();
                return new ImapCommand.Not(searchKey(r, depth + 1, count));
            case "OR": {
                r.sp();
                SearchKey left = searchKey(r, depth + 1, count);
                r.sp();
                return new ImapCommand.Or(left, searchKey(r, depth + 1, count));
            }
            case "HEADER": {
                r.sp();
                String field = r.astring();
                r.sp();
                return new ImapCommand.Header(field, r.astring());
            }
            case "KEYWORD":
            case "UNKEYWORD":
                r.sp();
                return new ImapCommand.Keyword(r.atom(), k.equals("KEYWORD"));
            case "LARGER":
            case "SMALLER":
                r.sp();
                return new ImapCommand.Size(k.equals("LARGER"), r.number());
            case "UID":
                r.sp();
                return new ImapCommand.Uid(r.sequenceSet(limits.maxSequenceRanges()));
            case "MODSEQ": {
                r.sp();
                if (r.peekIs('"')) {
                    // entry name and type (RFC 7162): accepted, per-flag modseqs are not kept
                    r.string();
                    r.sp();
                    String type = r.atom().toLowerCase(Locale.ROOT);
                    if (!Set.of("priv", "shared", "all").contains(type)) {
                        throw new ImapSyntaxException("bad MODSEQ entry type");
                    }
                    r.sp();
                }
                return new ImapCommand.ModSeq(r.number());
            }
            default:
                throw new ImapSyntaxException("unknown search key " + k);
        }
    }

    private ImapCommand fetch(CommandReader r, boolean uid) {
        SequenceSet set = r.sequenceSet(limits.maxSequenceRanges());
        r.sp();
        List<ImapCommand.FetchItem> items = new ArrayList<>();
        if (r.peekIs('(')) {
            r.expect('(');
            do {
                items.add(fetchItem(r));
            } while (r.optionalSp());
            r.expect(')');
        } else {
            String macro = peekAtom(r);
            switch (macro) {
                case "ALL" -> {
                    r.atom();
                    items.addAll(simple("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"));
                }
                case "FAST" -> {
                    r.atom();
                    items.addAll(simple("FLAGS", "INTERNALDATE", "RFC822.SIZE"));
                }
                case "FULL" -> {
                    r.atom();
                    items.addAll(simple("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"));
                }
                default -> items.add(fetchItem(r));
            }
        }
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        if (r.optionalSp()) {
            r.expect('(');
            do {
                String m = r.atom().toUpperCase(Locale.ROOT);
                if (m.equals("CHANGEDSINCE")) {
                    r.sp();
                    changedSince = OptionalLong.of(r.number());
                } else if (m.equals("VANISHED")) {
                    vanished = true;
                } else {
                    throw new ImapSyntaxException("unknown FETCH modifier " + m);
                }
            } while (r.optionalSp());
            r.expect(')');
            if (vanished && (!uid || changedSince.isEmpty())) {
                // RFC 7162 §3.2.6: VANISHED only in UID FETCH, and only with CHANGEDSINCE
                throw new ImapSyntaxException("VANISHED requires UID FETCH with CHANGEDSINCE");
            }
        }
        return new ImapCommand.Fetch(uid, set, List.copyOf(items), changedSince, vanished);
    }

    private static List<ImapCommand.FetchItem> simple(String... names) {
        List<ImapCommand.FetchItem> out = new ArrayList<>();
        for (String n : names) {
            out.add(new ImapCommand.Simple(n));
        }
        return out;
    }

    private ImapCommand.FetchItem fetchItem(CommandReader r) {
        String name = r.atomUntil("[").toUpperCase(Locale.ROOT);
        if (!r.peekIs('[')) {
            if (SIMPLE_FETCH.contains(name)) {
                return new ImapCommand.Simple(name);
            }
            throw new ImapSyntaxException("unknown FETCH item " + name);
        }
        ImapCommand.Section.Kind kind;
        boolean peek;
        switch (name) {
            case "BODY" -> {
                kind = ImapCommand.Section.Kind.BODY;
                peek = false;
            }
            case "BODY.PEEK" -> {
                kind = ImapCommand.Section.Kind.BODY;
                peek = true;
            }
            case "BINARY" -> {
                kind = ImapCommand.Section.Kind.BINARY;
                peek = false;
            }
            case "BINARY.PEEK" -> {
                kind = ImapCommand.Section.Kind.BINARY;
                peek = true;
            }
            case "BINARY.SIZE" -> {
                kind = ImapCommand.Section.Kind.BINARY_SIZE;
                peek = true;
            }
            default -> throw new ImapSyntaxException("unknown FETCH item " + name);
        }
        r.expect('[');
        List<Integer> part = new ArrayList<>();
        String text = null;
        List<String> fields = List.of();
        if (!r.peekIs(']')) {
            String spec = r.atomUntil("] ").toUpperCase(Locale.ROOT);
            String[] pieces = spec.split("\\.", -1);
            int i = 0;
            while (i < pieces.length && !pieces[i].isEmpty() && pieces[i].chars().allMatch(Character::isDigit)) {
                if (pieces[i].length() > 9 || Integer.parseInt(pieces[i]) == 0) {
                    throw new ImapSyntaxException("invalid part number");
                }
                part.add(Integer.parseInt(pieces[i]));
                i++;
            }
            if (i < pieces.length) {
                text = String.join(".", java.util.Arrays.copyOfRange(pieces, i, pieces.length));
                if (kind != ImapCommand.Section.Kind.BODY) {
                    throw new ImapSyntaxException("BINARY takes part numbers only");
                }
                if (!Set.of("HEADER", "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT", "MIME").contains(text)) {
                    throw new ImapSyntaxException("invalid section " + text);
                }
                if (text.equals("MIME") && part.isEmpty()) {
                    throw new ImapSyntaxException("MIME needs a part number");
                }
                if (text.startsWith("HEADER.FIELDS")) {
                    r.sp();
                    fields = headerList(r);
                }
            }
        }
        r.expect(']');
        Optional<long[]> partial = Optional.empty();
        if (r.peekIs('<')) {
            if (kind == ImapCommand.Section.Kind.BINARY_SIZE) {
                throw new ImapSyntaxException("BINARY.SIZE takes no partial");
            }
            r.expect('<');
            long origin = r.number();
            r.expect('.');
            long length = r.nzNumber();
            r.expect('>');
            partial = Optional.of(new long[] {origin, length});
        }
        return new ImapCommand.Section(kind, peek, List.copyOf(part), text, fields, partial);
    }

    private static List<String> headerList(CommandReader r) {
        List<String> out = new ArrayList<>();
        r.expect('(');
        do {
            String h = r.astring();
            if (h.isEmpty() || !h.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new ImapSyntaxException("invalid header field name");
            }
            out.add(h.toUpperCase(Locale.ROOT));
        } while (r.optionalSp());
        r.expect(')');
        return List.copyOf(out);
    }

    private ImapCommand store(CommandReader r, boolean uid) {
        SequenceSet set = r.sequenceSet(limits.maxSequenceRanges());
        r.sp();
        OptionalLong unchangedSince = OptionalLong.empty();
        if (r.peekIs('(')) {
            r.expect('(');
            String m = r.atom().toUpperCase(Locale.ROOT);
            if (!m.equals("UNCHANGEDSINCE")) {
                throw new ImapSyntaxException("unknown STORE modifier " + m);
            }
            r.sp();
            unchangedSince = OptionalLong.of(r.number());
            r.expect(')');
            r.sp();
        }
        ImapCommand.StoreMode mode = ImapCommand.StoreMode.REPLACE;
        if (r.peekIs('+')) {
            r.expect('+');
            mode = ImapCommand.StoreMode.ADD;
        } else if (r.peekIs('-')) {
            r.expect('-');
            mode = ImapCommand.StoreMode.REMOVE;
        }
        String item = r.atom().toUpperCase(Locale.ROOT);
        boolean silent;
        if (item.equals("FLAGS")) {
            silent = false;
        } else if (item.equals("FLAGS.SILENT")) {
            silent = true;
        } else {
            throw new ImapSyntaxException("STORE takes FLAGS or FLAGS.SILENT");
        }
        r.sp();
        List<String> flags;
        if (r.peekIs('(')) {
            flags = flagList(r);
        } else {
            flags = new ArrayList<>();
            flags.add(flag(r));
            while (r.optionalSp()) {
                flags.add(flag(r));
            }
        }
        return new ImapCommand.Store(uid, set, unchangedSince, mode, silent, List.copyOf(flags));
    }

    private ImapCommand copyOrMove(CommandReader r, boolean uid, boolean move) {
        SequenceSet set = r.sequenceSet(limits.maxSequenceRanges());
        r.sp();
        String mailbox = r.astring();
        return move ? new ImapCommand.Move(uid, set, mailbox) : new ImapCommand.Copy(uid, set, mailbox);
    }

    // ------------------------------------------------------------------ shared pieces

    static List<String> flagList(CommandReader r) {
        List<String> flags = new ArrayList<>();
        r.expect('(');
        if (!r.peekIs(')')) {
            do {
                flags.add(flag(r));
            } while (r.optionalSp());
        }
        r.expect(')');
        return List.copyOf(flags);
    }

    /** flag = "\" atom (system flags and flag-extension) / keyword (atom). */
    static String flag(CommandReader r) {
        if (r.peekIs('\\')) {
            r.expect('\\');
            if (r.peekIs('*')) {
                throw new ImapSyntaxException("\\* is not a flag");
            }
            return "\\" + r.atom();
        }
        return r.atom();
    }

    private static void skipParenthesized(CommandReader r) {
        r.expect('(');
        int depth = 1;
        while (depth > 0) {
            int c = r.peek();
            if (c < 0) {
                throw new ImapSyntaxException("unbalanced parentheses");
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            r.expect((char) c);
        }
    }

    /** date = date-text / DQUOTE date-text DQUOTE; date-text = date-day "-" date-month "-" date-year */
    static LocalDate date(CommandReader r) {
        String s;
        if (r.peekIs('"')) {
            s = r.string();
        } else {
            s = r.atom();
        }
        return parseDate(s);
    }

    static LocalDate parseDate(String s) {
        String[] p = s.split("-", -1);
        if (p.length != 3 || p[0].isEmpty() || p[0].length() > 2 || p[2].length() != 4) {
            throw new ImapSyntaxException("invalid date '" + s + "'");
        }
        try {
            return LocalDate.of(Integer.parseInt(p[2]), month(p[1]), Integer.parseInt(p[0]));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new ImapSyntaxException("invalid date '" + s + "'");
        }
    }

    private static int month(String m) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equalsIgnoreCase(m)) {
                return i + 1;
            }
        }
        throw new ImapSyntaxException("invalid month '" + m + "'");
    }

    /** date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE (quotes removed). */
    static OffsetDateTime dateTime(String s) {
        // " 1-Jan-2024 10:00:00 +0100": date-day-fixed is (SP DIGIT) / 2DIGIT
        String t = s.startsWith(" ") ? s.substring(1) : s;
        String[] p = t.split(" ", -1);
        if (p.length != 3 || p[1].length() != 8 || p[2].length() != 5) {
            throw new ImapSyntaxException("invalid date-time '" + s + "'");
        }
        LocalDate d = parseDate(p[0]);
        try {
            int hh = Integer.parseInt(p[1].substring(0, 2));
            int mm = Integer.parseInt(p[1].substring(3, 5));
            int ss = Integer.parseInt(p[1].substring(6, 8));
            if (p[1].charAt(2) != ':' || p[1].charAt(5) != ':') {
                throw new NumberFormatException();
            }
            char sign = p[2].charAt(0);
            if (sign != '+' && sign != '-') {
                throw new NumberFormatException();
            }
            int zh = Integer.parseInt(p[2].substring(1, 3));
            int zm = Integer.parseInt(p[2].substring(3, 5));
            int offset = (zh * 3600 + zm * 60) * (sign == '-' ? -1 : 1);
            return OffsetDateTime.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth(), hh, mm, ss, 0,
                    ZoneOffset.ofTotalSeconds(offset));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new ImapSyntaxException("invalid date-time '" + s + "'");
        }
    }
}
