package mail.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The boundaries of all enclosing multiparts, innermost last. A line is a delimiter of a level when it is
 * "--" + boundary followed only by blanks, and a close delimiter when "--" follows (anything may trail it, as
 * real mailers write). Innermost first, so a boundary that is a prefix of an outer one cannot steal its lines.
 */
final class Boundaries {
    private final List<byte[]> stack = new ArrayList<>();

    /** Set by match(): the level matched and whether it was a close delimiter. */
    int level;
    boolean close;

    int push(byte[] boundary) {
        stack.add(boundary);
        return stack.size() - 1;
    }

    void pop(int levelToRemove) {
        stack.remove(levelToRemove);
    }

    boolean match(byte[] b, int start, int length) {
        if (stack.isEmpty() || length < 3 || b[start] != '-' || b[start + 1] != '-') {
            return false;
        }
        int end = start + length;
        for (int l = stack.size() - 1; l >= 0; l--) {
            byte[] boundary = stack.get(l);
            if (length < 2 + boundary.length || !regionMatches(b, start + 2, boundary)) {
                continue;
            }
            int i = start + 2 + boundary.length;
            boolean isClose = end - i >= 2 && b[i] == '-' && b[i + 1] == '-';
            if (isClose || onlyBlanks(b, i, end)) {
                level = l;
                close = isClose;
                return true;
            }
        }
        return false;
    }

    private static boolean onlyBlanks(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] != ' ' && b[k] != '\t' && b[k] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean regionMatches(byte[] b, int off, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (b[off + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
