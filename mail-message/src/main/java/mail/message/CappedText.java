package mail.message;

/** A text accumulator that stops at a cap and collapses whitespace runs to one space. */
final class CappedText {
    private final StringBuilder sb = new StringBuilder();
    private int cap;
    private boolean truncated;
    private boolean pendingSpace;

    CappedText(int cap) {
        this.cap = cap;
    }

    void setCap(int cap) {
        this.cap = Math.max(0, cap);
    }

    boolean full() {
        return sb.length() >= cap;
    }

    boolean truncated() {
        return truncated;
    }

    int length() {
        return sb.length();
    }

    /** Separates what comes next from what is there (a new part, a new field). */
    void separate() {
        if (sb.length() > 0) {
            pendingSpace = true;
        }
    }

    void append(char c) {
        if (Character.isWhitespace(c) || c == '\u00a0' || Character.isISOControl(c) || c == '\ufffd') {
            // undecodable octets (U+FFFD) carry nothing searchable
            if (sb.length() > 0) {
                pendingSpace = true;
            }
            return;
        }
        if (pendingSpace) {
            pendingSpace = false;
            if (!put(' ')) {
                return;
            }
        }
        put(c);
    }

    void append(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            append(s.charAt(i));
        }
    }

    private boolean put(char c) {
        if (sb.length() >= cap) {
            truncated = true;
            return false;
        }
        if (sb.length() == cap - 1 && Character.isHighSurrogate(c)) {
            truncated = true;
            cap = sb.length();
            return false;
        }
        sb.append(c);
        return true;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
