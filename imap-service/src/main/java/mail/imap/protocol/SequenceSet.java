package mail.imap.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9051 sequence-set: message sequence numbers or UIDs, single or ranges, with {@code *} for the largest one in
 * use, or {@code $} for the saved search result (RFC 5182). Ranges are kept as written ({@code 4:2} is {@code 2:4});
 * {@link #resolve} turns them into sorted, merged, concrete ranges.
 */
public final class SequenceSet {
    /** Stands for {@code *} until resolved against the mailbox. */
    public static final long STAR = -1;

    public record Range(long from, long to) {
    }

    private final List<Range> ranges;
    private final boolean savedResult;

    private SequenceSet(List<Range> ranges, boolean savedResult) {
        this.ranges = List.copyOf(ranges);
        this.savedResult = savedResult;
    }

    public static SequenceSet parse(String text, int maxRanges) {
        if (text.equals("$")) {
            return new SequenceSet(List.of(), true);
        }
        if (text.isEmpty()) {
            throw new ImapSyntaxException("expected a sequence set");
        }
        List<Range> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (out.size() >= maxRanges) {
                throw new ImapSyntaxException("too many ranges in a sequence set (limit " + maxRanges + ")");
            }
            int colon = part.indexOf(':');
            if (colon < 0) {
                long n = number(part);
                out.add(new Range(n, n));
            } else {
                if (part.indexOf(':', colon + 1) >= 0) {
                    throw new ImapSyntaxException("invalid range '" + part + "'");
                }
                out.add(new Range(number(part.substring(0, colon)), number(part.substring(colon + 1))));
            }
        }
        return new SequenceSet(out, false);
    }

    private static long number(String s) {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ImapSyntaxException("invalid sequence number '" + s + "'");
        }
        long v = Long.parseLong(s);
        if (v == 0 || v > 0xFFFF_FFFFL) {
            throw new ImapSyntaxException("sequence number out of range: " + s);
        }
        return v;
    }

    public boolean savedResult() {
        return savedResult;
    }

    public List<Range> ranges() {
        return ranges;
    }

    /**
     * Concrete, sorted, non-overlapping ranges, with {@code *} replaced by {@code largest} (the highest sequence
     * number or UID in the mailbox). With an empty mailbox {@code *} has no value and such ranges resolve to nothing.
     */
    public List<Range> resolve(long largest) {
        if (savedResult) {
            throw new IllegalStateException("$ is resolved from the saved search result, not here");
        }
        List<Range> concrete = new ArrayList<>();
        for (Range r : ranges) {
            long a = r.from() == STAR ? largest : r.from();
            long b = r.to() == STAR ? largest : r.to();
            if (a <= 0 || b <= 0) {
                continue;
            }
            concrete.add(new Range(Math.min(a, b), Math.max(a, b)));
        }
        concrete.sort((x, y) -> Long.compare(x.from(), y.from()));
        List<Range> merged = new ArrayList<>();
        for (Range r : concrete) {
            if (!merged.isEmpty() && r.from() <= merged.get(merged.size() - 1).to() + 1) {
                Range last = merged.remove(merged.size() - 1);
                merged.add(new Range(last.from(), Math.max(last.to(), r.to())));
            } else {
                merged.add(r);
            }
        }
        return List.copyOf(merged);
    }

    public boolean contains(long n, long largest) {
        for (Range r : resolve(largest)) {
            if (n >= r.from() && n <= r.to()) {
                return true;
            }
        }
        return false;
    }

    /** Writes concrete ranges back in IMAP syntax, e.g. for UIDPLUS and ESEARCH replies: {@code 1:3,7}. */
    public static String format(List<Range> ranges) {
        StringBuilder b = new StringBuilder();
        for (Range r : ranges) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r.from());
            if (r.to() != r.from()) {
                b.append(':').append(r.to());
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceSet s && s.savedResult == savedResult && s.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode() * 31 + (savedResult ? 1 : 0);
    }

    @Override
    public String toString() {
        if (savedResult) {
            return "$";
        }
        StringBuilder b = new StringBuilder();
        for (Range r : ranges) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r.from() == STAR ? "*" : Long.toString(r.from()));
            if (r.to() != r.from()) {
                b.append(':').append(r.to() == STAR ? "*" : Long.toString(r.to()));
            }
        }
        return b.toString();
    }
}
