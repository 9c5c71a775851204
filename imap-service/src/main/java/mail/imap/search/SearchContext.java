package mail.imap.search;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the session knows that a SEARCH needs and MongoDB does not.
 *
 * @param uids        the UIDs of the selected mailbox as this session sees it, in sequence-number order (index 0 is
 *                    message 1); sequence sets are mapped through it, {@code *} is its last entry, and results are
 *                    limited to it (a message delivered after the last EXISTS has no sequence number yet)
 * @param savedResult the SEARCHRES result (RFC 5182) as UIDs, for {@code $}; empty when nothing was saved
 * @param recentUids  the messages this session reports as \Recent (IMAP4rev1). The store keeps no \Recent flag
 *                    (IMAP4rev2 dropped it), so RECENT, NEW and OLD use what the session tracked; an empty set
 *                    makes RECENT and NEW match nothing and OLD match everything
 * @param zone        the zone in which BEFORE / ON / SINCE and the SENT* keys cut days (RFC 9051 compares dates
 *                    "disregarding time and timezone"; the store keeps instants, not the original offsets)
 * @param maxDepth    the deepest nesting of parentheses, NOT and OR accepted (configuration)
 */
public record SearchContext(long[] uids, List<Long> savedResult, Set<Long> recentUids, ZoneId zone, int maxDepth) {

    public SearchContext {
        uids = uids.clone();
        for (int i = 1; i < uids.length; i++) {
            if (uids[i] <= uids[i - 1]) {
                throw new IllegalArgumentException("UIDs must be strictly ascending in sequence order");
            }
        }
        savedResult = savedResult == null ? List.of() : List.copyOf(savedResult);
        recentUids = recentUids == null ? Set.of() : Set.copyOf(recentUids);
        Objects.requireNonNull(zone, "zone");
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
    }

    /** The sequence number of a UID in this session's view, or 0 when the session does not know it. */
    public long sequenceOf(long uid) {
        int i = Arrays.binarySearch(uids, uid);
        return i < 0 ? 0 : i + 1;
    }

    long lastUid() {
        return uids.length == 0 ? 0 : uids[uids.length - 1];
    }

    @Override
    public long[] uids() {
        return uids.clone();
    }

    long uidAt(long sequence) {
        return uids[(int) sequence - 1];
    }

    int size() {
        return uids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchContext c && Arrays.equals(c.uids, uids) && c.savedResult.equals(savedResult)
                && c.recentUids.equals(recentUids) && c.zone.equals(zone) && c.maxDepth == maxDepth;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(uids), savedResult, recentUids, zone, maxDepth);
    }

    @Override
    public String toString() {
        return "SearchContext[" + uids.length + " messages, zone " + zone + ", maxDepth " + maxDepth + "]";
    }
}
