package mail.imap.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * James's hierarchy delimiter is "." and this server's "/" (RFC 9051 §5.1 leaves the choice to the server), so the
 * mailbox arguments of a script's commands are rewritten before they are sent; {@link LenientMatcher} translates the
 * names in LIST, LSUB and STATUS responses back. Only atoms and quoted strings in mailbox positions change: message
 * literals, sequence sets and section specs ({@code BODY[1.2]}) are left alone.
 */
final class MailboxArguments {
    /** Command name → positions (0-based, after the command name) of its mailbox arguments. */
    private static final Map<String, List<Integer>> MAILBOX_POSITIONS = Map.ofEntries(
            Map.entry("CREATE", List.of(0)), Map.entry("DELETE", List.of(0)), Map.entry("SELECT", List.of(0)),
            Map.entry("EXAMINE", List.of(0)), Map.entry("SUBSCRIBE", List.of(0)), Map.entry("UNSUBSCRIBE", List.of(0)),
            Map.entry("STATUS", List.of(0)), Map.entry("APPEND", List.of(0)), Map.entry("RENAME", List.of(0, 1)),
            Map.entry("LIST", List.of(0, 1)), Map.entry("LSUB", List.of(0, 1)), Map.entry("COPY", List.of(1)),
            Map.entry("MOVE", List.of(1)), Map.entry("GETQUOTAROOT", List.of(0)));

    private MailboxArguments() {
    }

    static String toServer(String line) {
        List<int[]> tokens = tokens(line);
        if (tokens.size() < 2) {
            return line;
        }
        int cmd = 1;
        String name = text(line, tokens.get(cmd)).toUpperCase(Locale.ROOT);
        if (name.equals("UID") && tokens.size() > 2) {
            cmd = 2;
            name = text(line, tokens.get(cmd)).toUpperCase(Locale.ROOT);
        }
        List<Integer> positions = MAILBOX_POSITIONS.get(name);
        if (positions == null) {
            return line;
        }
        StringBuilder out = new StringBuilder(line);
        for (int p : positions) {
            int index = cmd + 1 + p;
            if (index < tokens.size() && isListSelectOptions(line, tokens, cmd, name)) {
                index++;
            }
            if (index >= tokens.size()) {
                continue;
            }
            int[] t = tokens.get(index);
            String arg = line.substring(t[0], t[1]);
            if (arg.startsWith("{") || arg.startsWith("(")) {
                continue;
            }
            out.replace(t[0], t[1], LenientMatcher.toServerMailbox(arg));
        }
        return out.toString();
    }

    /** LIST-EXTENDED: {@code LIST (SUBSCRIBED) "" "*"} carries its selection options before the reference. */
    private static boolean isListSelectOptions(String line, List<int[]> tokens, int cmd, String name) {
        return name.equals("LIST") && tokens.size() > cmd + 1 && line.charAt(tokens.get(cmd + 1)[0]) == '(';
    }

    private static String text(String line, int[] t) {
        return line.substring(t[0], t[1]);
    }

    /** Start/end offsets of the space-separated tokens; quoted strings and parenthesised lists are one token each. */
    private static List<int[]> tokens(String line) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            char c = line.charAt(i);
            if (c == '"') {
                i++;
                while (i < n && line.charAt(i) != '"') {
                    i += line.charAt(i) == '\\' ? 2 : 1;
                }
                i = Math.min(n, i + 1);
            } else if (c == '(') {
                int depth = 0;
                do {
                    char d = line.charAt(i);
                    depth += d == '(' ? 1 : d == ')' ? -1 : 0;
                    i++;
                } while (i < n && depth > 0);
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    i++;
                }
            }
            out.add(new int[] {start, i});
        }
        return out;
    }
}
