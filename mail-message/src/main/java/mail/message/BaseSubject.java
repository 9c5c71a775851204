package mail.message;

import java.util.Locale;

/** RFC 5256 §2.1 base subject, the key THREAD=REFERENCES and ORDEREDSUBJECT group by. */
final class BaseSubject {
    private BaseSubject() {
    }

    /** @param decoded the Subject after RFC 2047 decoding */
    static String of(String decoded) {
        if (decoded == null) {
            return "";
        }
        String s = decoded.replaceAll("[\\t\\r\\n ]+", " ").strip();
        while (true) {
            s = removeTrailers(s);
            String before;
            do {
                before = s;
                s = removeLeader(s);
                s = removeBlob(s);
            } while (!s.equals(before));
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("[fwd:") && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1).strip();
                continue;
            }
            return s;
        }
    }

    private static String removeTrailers(String s) {
        String t = s;
        while (true) {
            t = t.stripTrailing();
            if (t.toLowerCase(Locale.ROOT).endsWith("(fwd)")) {
                t = t.substring(0, t.length() - 5);
            } else {
                return t;
            }
        }
    }

    /** subj-leader = (*subj-blob subj-refwd) / WSP ; subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":" */
    private static String removeLeader(String s) {
        if (s.startsWith(" ")) {
            return s.stripLeading();
        }
        int i = 0;
        while (i < s.length() && s.charAt(i) == '[') {
            int end = blobEnd(s, i);
            if (end < 0) {
                break;
            }
            i = end;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        int j;
        if (lower.startsWith("re", i)) {
            j = i + 2;
        } else if (lower.startsWith("fwd", i)) {
            j = i + 3;
        } else if (lower.startsWith("fw", i)) {
            j = i + 2;
        } else {
            return s;
        }
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        if (j < s.length() && s.charAt(j) == '[') {
            int end = blobEnd(s, j);
            if (end > 0) {
                j = end;
            }
        }
        if (j < s.length() && s.charAt(j) == ':') {
            return s.substring(j + 1).stripLeading();
        }
        return s;
    }

    /** A leading subj-blob is removed only when something is left after it. */
    private static String removeBlob(String s) {
        if (!s.startsWith("[")) {
            return s;
        }
        int end = blobEnd(s, 0);
        if (end < 0) {
            return s;
        }
        String rest = s.substring(end);
        return rest.isBlank() ? s : rest;
    }

    /** Index after "[" *BLOBCHAR "]" *WSP, or -1. */
    private static int blobEnd(String s, int start) {
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                return -1;
            }
            if (c == ']') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) == ' ') {
                    j++;
                }
                return j;
            }
        }
        return -1;
    }
}
