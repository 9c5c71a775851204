package mail.imap.search;

import com.mongodb.client.model.Filters;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import mail.imap.protocol.ImapCommand.And;
import mail.imap.protocol.ImapCommand.DateKey;
import mail.imap.protocol.ImapCommand.FlagKey;
import mail.imap.protocol.ImapCommand.Header;
import mail.imap.protocol.ImapCommand.Keyword;
import mail.imap.protocol.ImapCommand.ModSeq;
import mail.imap.protocol.ImapCommand.Not;
import mail.imap.protocol.ImapCommand.Or;
import mail.imap.protocol.ImapCommand.SearchKey;
import mail.imap.protocol.ImapCommand.Sequence;
import mail.imap.protocol.ImapCommand.Size;
import mail.imap.protocol.ImapCommand.TextKey;
import mail.imap.protocol.ImapCommand.Uid;
import mail.imap.protocol.SequenceSet;
import mail.message.MessageMetadataBson;
import mail.store.Messages;
import org.bson.conversions.Bson;

/**
 * Translates a SEARCH key tree (RFC 9051 §6.4.4) into one MongoDB filter on the messages collection, so a SEARCH is
 * one query whatever the criteria and never reads a body.
 *
 * <ul>
 *   <li>Flags and keywords match the stored arrays exactly ({@code \Seen} as IMAP spells it).</li>
 *   <li>BEFORE / ON / SINCE compare the internal date, SENTBEFORE / SENTON / SENTSINCE the parsed Date header
 *       ({@code metadata.date}), by whole days in the context's zone. A message without a usable Date header matches
 *       no SENT* key (and so matches its NOT).</li>
 *   <li>FROM / TO / CC / BCC / SUBJECT / BODY are case-insensitive substrings of the decoded search text mail-message
 *       stored; whitespace runs in the query collapse to one space as they do in the stored text. TEXT is any of
 *       those or the raw top-level header (so other fields count too). The stored text is capped per message
 *       ({@code search.trunc}); a string beyond the cap is not found.</li>
 *   <li>HEADER matches the raw top-level header: a field of that name whose value (continuation lines included)
 *       contains the string, case-insensitively; an empty string matches any message that has the field. The raw
 *       header is stored up to 64 KiB; a message with a longer header never matches HEADER.</li>
 *   <li>UID and sequence sets become UID ranges; {@code $} is the saved result.</li>
 * </ul>
 *
 * Every user string becomes a regular expression with all ASCII punctuation escaped, so no query can inject regex
 * syntax; the same escaping is literal in MongoDB's PCRE and in Java regex (which the local MongoDB-compatible
 * server uses).
 */
public final class SearchFilters {
    static final String SENT_DATE = Messages.METADATA + "." + MessageMetadataBson.DATE;
    static final String RAW_HEADER = Messages.METADATA + ".rawHdr";

    private SearchFilters() {
    }

    /**
     * The criteria as a filter, or {@link Criteria#none()} / {@link Criteria#all()} when they are decided without
     * a query.
     *
     * @throws SearchException TOO_DEEP when the nesting exceeds {@link SearchContext#maxDepth()}
     */
    public static Criteria translate(SearchKey key, SearchContext ctx) {
        return new Translation(ctx).key(key, 0);
    }

    /** Whether the key tree uses MODSEQ: the response then carries the highest mod-sequence (RFC 7162 §3.1.5). */
    public static boolean usesModSeq(SearchKey key) {
        if (key instanceof ModSeq) {
            return true;
        }
        if (key instanceof And a) {
            return a.keys().stream().anyMatch(SearchFilters::usesModSeq);
        }
        if (key instanceof Or o) {
            return usesModSeq(o.left()) || usesModSeq(o.right());
        }
        if (key instanceof Not n) {
            return usesModSeq(n.key());
        }
        return false;
    }

    /**
     * A translated criterion: a filter, or a constant. Constants are folded (ALL inside AND disappears, an empty
     * UID set makes the AND empty) so the query sent to MongoDB stays as small as the criteria allow.
     */
    public record Criteria(Bson filter, boolean constant, boolean value) {
        public static Criteria all() {
            return new Criteria(null, true, true);
        }

        public static Criteria none() {
            return new Criteria(null, true, false);
        }

        static Criteria of(Bson filter) {
            return new Criteria(filter, false, false);
        }

        public boolean matchesAll() {
            return constant && value;
        }

