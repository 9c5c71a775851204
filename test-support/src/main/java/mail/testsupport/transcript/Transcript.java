package mail.testsupport.transcript;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Plays a C:/S: conversation against a server over a real socket and checks every server line.
 *
 * <pre>
 * # comment
 * C: EHLO client.test          a line sent with CRLF
 * C+ MAIL FROM:&lt;a@b&gt;           sent together with the following C/C+ lines, without waiting (pipelining)
 * R: line\r\nwith bare \n       raw bytes: \r \n \t \\ and \xHH escapes, nothing appended
 * S: 250-*                     one server line; * matches anything, ? one character
 * S~ 250 .*Ok.*                 one server line matched by a regular expression
 * CLOSED                       the server has closed the connection
 * </pre>
 */
public final class Transcript {
    private final List<String> lines;
    private final String name;

    private Transcript(String name, List<String> lines) {
        this.name = name;
        this.lines = lines;
    }

    public static Transcript parse(String name, String text) {
        return new Transcript(name, text.lines().toList());
    }

    public static Transcript load(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void run(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(15_000);
            run(s.getInputStream(), s.getOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    public void run(InputStream rawIn, OutputStream out) throws IOException {
        InputStream in = new BufferedInputStream(rawIn);
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int n = 0;
        for (String l : lines) {
            n++;
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            String where = name + ":" + n + " ";
            if (l.startsWith("C+ ") || l.equals("C+")) {
                pending.writeBytes(((l.length() > 3 ? l.substring(3) : "") + "\r\n").getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (l.startsWith("C: ") || l.equals("C:")) {
                pending.writeBytes(((l.length() > 3 ? l.substring(3) : "") + "\r\n").getBytes(StandardCharsets.UTF_8));
                flush(pending, out);
                continue;
            }
            if (l.startsWith("R: ")) {
                pending.writeBytes(unescape(l.substring(3)));
                flush(pending, out);
                continue;
            }
            flush(pending, out);
            if (l.startsWith("S: ") || l.startsWith("S~ ")) {
                String got = readLine(in);
                if (got == null) {
                    throw new AssertionError(where + "expected [" + l.substring(3) + "] but the connection was closed");
                }
                Pattern p = l.startsWith("S: ") ? glob(l.substring(3)) : Pattern.compile(l.substring(3));
                if (!p.matcher(got).matches()) {
                    throw new AssertionError(where + "expected [" + l.substring(3) + "] but got [" + got + "]");
                }
            } else if (l.equals("CLOSED")) {
                String got = readLine(in);
                if (got != null) {
                    throw new AssertionError(where + "expected the connection to be closed but got [" + got + "]");
                }
            } else {
                throw new IllegalArgumentException(where + "unknown transcript line: " + l);
            }
        }
        flush(pending, out);
    }

    private static void flush(ByteArrayOutputStream pending, OutputStream out) throws IOException {
        if (pending.size() > 0) {
            out.write(pending.toByteArray());
            out.flush();
            pending.reset();
        }
    }

    /** A server line without its CRLF; null at end of stream. Server lines must end in CRLF. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
                }
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                        throw new AssertionError("server line without CRLF: " + b.toString(StandardCharsets.UTF_8));
                    }
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                b.write(c);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer from the server within the timeout (got so far: [" + b + "])");
        } catch (java.net.SocketException e) {
            return null;
        }
    }

    private static Pattern glob(String g) {
        StringBuilder r = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> r.append(".*");
                case '?' -> r.append('.');
                default -> r.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(r.toString(), Pattern.DOTALL);
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> b.write('\r');
                case 'n' -> b.write('\n');
                case 't' -> b.write('\t');
                case '\\' -> b.write('\\');
                case 'x' -> {
                    b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            }
        }
        return b.toByteArray();
    }

    public List<String> lines() {
        return new ArrayList<>(lines);
    }
}
