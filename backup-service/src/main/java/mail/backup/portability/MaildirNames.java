package mail.backup.portability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import mail.core.mailbox.MailboxName;

/**
 * Maildir and Maildir++ names. Flags travel in the file name's info part ({@code :2,} then letters in ASCII order):
 * D \Draft, F \Flagged, P passed (the $Forwarded keyword), R \Answered, S \Seen, T \Deleted; other keywords as
 * Dovecot writes them, lowercase letters a-z numbered by a {@code dovecot-keywords} file in the folder (so at most 26
 * keywords per folder). Folders are directories
 * {@code .Parent.Child} below the Maildir root, which itself is INBOX; in a folder name's levels the characters
 * Maildir++ gives a meaning to ({@code .} and {@code /}) and {@code %} are percent-escaped, and names are otherwise
 * UTF-8, as Dovecot writes them with UTF-8 folder names.
 */
public final class MaildirNames {
    public static final String FORWARDED = "$Forwarded";
    private static final String[][] LETTERS = {{"D", "\\Draft"}, {"F", "\\Flagged"}, {"P", FORWARDED}, {"R", "\\Answered"},
            {"S", "\\Seen"}, {"T", "\\Deleted"}};

    private MaildirNames() {
    }

    public static final String KEYWORDS_FILE = "dovecot-keywords";
    public static final int MAX_KEYWORDS = 26;

    /** The info letters of a message's system flags and keywords (only $Forwarded has a letter). */
    public static String info(List<String> flags, List<String> keywords) {
        return info(flags, keywords, null);
    }

    /**
     * The info letters, with keywords other than $Forwarded numbered in {@code numbering} (a folder's
     * dovecot-keywords, grown as new keywords turn up); a keyword past the 26th is left out. Null: no keywords.
     */
    public static String info(List<String> flags, List<String> keywords, java.util.Map<String, Integer> numbering) {
        StringBuilder b = new StringBuilder();
        for (String[] l : LETTERS) {
            if (contains(flags, l[1]) || contains(keywords, l[1])) {
                b.append(l[0]);
            }
        }
        if (numbering != null) {
            TreeSet<Character> letters = new TreeSet<>();
            for (String k : keywords) {
                if (k.equalsIgnoreCase(FORWARDED)) {
                    continue;
                }
                Integer n = numbering.get(k);
                if (n == null && numbering.size() < MAX_KEYWORDS) {
                    n = numbering.size();
                    numbering.put(k, n);
                }
                if (n != null) {
                    letters.add((char) ('a' + n));
                }
            }
            letters.forEach(b::append);
        }
        return b.toString();
    }

    /** A dovecot-keywords file's text from a folder's numbering. */
    public static String keywordsFile(java.util.Map<String, Integer> numbering) {
        StringBuilder b = new StringBuilder();
        numbering.forEach((k, n) -> b.append(n).append(' ').append(k).append('\n'));
        return b.toString();
    }

    /** Reads a dovecot-keywords file: letter index to keyword; lines that are not "N keyword" are skipped. */
    public static java.util.Map<Integer, String> parseKeywordsFile(String text) {
        java.util.Map<Integer, String> out = new java.util.HashMap<>();
        for (String line : text.split("\r?\n")) {
            String[] p = line.trim().split(" ", 2);
            if (p.length == 2 && p[0].matches("\\d{1,2}") && Integer.parseInt(p[0]) < MAX_KEYWORDS && !p[1].isBlank()
                    && p[1].chars().allMatch(c -> c > ' ' && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0)) {
                out.put(Integer.parseInt(p[0]), p[1]);
            }
        }
        return out;
    }

    private static boolean contains(List<String> list, String flag) {
        for (String s : list) {
            if (s.equalsIgnoreCase(flag)) {
                return true;
            }
        }
        return false;
    }

    /** What a file name says: system flags, keywords, and info letters this platform has no meaning for. */
    public record Info(List<String> flags, List<String> keywords, String unknown) {
    }

    /** Parses the info part of a file name in cur/; a name without {@code :2,} has no flags. */
    public static Info parse(String fileName) {
        return parse(fileName, java.util.Map.of());
    }

    /** As {@link #parse(String)}, with the folder's dovecot-keywords for the lowercase letters. */
    public static Info parse(String fileName, java.util.Map<Integer, String> keywordLetters) {
        List<String> flags = new ArrayList<>();
        List<String> keywords = new ArrayList<>();
        StringBuilder unknown = new StringBuilder();
        int at = fileName.lastIndexOf(":2,");
        if (at < 0) {
            // some systems (Windows file systems) use '!' for ':'
            at = fileName.lastIndexOf("!2,");
        }
        if (at >= 0) {
            TreeSet<Character> seen = new TreeSet<>();
            for (char c : fileName.substring(at + 3).toCharArray()) {
                if (!seen.add(c)) {
                    continue;
                }
                String flag = null;
                for (String[] l : LETTERS) {
                    if (l[0].charAt(0) == c) {
                        flag = l[1];
                    }
                }
                if (flag == null && c >= 'a' && c <= 'z' && keywordLetters.containsKey(c - 'a')) {
                    keywords.add(keywordLetters.get(c - 'a'));
                } else if (flag == null) {
                    unknown.append(c);
                } else if (flag.startsWith("\\")) {
                    flags.add(flag);
                } else {
                    keywords.add(flag);
                }
            }
        }
        return new Info(flags, keywords, unknown.toString());
    }

    /** Our own file name: time first (as Maildir names are), the UID for uniqueness, the size, the flags. */
    public static String fileName(long epochSeconds, long uidValidity, long uid, long size, String info) {
        return epochSeconds + ".M" + uid + "V" + uidValidity + ".mailplatform,S=" + size + ":2," + info;
    }

    /** The folder directory of a mailbox below the Maildir root; empty for INBOX (the root itself). */
    public static Optional<String> folderDir(String mailboxName) {
        MailboxName n = MailboxName.fromUtf8(mailboxName);
        if (n.isInbox()) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder();
        for (String level : n.levels()) {
            b.append('.').append(escape(level));
        }
        return Optional.of(b.toString());
    }

    /** The mailbox a Maildir++ folder directory holds; empty for a name that is not a folder ({@code .} alone, {@code ..}). */
    public static Optional<String> mailboxOf(String dirName) {
        if (!dirName.startsWith(".") || dirName.length() < 2 || dirName.equals("..")) {
            return Optional.empty();
        }
        List<String> levels = new ArrayList<>();
        for (String level : dirName.substring(1).split("\\.", -1)) {
            if (level.isEmpty()) {
                return Optional.empty();
            }
            levels.add(unescape(level));
        }
        String name = String.join("/", levels);
        try {
            return Optional.of(MailboxName.fromUtf8(name).name());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String escape(String level) {
        StringBuilder b = new StringBuilder();
        for (byte x : level.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c == '.' || c == '/' || c == '%' || c == '\\' || c < 0x20 || c == 0x7f) {
                b.append('%').append(String.format("%02X", c));
            } else {
                b.append((char) c);
            }
        }
        // back to UTF-8 characters: the loop above kept non-ASCII bytes as single chars
        return new String(b.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    static String unescape(String level) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] bytes = level.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'F') || (b >= 'a' && b <= 'f');
    }
}