        public boolean matchesNone() {
            return constant && !value;
        }
    }

    private static final class Translation {
        private final SearchContext ctx;

        Translation(SearchContext ctx) {
            this.ctx = ctx;
        }

        Criteria key(SearchKey key, int depth) {
            if (depth > ctx.maxDepth()) {
                throw new SearchException(SearchException.Kind.TOO_DEEP,
                        "search criteria nested deeper than " + ctx.maxDepth());
            }
            if (key instanceof And a) {
                List<Criteria> parts = new ArrayList<>();
                for (SearchKey k : a.keys()) {
                    parts.add(key(k, depth + 1));
                }
                return and(parts);
            }
            if (key instanceof Or o) {
                Criteria l = key(o.left(), depth + 1);
                Criteria r = key(o.right(), depth + 1);
                if (l.matchesAll() || r.matchesAll()) {
                    return Criteria.all();
                }
                if (l.matchesNone()) {
                    return r;
                }
                if (r.matchesNone()) {
                    return l;
                }
                return Criteria.of(Filters.or(l.filter(), r.filter()));
            }
            if (key instanceof Not n) {
                return not(key(n.key(), depth + 1));
            }
            if (key instanceof FlagKey f) {
                return flag(f.name());
            }
            if (key instanceof Keyword k) {
                Bson has = Filters.eq(Messages.KEYWORDS, k.keyword());
                return Criteria.of(k.present() ? has : Filters.ne(Messages.KEYWORDS, k.keyword()));
            }
            if (key instanceof TextKey t) {
                return text(t.field(), t.value());
            }
            if (key instanceof Header h) {
                return Criteria.of(Filters.regex(RAW_HEADER, headerPattern(h.field(), h.value()), "i"));
            }
            if (key instanceof DateKey d) {
                return date(d.name(), d.date());
            }
            if (key instanceof Size s) {
                return Criteria.of(s.larger() ? Filters.gt(Messages.SIZE, s.octets()) : Filters.lt(Messages.SIZE, s.octets()));
            }
            if (key instanceof Uid u) {
                return u.set().savedResult() ? saved() : uidRanges(u.set().resolve(ctx.lastUid()));
            }
            if (key instanceof Sequence s) {
                return s.set().savedResult() ? saved() : sequenceRanges(s.set());
            }
            if (key instanceof ModSeq m) {
                return Criteria.of(Filters.gte(Messages.MODSEQ, m.modSeq()));
            }
            throw new IllegalArgumentException("unknown search key " + key);
        }

        private static Criteria and(List<Criteria> parts) {
            List<Bson> filters = new ArrayList<>();
            for (Criteria c : parts) {
                if (c.matchesNone()) {
                    return Criteria.none();
                }
                if (!c.constant()) {
                    filters.add(c.filter());
                }
            }
            if (filters.isEmpty()) {
                return Criteria.all();
            }
            return Criteria.of(filters.size() == 1 ? filters.get(0) : Filters.and(filters));
        }

        private static Criteria not(Criteria c) {
            if (c.constant()) {
                return c.value() ? Criteria.none() : Criteria.all();
            }
            // $nor works on any filter, where $not only negates a single field's operator
            return Criteria.of(Filters.nor(c.filter()));
        }

        private Criteria flag(String name) {
            switch (name) {
                case "ALL":
                    return Criteria.all();
                case "RECENT":
                    return recent();
                case "OLD":
                    return not(recent());
                case "NEW":
                    return and(List.of(recent(), flag("UNSEEN")));
                default:
                    boolean un = name.startsWith("UN");
                    String flag = "\\" + capitalised(un ? name.substring(2) : name);
                    return Criteria.of(un ? Filters.ne(Messages.FLAGS, flag) : Filters.eq(Messages.FLAGS, flag));
            }
        }

        private Criteria recent() {
            if (ctx.recentUids().isEmpty()) {
                return Criteria.none();
            }
            return Criteria.of(Filters.in(Messages.UID, ctx.recentUids()));
        }

        private Criteria saved() {
            if (ctx.savedResult().isEmpty()) {
                return Criteria.none();
            }
            return Criteria.of(Filters.in(Messages.UID, ctx.savedResult()));
        }

