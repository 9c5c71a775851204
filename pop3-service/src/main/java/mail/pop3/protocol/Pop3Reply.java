package mail.pop3.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One reply: a status line, and for multi-line replies (RFC 1939 §3) the lines that follow it, dot-stuffed and
 * ended by "." when encoded. Message bodies are not replies: they are streamed by {@link DotStuffer}.
 */
public record Pop3Reply(boolean ok, String text, List<String> lines) {

    public Pop3Reply {
        lines = lines == null ? null : List.copyOf(lines);
    }

    public static Pop3Reply ok(String text) {
        return new Pop3Reply(true, text, null);
    }

    public static Pop3Reply err(String text) {
        return new Pop3Reply(false, text, null);
    }

    /** RFC 2449 §8 response code in brackets, e.g. {@code err(Code.IN_USE, "…")}. */
    public static Pop3Reply err(Code code, String text) {
        return new Pop3Reply(false, "[" + code.wire() + "] " + text, null);
    }

    public static Pop3Reply multiLine(String text, List<String> lines) {
        return new Pop3Reply(true, text, lines);
    }

    public boolean multiLine() {
        return lines != null;
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        line(out, (ok ? "+OK" : "-ERR") + (text.isEmpty() ? "" : " " + text));
        if (lines != null) {
            for (String l : lines) {
                line(out, l.startsWith(".") ? "." + l : l);
            }
            line(out, ".");
        }
        return out.toByteArray();
    }

    private static void line(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /** RFC 2449 §8, RFC 3206 and RFC 8437 response codes. */
    public enum Code {
        IN_USE("IN-USE"),
        SYS_TEMP("SYS/TEMP"),
        SYS_PERM("SYS/PERM"),
        AUTH("AUTH");

        private final String wire;

        Code(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
