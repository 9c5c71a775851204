package mail.message;

/** Octets {@code [from, to)} of the raw message, for a ranged read from the object store. */
public record ByteRange(long from, long to) {
    public static final ByteRange EMPTY = new ByteRange(0, 0);

    public ByteRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range " + from + ".." + to);
        }
    }

    public long length() {
        return to - from;
    }

    /** The IMAP partial {@code <origin.count>} of this range: clipped, empty when origin is past the end. */
    public ByteRange partial(long origin, long count) {
        long start = Math.min(from + Math.max(0, origin), to);
        return new ByteRange(start, Math.min(start + Math.max(0, count), to));
    }
}