        private static Criteria uidRanges(List<SequenceSet.Range> ranges) {
            List<Bson> or = new ArrayList<>();
            for (SequenceSet.Range r : ranges) {
                or.add(r.from() == r.to() ? Filters.eq(Messages.UID, r.from())
                        : Filters.and(Filters.gte(Messages.UID, r.from()), Filters.lte(Messages.UID, r.to())));
            }
            if (or.isEmpty()) {
                return Criteria.none();
            }
            return Criteria.of(or.size() == 1 ? or.get(0) : Filters.or(or));
        }

        /** Message numbers map to UIDs through the session's view; UIDs ascend with them, so a range stays a range. */
        private Criteria sequenceRanges(SequenceSet set) {
            int n = ctx.size();
            List<SequenceSet.Range> uidRanges = new ArrayList<>();
            for (SequenceSet.Range r : set.resolve(n)) {
                if (r.from() > n) {
                    continue;
                }
                uidRanges.add(new SequenceSet.Range(ctx.uidAt(r.from()), ctx.uidAt(Math.min(r.to(), n))));
            }
            return uidRanges(uidRanges);
        }

        private Criteria date(String name, LocalDate day) {
            String field = name.startsWith("SENT") ? SENT_DATE : Messages.INTERNAL_DATE;
            String op = name.startsWith("SENT") ? name.substring(4) : name;
            Date start = Date.from(day.atStartOfDay(ctx.zone()).toInstant());
            Date next = Date.from(day.plusDays(1).atStartOfDay(ctx.zone()).toInstant());
            switch (op) {
                case "BEFORE":
                    return Criteria.of(Filters.lt(field, start));
                case "ON":
                    return Criteria.of(Filters.and(Filters.gte(field, start), Filters.lt(field, next)));
                case "SINCE":
                    return Criteria.of(Filters.gte(field, start));
                default:
                    throw new IllegalArgumentException("unknown date key " + name);
            }
        }

        private static Criteria text(String field, String value) {
            String needle = collapse(value);
            if (needle.isEmpty()) {
                return Criteria.all();
            }
            String pattern = escape(needle);
            switch (field) {
                case "FROM":
                    return regex(MessageMetadataBson.SEARCH_FROM, pattern);
                case "TO":
                    return regex(MessageMetadataBson.SEARCH_TO, pattern);
                case "CC":
                    return regex(MessageMetadataBson.SEARCH_CC, pattern);
                case "BCC":
                    return regex(MessageMetadataBson.SEARCH_BCC, pattern);
                case "SUBJECT":
                    return regex(MessageMetadataBson.SEARCH_SUBJECT, pattern);
                case "BODY":
                    return regex(MessageMetadataBson.SEARCH_BODY, pattern);
                case "TEXT": {
                    List<Bson> any = new ArrayList<>();
                    for (String f : List.of(MessageMetadataBson.SEARCH_SUBJECT, MessageMetadataBson.SEARCH_FROM,
                            MessageMetadataBson.SEARCH_TO, MessageMetadataBson.SEARCH_CC, MessageMetadataBson.SEARCH_BCC,
                            MessageMetadataBson.SEARCH_BODY)) {
                        any.add(regex(f, pattern).filter());
                    }
                    any.add(Filters.regex(RAW_HEADER, escape(latin1(value)), "i"));
                    return Criteria.of(Filters.or(any));
                }
                default:
                    throw new IllegalArgumentException("unknown text key " + field);
            }
        }

        private static Criteria regex(String searchField, String pattern) {
            return Criteria.of(Filters.regex(Messages.METADATA + "." + searchField, pattern, "i"));
        }
    }

    /**
     * A field line whose name is {@code field} (any case, optional blanks before the colon) and whose value,
     * continuation lines included, contains {@code value}. The raw header is stored one char per octet
     * (ISO-8859-1), so the value's UTF-8 octets are matched the same way.
     */
    static String headerPattern(String field, String value) {
        return "(?:^|\\n)" + escape(field) + "[ \\t]*:(?:[^\\n]|\\n[ \\t])*" + escape(latin1(value));
    }

    private static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Every ASCII character that is not a letter or digit is escaped: literal in PCRE and in Java regex alike. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && !Character.isLetterOrDigit(c)) {
                b.append('\\');
            }
            if (c < 0x20 || c == 0x7F) {
                // control characters as hex escapes, never raw in a pattern
                b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The stored search text has whitespace runs collapsed to one space and no leading or trailing space. */
    static String collapse(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0' || Character.isISOControl(c)) {
                space = b.length() > 0;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String capitalised(String s) {
        return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
    }
}
