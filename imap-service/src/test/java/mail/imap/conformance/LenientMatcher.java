package mail.imap.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a server line with a James script's regular expression the way the corpus README suggests for a server
 * that is not James. The expression is tried on the line and on equivalent spellings of it (see {@link #spellings});
 * failing that, a status response matches when its tag and OK/NO/BAD/BYE agree (and, untagged, its response code with
 * its arguments), since the text after the status and code is free (RFC 9051 §7.1). Data responses (FETCH, LIST,
 * STATUS, SEARCH, EXISTS, ...) must match the expression in one of their spellings.
 *
 * <p>Accepted differences, each with its RFC reference (docs/imap-conformance.md lists them):
 * <ul>
 *   <li>{@code [MAILBOXID (...)]}: James's OBJECTID (RFC 8474), not advertised here; the runner skips it.</li>
 *   <li>{@code \Recent}: recent to the selection that claimed it here, across re-SELECTs in James (RFC 3501 §2.3.2
 *       says which session, not how long): {@code \Recent} in FLAGS and RECENT counts are not compared, SEARCH
 *       RECENT/NEW results are; a RECENT line James sends where none came here is skipped.</li>
 *   <li>hierarchy delimiter: James's "." is this server's "/" (RFC 9051 §5.1: chosen by the server); the runner
 *       translates names both ways ({@link #toServerMailbox}, {@link #toJamesDelimiter}).</li>
 *   <li>astring: {@code "appendexpunge"} and {@code appendexpunge} are one string (RFC 9051 §9, astring).</li>
 *   <li>flag lists are sets: their order is free (RFC 9051 §2.3.2, §7.3.5).</li>
 *   <li>continuation text is free: {@code + Ok} vs {@code + Ready for literal data} (RFC 9051 §7.5, resp-text).</li>
 *   <li>a command in the wrong state: James answers NO, this server BAD; RFC 3501 §3 allows either.</li>
 *   <li>a bogus or unparseable command: James closes with {@code * BYE Unknown command.}; RFC 9051 §7.1.3 says
 *       BAD (tagged, or untagged when no tag could be read), which this server sends.</li>
 *   <li>{@code * ID NIL}: James's own answer; RFC 2971 §3.2 lets the server send NIL or its field list.</li>
 *   <li>FETCH data items and STATUS items come in any order (RFC 9051 §7.5.2, §7.3.4).</li>
 *   <li>body type/parameter names and header field names are case-insensitive (RFC 2045 §5.1, RFC 5322 §1.2.2).</li>
 *   <li>UIDVALIDITY values are the server's (RFC 9051 §2.3.1.1); MOVE's COPYUID may come untagged (RFC 6851 §4.3).</li>
 * </ul>
 * Beyond these, tags, statuses, response code names and message data must agree.
 */
final class LenientMatcher {
    private static final Pattern STATUS = Pattern.compile("^(\\S+) (OK|NO|BAD|BYE|PREAUTH)(?: (\\[[^\\]]*\\]))?.*$", Pattern.DOTALL);
    private static final Pattern EXPECTED_STATUS =
            Pattern.compile("^(\\S+) (OK|NO|BAD|BYE|PREAUTH)(?:( \\\\\\[([A-Z0-9.-]+)(.*?)\\\\\\]).*)?.*$", Pattern.DOTALL);
    private static final Pattern EXPECTED_CODE_NAME = Pattern.compile("^\\S+ (?:OK|NO|BAD|BYE|PREAUTH) \\\\\\[([A-Z][A-Z0-9-]*)");
    private static final Pattern RECENT_COUNT = Pattern.compile("^\\\\\\* (?:\\\\d\\+|\\d+|\\.\\*|\\.\\+) RECENT$");
    private static final Pattern CASELESS_FETCH = Pattern.compile("^\\* \\d+ FETCH \\(.*(?:BODYSTRUCTURE|BODY \\(|HEADER\\.FIELDS).*");
    private static final Pattern UID_FIRST = Pattern.compile("^(\\* \\d+ FETCH \\()(UID \\d+) ([^{}]*)\\)$");
    private static final Pattern FLAG_LIST = Pattern.compile("((?:PERMANENT)?FLAGS \\()([^()]*)(\\))");
    private static final Pattern LIST_LINE = Pattern.compile("^(\\* (?:LIST|LSUB|XLIST) \\([^)]*\\) )(\"[^\"]*\"|NIL) (.*?)((?: \\(.*\\))?)$");
    private static final Pattern STATUS_LINE = Pattern.compile("^(\\* STATUS )(\"(?:[^\"\\\\]|\\\\.)*\"|[^ ]+)( \\(.*\\))$");
    private static final Pattern ATOM = Pattern.compile("[^\\x00-\\x20(){%*\"\\\\\\]\\x7f]+");
    private static final List<String> RFC_FLAG_ORDER = List.of("\\answered", "\\flagged", "\\deleted", "\\seen", "\\draft");

    private LenientMatcher() {
    }

    /** The expression with the server's own choices (literal announcement, UIDVALIDITY value) made to match. */
    static String normalized(String regex) {
        // \Recent lasts per selection here (claimed when first announced), across re-SELECTs in James: not compared
        String r = regex.replace("\\\\Recent ", "").replace(" \\\\Recent", "").replace("\\\\Recent", "");
        r = r.replaceAll("^\\\\\\* (?:\\\\d\\+|\\d+|\\.\\*|\\.\\+) RECENT$", "\\\\* \\\\d+ RECENT");
        r = r.replaceAll("RECENT (?:\\\\d\\+|\\d+)", "RECENT \\\\d+");
        // "BODY\\[\\] {666}" in some scripts: a bare {n} is a quantifier; the literal announcement is meant
        r = r.replaceAll("(?<!\\\\)\\{(\\d+)}$", "\\\\{$1\\\\}");
        // UIDVALIDITY is the server's choice (RFC 9051 §2.3.1.1); some scripts carry the value James happened to pick
        r = r.replaceAll("UIDVALIDITY \\d+", "UIDVALIDITY \\\\d+");
        return r;
    }

    /** The server's FLAGS without \\Recent, compared as James's expectations are (see {@link #normalized}). */
    static String withoutRecentFlag(String line) {
        if (!line.startsWith("* ") || !line.contains("FLAGS (")) {
            return line;
        }
        return line.replace(" \\Recent", "").replace("\\Recent ", "").replace("\\Recent", "");
    }

    /** A James-only response this server never sends; the runner skips it when the server line does not match it. */
    static boolean jamesOnly(String regex) {
        // this server sends RECENT with SELECT and each EXISTS (RFC 3501 §7.3.2); James also after EXPUNGE and NOOP
        return regex.startsWith("\\* OK \\[MAILBOXID") || RECENT_COUNT.matcher(regex).matches();
    }

    /** Untagged OK without a code the script asked for: informational (RFC 9051 §7.1.1), a client ignores it. */
    static boolean informational(String line) {
        // MOVE: RFC 6851 §4.3 sends COPYUID in an untagged OK before the EXPUNGEs; James puts it in the tagged OK
        return line.startsWith("* OK ") && !line.startsWith("* OK [") || line.startsWith("* OK [COPYUID ");
    }

    /** An expected untagged BYE; a server may complete the command (tagged NO) before it (RFC 9051 §7.1.5). */
    static boolean expectsBye(String regex) {
        return regex.startsWith("\\* BYE");
    }

    static boolean matches(String regex, String line) {
        String r = normalized(regex);
        line = withoutRecentFlag(line);
        for (String spelling : spellings(line)) {
            if (fullMatch(r, spelling)) {
                return true;
            }
        }
        // body types, subtypes and parameter names (RFC 2045 §5.1) and header field names (RFC 5322 §1.2.2) are
        // case-insensitive: "CHARSET" for "charset", HEADER.FIELDS (SUBJECT) for (Subject)
        if (CASELESS_FETCH.matcher(line).matches() && caselessMatch(r, line)) {
            return true;
        }
        return statusMatches(r, line) || jamesSpecific(r, line);
    }

    private static boolean statusMatches(String r, String line) {
        Matcher e = EXPECTED_STATUS.matcher(r);
        Matcher a = STATUS.matcher(line);
        if (!e.matches() || !a.matches()) {
            return false;
        }
        String expectedTag = e.group(1).replace("\\", "");
        if (!expectedTag.equals(a.group(1)) || !e.group(2).equals(a.group(2))) {
            return false;
        }
        // a response code carries data (UIDNEXT, PERMANENTFLAGS, READ-WRITE, TRYCREATE, ...): the code the script names
        // must be there; its arguments too when the script spells them out
        Matcher named = EXPECTED_CODE_NAME.matcher(r);
        if (!named.find() || named.group(1).equals("MAILBOXID")) {
            return true;
        }
        String code = a.group(3);
        if (code == null || !code.startsWith("[" + named.group(1))) {
            return false;
        }
        if (!expectedTag.equals("*") || e.group(3) == null) {
            return true;
        }
        String expectedCode = e.group(3).substring(1);
        for (String spelling : spellings(code)) {
            if (fullMatch(expectedCode, spelling)) {
                return true;
            }
        }
        return false;
    }

    /** Where James's expectation departs from the RFC (or is James's own choice), the RFC's answer is accepted. */
    private static boolean jamesSpecific(String r, String line) {
        if (r.startsWith("\\+") && (line.equals("+") || line.startsWith("+ "))) {
            return true;
        }
        if (r.equals("\\* BYE Unknown command.") && (line.startsWith("* BAD ") || line.matches("^\\S+ BAD .*"))) {
            return true;
        }
        if (r.equals("\\* ID NIL") && line.startsWith("* ID (")) {
            return true;
        }
        Matcher e = EXPECTED_STATUS.matcher(r);
        if (e.matches() && e.group(2).equals("NO") && r.contains("Command not valid in this state")) {
            return line.startsWith(e.group(1).replace("\\", "") + " BAD ");
        }
        // InboxDeleteMessages expects "OK DELETE completed" without its tag (a typo in the script)
        if (r.matches("^(OK|NO|BAD) .*")) {
            Matcher a = STATUS.matcher(line);
            return a.matches() && !a.group(1).equals("*") && r.startsWith(a.group(2) + " ");
        }
        return false;
    }

    /** The line and its equivalent spellings: James's delimiter, astring forms of the mailbox, flag lists reordered. */
    static Set<String> spellings(String line) {
        Set<String> out = new LinkedHashSet<>();
        String translated = toJamesDelimiter(line);
        for (String named : mailboxSpellings(uidLast(translated))) {
            out.add(named);
            out.add(sortFlags(named, LenientMatcher::alphabetical));
            out.add(sortFlags(named, LenientMatcher::rfcOrder));
        }
        return out;
    }

    /** FETCH data items come in any order (RFC 9051 §7.5.2); James puts UID last, this server first. */
    private static String uidLast(String line) {
        Matcher m = UID_FIRST.matcher(line);
        return m.matches() ? m.group(1) + m.group(3) + " " + m.group(2) + ")" : line;
    }

    /** LIST/LSUB and STATUS name mailboxes with "/" here; James's scripts with ".". */
    static String toJamesDelimiter(String line) {
        Matcher l = LIST_LINE.matcher(line);
        if (l.matches()) {
            String delimiter = l.group(2).equals("\"/\"") ? "\".\"" : l.group(2);
            return l.group(1) + delimiter + " " + l.group(3).replace('/', '.') + l.group(4);
        }
        Matcher s = STATUS_LINE.matcher(line);
        if (s.matches()) {
            return s.group(1) + s.group(2).replace('/', '.') + s.group(3);
        }
        return line;
    }

    /** A mailbox argument of James's scripts in this server's naming ("." becomes "/"). */
    static String toServerMailbox(String astring) {
        return astring.replace('.', '/');
    }

    private static List<String> mailboxSpellings(String line) {
        List<String> out = new ArrayList<>();
        out.add(line);
        Matcher l = LIST_LINE.matcher(line);
        if (l.matches()) {
            String other = otherAstring(l.group(3));
            if (other != null) {
                out.add(l.group(1) + l.group(2) + " " + other + l.group(4));
            }
        }
        Matcher s = STATUS_LINE.matcher(line);
        if (s.matches()) {
            String other = otherAstring(s.group(2));
            List<String> names = new ArrayList<>(List.of(s.group(2)));
            if (other != null) {
                names.add(other);
            }
            // the order of STATUS items is free (RFC 9051 §7.3.4); James's is not the request's
            for (String items : statusOrders(s.group(3))) {
                for (String name : names) {
                    out.add(s.group(1) + name + items);
                }
            }
        }
        return out;
    }

    /** " (A 1 B 2)" in every order of its pairs (at most 6 pairs; more are left as they are). */
    private static List<String> statusOrders(String items) {
        String[] words = items.trim().substring(1, items.trim().length() - 1).split(" ");
        if (words.length % 2 != 0 || words.length > 12) {
            return List.of(items);
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < words.length; i += 2) {
            pairs.add(words[i] + " " + words[i + 1]);
        }
        List<String> out = new ArrayList<>();
        permute(pairs, 0, out);
        return out;
    }

    private static void permute(List<String> pairs, int from, List<String> out) {
        if (from == pairs.size()) {
            out.add(" (" + String.join(" ", pairs) + ")");
            return;
        }
        for (int i = from; i < pairs.size(); i++) {
            java.util.Collections.swap(pairs, from, i);
            permute(pairs, from + 1, out);
            java.util.Collections.swap(pairs, from, i);
        }
    }

    /** {@code abc} as {@code "abc"} and back; null when the other form does not exist. */
    private static String otherAstring(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            String inner = s.substring(1, s.length() - 1);
            return ATOM.matcher(inner).matches() ? inner : null;
        }
        return ATOM.matcher(s).matches() ? "\"" + s + "\"" : null;
    }

    private static String sortFlags(String line, Comparator<String> order) {
        Matcher m = FLAG_LIST.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> flags = new ArrayList<>(List.of(m.group(2).trim().split(" +")));
            flags.removeIf(String::isEmpty);
            flags.sort(order);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + String.join(" ", flags) + m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** James: system flags alphabetically, then keywords, {@code \*} last. */
    private static int alphabetical(String a, String b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return ra == 0 ? a.compareToIgnoreCase(b) : 0;
    }

    /** The order of RFC 9051's flag list: \Answered \Flagged \Deleted \Seen \Draft, then keywords, {@code \*} last. */
    private static int rfcOrder(String a, String b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb || ra != 0) {
            return Integer.compare(ra, rb);
        }
        return Integer.compare(rfcIndex(a), rfcIndex(b));
    }

    private static int rfcIndex(String flag) {
        int i = RFC_FLAG_ORDER.indexOf(flag.toLowerCase(Locale.ROOT));
        return i < 0 ? RFC_FLAG_ORDER.size() : i;
    }

    private static int rank(String flag) {
        if (flag.equals("\\*")) {
            return 2;
        }
        return flag.startsWith("\\") ? 0 : 1;
    }

    private static boolean caselessMatch(String regex, String line) {
        try {
            return Pattern.compile(regex, Pattern.DOTALL | Pattern.CASE_INSENSITIVE).matcher(line).matches();
        } catch (java.util.regex.PatternSyntaxException ex) {
            return false;
        }
    }

    private static boolean fullMatch(String regex, String line) {
        try {
            return Pattern.compile(regex, Pattern.DOTALL).matcher(line).matches();
        } catch (java.util.regex.PatternSyntaxException ex) {
            return false;
        }
    }
}
