package mail.imap.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The untagged replies of SEARCH: {@code * SEARCH} (RFC 9051 §7.3.5 as IMAP4rev1 has it, with RFC 7162's
 * {@code (MODSEQ n)}), {@code * ESEARCH} (RFC 4731 / RFC 9051 §7.3.4) and what SEARCHRES saves (RFC 5182).
 * Message numbers are sequence numbers, or UIDs for UID SEARCH.
 */
public final class SearchResponses {
    private SearchResponses() {
    }

    /** {@code * SEARCH 2 5 9\r\n}, with {@code  (MODSEQ n)} when MODSEQ was searched and something matched. */
    public static String search(SearchResult r, boolean uid, SearchContext ctx) {
        StringBuilder b = new StringBuilder("* SEARCH");
        for (long n : numbers(r, uid, ctx)) {
            b.append(' ').append(n);
        }
        OptionalLong mod = r.highestModSeq();
        if (mod.isPresent()) {
            b.append(" (MODSEQ ").append(mod.getAsLong()).append(')');
        }
        return b.append("\r\n").toString();
    }

    /**
     * {@code * ESEARCH (TAG "A1") UID MIN 2 MAX 9 COUNT 3 ALL 2,5,9\r\n}. {@code returnOptions} null or empty means
     * ALL (RFC 4731 §3.1, and what IMAP4rev2 answers a plain SEARCH with). MIN, MAX and ALL are left out when nothing
     * matched; COUNT is always given when asked. Empty when SAVE is the only option: RFC 5182 §2.4 says no ESEARCH
     * is sent then.
     */
    public static Optional<String> esearch(String tag, boolean uid, List<String> returnOptions, SearchResult r,
                                           SearchContext ctx) {
        List<String> options = effective(returnOptions);
        if (options.equals(List.of("SAVE"))) {
            return Optional.empty();
        }
        long[] numbers = numbers(r, uid, ctx);
        StringBuilder b = new StringBuilder("* ESEARCH (TAG ");
        quoted(b, tag);
        b.append(')');
        if (uid) {
            b.append(" UID");
        }
        boolean any = numbers.length > 0;
        if (options.contains("MIN") && any) {
            b.append(" MIN ").append(numbers[0]);
        }
        if (options.contains("MAX") && any) {
            b.append(" MAX ").append(numbers[numbers.length - 1]);
        }
        if (options.contains("COUNT")) {
            b.append(" COUNT ").append(numbers.length);
        }
        if (options.contains("ALL") && any) {
            b.append(" ALL ").append(compact(numbers));
        }
        OptionalLong mod = reportedModSeq(options, r);
        if (mod.isPresent()) {
            b.append(" MODSEQ ").append(mod.getAsLong());
        }
        return Optional.of(b.append("\r\n").toString());
    }

    /**
     * The UIDs SEARCHRES saves, when SAVE was asked for: all matches, or only the minimum and/or maximum when SAVE
     * comes with MIN and/or MAX but neither ALL nor COUNT (RFC 5182 §2.1).
     */
    public static Optional<List<Long>> saved(List<String> returnOptions, SearchResult r) {
        if (returnOptions == null || !returnOptions.contains("SAVE")) {
            return Optional.empty();
        }
        long[] uids = r.uids();
        List<Long> out = new ArrayList<>();
        boolean minMaxOnly = (returnOptions.contains("MIN") || returnOptions.contains("MAX"))
                && !returnOptions.contains("ALL") && !returnOptions.contains("COUNT");
        if (!minMaxOnly) {
            for (long u : uids) {
                out.add(u);
            }
        } else if (uids.length > 0) {
            if (returnOptions.contains("MIN")) {
                out.add(uids[0]);
            }
            if (returnOptions.contains("MAX") && (out.isEmpty() || out.get(0) != uids[uids.length - 1])) {
                out.add(uids[uids.length - 1]);
            }
        }
        return Optional.of(List.copyOf(out));
    }

    /** Ascending numbers as a sequence set, runs compacted: {@code 1,2,3,4,7} is {@code 1:4,7}. */
    public static String compact(long[] ascending) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < ascending.length) {
            int j = i;
            while (j + 1 < ascending.length && ascending[j + 1] == ascending[j] + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(ascending[i]);
            if (j > i) {
                b.append(':').append(ascending[j]);
            }
            i = j + 1;
        }
        return b.toString();
    }

    private static List<String> effective(List<String> returnOptions) {
        if (returnOptions == null || returnOptions.isEmpty()) {
            return List.of("ALL");
        }
        return returnOptions;
    }

    /** MODSEQ covers the messages the reply reports: all of them with ALL or COUNT, else the MIN / MAX ones. */
    private static OptionalLong reportedModSeq(List<String> options, SearchResult r) {
        if (!r.withModSeq() || r.isEmpty()) {
            return OptionalLong.empty();
        }
        if (options.contains("ALL") || options.contains("COUNT")) {
            return r.highestModSeq();
        }
        long best = -1;
        if (options.contains("MIN")) {
            best = Math.max(best, r.modSeqAt(0));
        }
        if (options.contains("MAX")) {
            best = Math.max(best, r.modSeqAt(r.count() - 1));
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    private static long[] numbers(SearchResult r, boolean uid, SearchContext ctx) {
        long[] uids = r.uids();
        if (uid) {
            return uids;
        }
        long[] seq = new long[uids.length];
        for (int i = 0; i < uids.length; i++) {
            seq[i] = ctx.sequenceOf(uids[i]);
        }
        return seq;
    }

    private static void quoted(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }
}
