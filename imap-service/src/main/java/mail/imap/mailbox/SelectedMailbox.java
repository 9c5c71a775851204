package mail.imap.mailbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import mail.imap.protocol.SequenceSet;
import mail.store.Mailbox;

/**
 * What one session knows of its selected mailbox: the UID of every sequence number it has announced, and the MODSEQ
 * it has caught up to. Sequence numbers change only when the session announces them (EXISTS, EXPUNGE/VANISHED), never
 * behind its back: a message expunged elsewhere stays in this map until the session may tell the client (RFC 9051
 * §7.4.1), so numbers the client holds stay valid in between.
 */
public final class SelectedMailbox {
    private final Mailbox mailbox;
    private final boolean readOnly;
    private long[] uids;
    private int size;
    private long highestModSeq;
    private long uidNext;
    /** UID -> MODSEQ of flag states this session has told its client already, so a refresh does not repeat them. */
    private final Map<Long, Long> reported = new HashMap<>();
    /** The keywords announced in the last FLAGS response; flag names are case-insensitive (RFC 9051 §2.3.2). */
    private final SortedSet<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** The messages this session reports as \Recent (IMAP4rev1, RFC 3501 §2.3.2): the ones it claimed, or saw unclaimed. */
    private final SortedSet<Long> recent = new TreeSet<>();

    public SelectedMailbox(Mailbox mailbox, boolean readOnly, long[] uids) {
        this(mailbox, readOnly, uids, List.of());
    }

    public SelectedMailbox(Mailbox mailbox, boolean readOnly, long[] uids, Collection<String> keywords) {
        this.mailbox = mailbox;
        this.readOnly = readOnly;
        this.keywords.addAll(keywords);
        this.uids = uids.clone();
        this.size = uids.length;
        this.highestModSeq = mailbox.highestModSeq();
        this.uidNext = mailbox.uidNext();
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    public String id() {
        return mailbox.id();
    }

    public boolean readOnly() {
        return readOnly;
    }

    public int exists() {
        return size;
    }

    public long uidAt(int seq) {
        return uids[seq - 1];
    }

    /** The sequence number of a UID, or 0 if the session does not have it. */
    public int seqOf(long uid) {
        int i = Arrays.binarySearch(uids, 0, size, uid);
        return i >= 0 ? i + 1 : 0;
    }

    public long lastUid() {
        return size == 0 ? 0 : uids[size - 1];
    }

    public long[] uids() {
        return Arrays.copyOf(uids, size);
    }

    public long highestModSeq() {
        return highestModSeq;
    }

    public long uidNext() {
        return uidNext;
    }

    public void caughtUp(long highestModSeq, long uidNext) {
        this.highestModSeq = Math.max(this.highestModSeq, highestModSeq);
        this.uidNext = Math.max(this.uidNext, uidNext);
    }

    /**
     * UIDs named by a sequence set, ascending. Message numbers must exist ({@link InvalidSequenceException} otherwise,
     * RFC 9051: a BAD); UID ranges simply select what exists.
     */
    public List<Long> select(SequenceSet set, boolean byUid) {
        List<Long> out = new ArrayList<>();
        if (byUid) {
            // "UID n:*" includes the highest UID even when n is above it (RFC 9051 §6.4.9): resolve() orders the ends
            for (SequenceSet.Range r : set.resolve(lastUid())) {
                int from = lowerBound(r.from());
                for (int i = from; i < size && uids[i] <= r.to(); i++) {
                    out.add(uids[i]);
                }
            }
            return out;
        }
        for (SequenceSet.Range r : set.resolve(size)) {
            if (r.to() > size) {
                throw new InvalidSequenceException("message number " + r.to() + " does not exist (" + size + " messages)");
            }
            for (long n = r.from(); n <= r.to(); n++) {
                out.add(uids[(int) n - 1]);
            }
        }
        return out;
    }

    private int lowerBound(long uid) {
        int i = Arrays.binarySearch(uids, 0, size, uid);
        return i >= 0 ? i : -i - 1;
    }

    /** Appends newly seen UIDs (all above the current last one); returns how many were added. */
    public int append(long[] newUids) {
        int added = 0;
        for (long u : newUids) {
            if (u > lastUid()) {
                if (size == uids.length) {
                    uids = Arrays.copyOf(uids, Math.max(16, size * 2));
                }
                uids[size++] = u;
                added++;
            }
        }
        return added;
    }

    /** Removes an announced UID; returns the sequence number it had (0 if it was not there). */
    public int remove(long uid) {
        int seq = seqOf(uid);
        if (seq > 0) {
            System.arraycopy(uids, seq, uids, seq - 1, size - seq);
            size--;
            reported.remove(uid);
            recent.remove(uid);
        }
        return seq;
    }

    /** Makes the session's messages with a UID above {@code mark} recent to it; returns how many it has now. */
    public int recentAbove(long mark) {
        if (mark == Long.MAX_VALUE) {
            return recent.size();
        }
        for (int i = lowerBound(mark + 1); i < size; i++) {
            recent.add(uids[i]);
        }
        return recent.size();
    }

    public boolean isRecent(long uid) {
        return recent.contains(uid);
    }

    public int recentCount() {
        return recent.size();
    }

    /** The \Recent UIDs, ascending (SEARCH RECENT, NEW, OLD). */
    public SortedSet<Long> recentUids() {
        return new TreeSet<>(recent);
    }

    /** The keywords the client has been told of, in order. */
    public List<String> keywords() {
        return new ArrayList<>(keywords);
    }

    /**
     * Adds keywords seen on messages; true if one was new, and the client must get a new FLAGS response before a
     * FETCH shows it (RFC 9051 §7.3.5, RFC 3501 §7.2.6).
     */
    public boolean learnKeywords(Collection<String> seen) {
        boolean added = false;
        for (String k : seen) {
            added |= keywords.add(k);
        }
        return added;
    }

    public boolean alreadyReported(long uid, long modSeq) {
        Long m = reported.get(uid);
        return m != null && m >= modSeq;
    }

    public void reported(long uid, long modSeq) {
        reported.put(uid, modSeq);
    }

    /** A sequence set naming a message number that does not exist. */
    public static final class InvalidSequenceException extends RuntimeException {
        public InvalidSequenceException(String message) {
            super(message);
        }
    }
}
