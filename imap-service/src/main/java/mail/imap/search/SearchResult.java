package mail.imap.search;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The messages a SEARCH matched, as UIDs in ascending order (= sequence order), each with its mod-sequence when the
 * criteria used MODSEQ.
 *
 * @param modSeqs parallel to {@code uids}; empty unless {@code withModSeq}
 */
public record SearchResult(long[] uids, long[] modSeqs, boolean withModSeq) {

    public SearchResult {
        uids = uids.clone();
        modSeqs = modSeqs.clone();
    }

    public static SearchResult empty(boolean withModSeq) {
        return new SearchResult(new long[0], new long[0], withModSeq);
    }

    @Override
    public long[] uids() {
        return uids.clone();
    }

    public int count() {
        return uids.length;
    }

    public boolean isEmpty() {
        return uids.length == 0;
    }

    /** The highest mod-sequence of the matched messages (RFC 7162 §3.1.5), when MODSEQ was used and any matched. */
    public OptionalLong highestModSeq() {
        if (!withModSeq || modSeqs.length == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Arrays.stream(modSeqs).max().getAsLong());
    }

    long modSeqAt(int i) {
        return modSeqs[i];
    }

    long uidAt(int i) {
        return uids[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchResult r && Arrays.equals(r.uids, uids) && Arrays.equals(r.modSeqs, modSeqs)
                && r.withModSeq == withModSeq;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(uids) * 31 + Arrays.hashCode(modSeqs);
    }

    @Override
    public String toString() {
        return "SearchResult" + Arrays.toString(uids);
    }
}
