package mail.imap.protocol;

/**
 * A literal announced at the end of a line: {@code {n}} (synchronizing), {@code {n+}} (non-synchronizing, RFC
 * 7888), with an optional {@code ~} prefix for literal8 (RFC 3516).
 */
record LiteralAnnouncement(long size, boolean synchronizing, boolean binary) {
    /** Literal sizes are number64 at most (RFC 9051 §4.3); 19 digits always fit a long. */
    private static final int MAX_DIGITS = 19;

    /** The announcement ending {@code b[0..len)}, or null if the line does not end with one. */
    static LiteralAnnouncement atEnd(byte[] b, int len) {
        if (len < 3 || b[len - 1] != '}') {
            return null;
        }
        int i = len - 2;
        boolean nonSync = false;
        if (b[i] == '+') {
            nonSync = true;
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && b[i] >= '0' && b[i] <= '9') {
            i--;
        }
        int digits = digitsEnd - (i + 1);
        if (digits == 0 || digits > MAX_DIGITS || i < 0 || b[i] != '{') {
            return null;
        }
        long size = 0;
        for (int k = i + 1; k < digitsEnd; k++) {
            size = size * 10 + (b[k] - '0');
        }
        if (size < 0) {
            return null;
        }
        boolean binary = i > 0 && b[i - 1] == '~';
        return new LiteralAnnouncement(size, !nonSync, binary);
    }
}
