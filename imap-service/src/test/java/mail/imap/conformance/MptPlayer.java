package mail.imap.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays an {@link MptScript} over real connections, one per {@code SESSION}, opened on first use through
 * {@link Connector} (which brings each connection to the script's starting state). Server lines are compared with
 * {@link LenientMatcher}; a mismatch fails with the script line, the expectation and what the server sent.
 */
final class MptPlayer {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

    /** Opens a connection ({@link Conversation#attach}) and brings it to the state the script assumes (greeting read, logged in, ...). */
    interface Connector {
        void connect(int session, Conversation conversation) throws IOException;
    }

    private final MptScript script;
    private final Connector connector;
    private final Map<Integer, Conversation> sessions = new TreeMap<>();
    private static final long SESSION_SWITCH_MILLIS = 500;
    private final Map<Integer, String> rfcAnswers;
    private int lastSession;

    /** @param rfcAnswers script line of a command → the tagged status the RFC asks for where James answers otherwise */
    MptPlayer(MptScript script, Connector connector, Map<Integer, String> rfcAnswers) {
        this.script = script;
        this.connector = connector;
        this.rfcAnswers = rfcAnswers;
    }

    void play() throws IOException {
        try {
            List<MptScript.Step> steps = script.steps();
            int i = 0;
            while (i < steps.size()) {
                MptScript.Step step = steps.get(i);
                if (step instanceof MptScript.Reconnect) {
                    closeAll();
                    i++;
                } else if (step instanceof MptScript.Pause p) {
                    // James waits for its asynchronous indexer; SEARCH here reads MongoDB directly
                    sleep(Math.min(p.millis(), 500));
                    i++;
                } else if (step instanceof MptScript.Send s) {
                    if (lastSession != 0 && s.session() != lastSession) {
                        // another session's change reaches this one through mailbox.changes (Kafka), within a second
                        // (issue 6); James delivers it in-process. NOOP re-reads at once, other commands report it
                        // once the event is in, so the runner gives it that time when the script switches session.
                        sleep(SESSION_SWITCH_MILLIS);
                    }
                    lastSession = s.session();
                    session(s.session()).send(s.text());
                    i++;
                    String status = rfcAnswers.get(s.line());
                    if (status != null) {
                        String tag = s.text().split(" ", 2)[0];
                        i = blockEnd(steps, i);
                        session(s.session()).expectBlock(where(s.line()) + " (the RFC's answer)",
                                List.of(new MptScript.Expect(s.session(), s.line(), Pattern.quote(tag) + " " + status + " .*")));
                    }
                } else {
                    int end = blockEnd(steps, i);
                    session(step.session()).expectBlock(where(lineOf(step)), expectations(steps.subList(i, end)));
                    i = end;
                }
            }
        } finally {
            closeAll();
        }
    }

    /** The server lines a script expects between two client lines of one session form one block. */
    static int blockEnd(List<MptScript.Step> steps, int from) {
        int session = steps.get(from).session();
        int end = from;
        while (end < steps.size() && steps.get(end).session() == session
                && (steps.get(end) instanceof MptScript.Expect || steps.get(end) instanceof MptScript.Unordered)) {
            end++;
        }
        return end;
    }

    static List<MptScript.Expect> expectations(List<MptScript.Step> block) {
        List<MptScript.Expect> out = new ArrayList<>();
        for (MptScript.Step st : block) {
            if (st instanceof MptScript.Expect e) {
                out.add(e);
            } else if (st instanceof MptScript.Unordered u) {
                out.addAll(u.expected());
            }
        }
        return out;
    }

    private static int lineOf(MptScript.Step step) {
        if (step instanceof MptScript.Expect e) {
            return e.line();
        }
        return step instanceof MptScript.Unordered u ? u.line() : 0;
    }

    private String where(int line) {
        return script.name() + ":" + line;
    }

    private Conversation session(int n) throws IOException {
        Conversation c = sessions.get(n);
        if (c == null) {
            c = new Conversation(script.name() + "#" + n);
            sessions.put(n, c);
            connector.connect(n, c);
        }
        return c;
    }

    private void closeAll() {
        for (Conversation c : sessions.values()) {
            c.close();
        }
        sessions.clear();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection: writes client lines, reads server lines (CRLF-terminated) and compares them. */
    static final class Conversation implements AutoCloseable {
        private final String name;
        private final Deque<String> unread = new ArrayDeque<>();
        private final List<String> transcript = new ArrayList<>();
        private long literalLeft;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Conversation(String name) {
            this.name = name;
        }

        void attach(Socket s) throws IOException {
            if (socket == null) {
                socket = s;
                in = new BufferedInputStream(s.getInputStream());
                out = s.getOutputStream();
            }
        }

        void send(String line) throws IOException {
            String sent = line;
            if (literalLeft > 0) {
                literalLeft -= line.getBytes(StandardCharsets.UTF_8).length + 2;
            } else {
                sent = MailboxArguments.toServer(line);
            }
            Matcher literal = LITERAL.matcher(sent);
            if (literal.find()) {
                literalLeft = Long.parseLong(literal.group(1));
            }
            transcript.add("C: " + sent);
            out.write((sent + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void expect(String where, String regex) throws IOException {
            expectBlock(where, List.of(new MptScript.Expect(0, 0, regex)));
        }

        /**
         * The server lines of one block, in order, except that the untagged single-line responses before one tagged (or
         * continuation) line may come in any order: RFC 9051 §7 does not order untagged data before the tagged reply.
         */
        void expectBlock(String where, List<MptScript.Expect> block) throws IOException {
            List<MptScript.Expect> pending = new ArrayList<>(readOnly(block));
            while (pending.stream().anyMatch(e -> !LenientMatcher.jamesOnly(e.regex()))) {
                MptScript.Expect head = pending.get(0);
                String got = next(where, head.regex());
                if (LenientMatcher.matches(head.regex(), got)) {
                    pending.remove(0);
                    continue;
                }
                if (LenientMatcher.jamesOnly(head.regex())) {
                    pending.remove(0);
                    unread.push(got);
                    continue;
                }
                String[] emptyLiteral = asEmptyLiteral(head.regex(), got);
                if (emptyLiteral != null) {
                    pending.remove(0);
                    unread.push(emptyLiteral[1]);
                    continue;
                }
                int hit = outOfOrder(pending, got);
                if (hit > 0) {
                    pending.remove(hit);
                } else if (LenientMatcher.informational(got)) {
                    continue;
                } else if (LenientMatcher.expectsBye(head.regex()) && got.matches("^[^* ]\\S* (NO|BAD) .*")) {
                    continue;
                } else {
                    String still = pending.size() == 1 ? "" : " (still expected: " + pending.stream().map(MptScript.Expect::regex).toList() + ")";
                    throw mismatch(where + (head.line() > 0 ? "@" + head.line() : ""), "expected [" + head.regex() + "] but got [" + got + "]" + still);
                }
            }
        }

        /**
         * James lists every flag in PERMANENTFLAGS of an EXAMINE; here none can be changed in a read-only mailbox, so
         * the list is empty (RFC 9051 §7.1: the flags the client can change permanently).
         */
        private static List<MptScript.Expect> readOnly(List<MptScript.Expect> block) {
            if (block.stream().noneMatch(e -> e.regex().contains("READ-ONLY"))) {
                return block;
            }
            List<MptScript.Expect> out = new ArrayList<>();
            for (MptScript.Expect e : block) {
                boolean permanent = e.regex().startsWith("\\* OK \\[PERMANENTFLAGS");
                out.add(permanent ? new MptScript.Expect(e.session(), e.line(), "\\* OK \\[PERMANENTFLAGS \\(\\)\\].*") : e);
            }
            return out;
        }

        /**
         * An empty string sent quoted ({@code ""}) where James sends the literal {@code {0}}: the same nstring
         * (RFC 9051 §4.3). Returns the line up to the literal announcement and what follows it, or null.
         */
        private static String[] asEmptyLiteral(String regex, String got) {
            if (!regex.endsWith("\\{0\\}")) {
                return null;
            }
            int at = got.indexOf(" \"\"");
            while (at >= 0) {
                String head = got.substring(0, at) + " {0}";
                if (LenientMatcher.matches(regex, head)) {
                    return new String[] {head, got.substring(at + 3)};
                }
                at = got.indexOf(" \"\"", at + 1);
            }
            return null;
        }

        /** An untagged one-line response expected later in the same tagged segment; -1 if none. */
        private static int outOfOrder(List<MptScript.Expect> pending, String got) {
            if (!got.startsWith("* ") || got.endsWith("}")) {
                return -1;
            }
            for (int k = 1; k < pending.size() && pending.get(k).regex().startsWith("\\*"); k++) {
                if (LenientMatcher.matches(pending.get(k).regex(), got)) {
                    return k;
                }
            }
            return -1;
        }

        /** Reads one server line; used by the set-up too. */
        String readLine() throws IOException {
            return next(name, "a line");
        }

        private String next(String where, String expected) throws IOException {
            if (!unread.isEmpty()) {
                return unread.pop();
            }
            String got = read();
            if (got == null) {
                throw mismatch(where, "expected [" + expected + "] but the connection was closed");
            }
            transcript.add("S: " + got);
            return got;
        }

        private AssertionError mismatch(String where, String what) {
            int from = Math.max(0, transcript.size() - 12);
            return new AssertionError(where + " (" + name + ") " + what + "\n  last lines:\n    "
                    + String.join("\n    ", transcript.subList(from, transcript.size())));
        }

        private String read() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                while (true) {
                    int c = in.read();
                    if (c < 0) {
                        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
                    }
                    if (c == '\n') {
                        byte[] bytes = b.toByteArray();
                        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                        return new String(bytes, 0, len, StandardCharsets.UTF_8);
                    }
                    b.write(c);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(name + ": no server line within the timeout (got so far: [" + b + "])\n    "
                        + String.join("\n    ", transcript.subList(Math.max(0, transcript.size() - 12), transcript.size())));
            } catch (java.net.SocketException e) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                // closing after the script: nothing left to check
            }
        }
    }
}
