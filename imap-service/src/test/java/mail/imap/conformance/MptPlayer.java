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

/**
 * Plays an {@link MptScript} over real connections, one per {@code SESSION}, opened on first use through
 * {@link Connector} (which brings each connection to the script's starting state). Server lines are compared with
 * {@link LenientMatcher}; a mismatch fails with the script line, the expectation and what the server sent.
 */
final class MptPlayer {

    /** Opens a connection ({@link Conversation#attach}) and brings it to the state the script assumes (greeting read, logged in, ...). */
    interface Connector {
        void connect(int session, Conversation conversation) throws IOException;
    }

    private final MptScript script;
    private final Connector connector;
    private final Map<Integer, Conversation> sessions = new TreeMap<>();

    MptPlayer(MptScript script, Connector connector) {
        this.script = script;
        this.connector = connector;
    }

    void play() throws IOException {
        try {
            for (MptScript.Step step : script.steps()) {
                if (step instanceof MptScript.Reconnect) {
                    closeAll();
                } else if (step instanceof MptScript.Pause p) {
                    // James waits for its asynchronous indexer; SEARCH here reads MongoDB directly
                    sleep(Math.min(p.millis(), 500));
                } else {
                    Conversation c = session(step.session());
                    if (step instanceof MptScript.Send s) {
                        c.send(s.text());
                    } else if (step instanceof MptScript.Expect e) {
                        c.expect(where(e.line()), e.regex());
                    } else if (step instanceof MptScript.Unordered u) {
                        c.expectUnordered(where(u.line()), u.expected());
                    }
                }
            }
        } finally {
            closeAll();
        }
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
            transcript.add("C: " + line);
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void expect(String where, String regex) throws IOException {
            while (true) {
                String got = next(where, regex);
                if (LenientMatcher.matches(regex, got)) {
                    return;
                }
                if (LenientMatcher.jamesOnly(regex)) {
                    unread.push(got);
                    return;
                }
                if (LenientMatcher.informational(got) && !regex.startsWith("\\* OK")) {
                    continue;
                }
                throw mismatch(where, "expected [" + regex + "] but got [" + got + "]");
            }
        }

        void expectUnordered(String where, List<MptScript.Expect> block) throws IOException {
            List<String> open = new ArrayList<>();
            for (MptScript.Expect e : block) {
                open.add(e.regex());
            }
            while (open.stream().anyMatch(r -> !LenientMatcher.jamesOnly(r))) {
                String got = next(where, open.toString());
                String hit = null;
                for (String r : open) {
                    if (LenientMatcher.matches(r, got)) {
                        hit = r;
                        break;
                    }
                }
                if (hit != null) {
                    open.remove(hit);
                } else if (!LenientMatcher.informational(got)) {
                    throw mismatch(where, "got [" + got + "] matching none of the unordered lines still expected " + open);
                }
            }
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
