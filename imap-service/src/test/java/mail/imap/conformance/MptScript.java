package mail.imap.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * An Apache James MPT protocol script: {@code C:} client lines, {@code S:} regular expressions for server lines,
 * {@code SUB { }} blocks of server lines in any order, {@code SESSION: n} to switch connection, {@code REINIT} to
 * reconnect, {@code WAIT ms}; {@code LOG}, {@code TIMER}, {@code AWAIT} and {@code #} comments carry no protocol.
 */
record MptScript(String name, List<Step> steps) {

    sealed interface Step permits Send, Expect, Unordered, Reconnect, Pause {
        int session();
    }

    /** One client line, sent with CRLF. */
    record Send(int session, int line, String text) implements Step {
    }

    /** The next server line must match {@code regex}. */
    record Expect(int session, int line, String regex) implements Step {
    }

    /** The next {@code expected.size()} server lines, in any order. */
    record Unordered(int session, int line, List<Expect> expected) implements Step {
    }

    /** Every connection is closed; the next step opens a fresh one with the script's set-up. */
    record Reconnect(int session, int line) implements Step {
    }

    record Pause(int session, int line, long millis) implements Step {
    }

    static MptScript parse(String name, String text) {
        List<Step> steps = new ArrayList<>();
        List<Expect> block = null;
        int blockLine = 0;
        int session = 1;
        int n = 0;
        for (String raw : text.split("\r?\n", -1)) {
            n++;
            String l = stripTrailing(raw);
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (block != null) {
                if (l.trim().equals("}")) {
                    steps.add(new Unordered(session, blockLine, List.copyOf(block)));
                    block = null;
                } else if (l.startsWith("S: ")) {
                    block.add(new Expect(session, n, l.substring(3)));
                } else {
                    throw new IllegalArgumentException(name + ":" + n + " only S: lines may stand in a SUB block: " + l);
                }
                continue;
            }
            if (l.equals("C:") || l.startsWith("C: ")) {
                steps.add(new Send(session, n, l.length() > 3 ? raw.substring(3) : ""));
            } else if (l.startsWith("S: ")) {
                steps.add(new Expect(session, n, l.substring(3)));
            } else if (l.equals("S:")) {
                // an empty server line (inside a literal)
                steps.add(new Expect(session, n, ""));
            } else if (l.equals("SUB {")) {
                block = new ArrayList<>();
                blockLine = n;
            } else if (l.startsWith("SESSION:")) {
                session = Integer.parseInt(l.substring("SESSION:".length()).trim());
            } else if (l.equals("REINIT")) {
                steps.add(new Reconnect(session, n));
            } else if (l.startsWith("WAIT ")) {
                steps.add(new Pause(session, n, Long.parseLong(l.substring(5).trim())));
            } else if (l.startsWith("LOG ") || l.startsWith("TIMER ") || l.equals("AWAIT")) {
                continue;
            } else {
                throw new IllegalArgumentException(name + ":" + n + " unknown script line: " + l);
            }
        }
        if (block != null) {
            throw new IllegalArgumentException(name + ":" + blockLine + " SUB block is not closed");
        }
        return new MptScript(name, List.copyOf(steps));
    }

    /** Scripts keep trailing blanks in C: lines of literals; only CR and the line end are dropped. */
    private static String stripTrailing(String raw) {
        return raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
    }

    /** The first client line of the script, or null. */
    String firstCommand() {
        for (Step s : steps) {
            if (s instanceof Send send) {
                return send.text();
            }
        }
        return null;
    }

    boolean startsWithGreeting() {
        return !steps.isEmpty() && steps.get(0) instanceof Expect e && e.regex().startsWith("\\* OK");
    }
}
