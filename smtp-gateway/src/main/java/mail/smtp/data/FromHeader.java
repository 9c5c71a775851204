package mail.smtp.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The addresses of a message's From: field (RFC 5322 §3.6.2), read from the header section only. Submission uses it
 * to make sure an account writes in its own name; a full RFC 5322 parser is not needed for that, but quoting, comments,
 * groups and folding must not fool it.
 */
public final class FromHeader {
    private FromHeader() {
    }

    /** What the header section says. {@code count} is how many From: fields there are (RFC 5322 allows exactly one). */
    public record Result(int count, List<String> addresses) {
    }

    public static Result read(InputStream in, int maxHeaderBytes) throws IOException {
        String headers = headerSection(in, maxHeaderBytes);
        List<String> values = new ArrayList<>();
        String current = null;
        for (String line : headers.split("\r\n", -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (current != null) {
                    current += line;
                }
                continue;
            }
            if (current != null) {
                values.add(current);
                current = null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("from")) {
                current = line.substring(colon + 1);
            }
        }
        if (current != null) {
            values.add(current);
        }
        List<String> addresses = new ArrayList<>();
        for (String v : values) {
            addresses.addAll(addresses(v));
        }
        return new Result(values.size(), addresses);
    }

    private static String headerSection(InputStream in, int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        for (int c; b.size() < max && (c = in.read()) >= 0; ) {
            b.write(c);
            // CR LF CR LF ends the header section
            state = switch (state) {
                case 0, 2 -> c == '\r' ? state + 1 : 0;
                case 1 -> c == '\n' ? 2 : (c == '\r' ? 1 : 0);
                case 3 -> c == '\n' ? 4 : (c == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                break;
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The addr-specs of an address list: angle addresses, bare addr-specs, and the members of groups. */
    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        StringBuilder angle = null;
        boolean quoted = false;
        int comment = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || comment > 0) && i + 1 < value.length()) {
                i++;
                if (quoted && angle == null) {
                    plain.append(value.charAt(i));
                }
                continue;
            }
            if (comment > 0) {
                comment += c == '(' ? 1 : c == ')' ? -1 : 0;
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
                (angle != null ? angle : plain).append(c);
                continue;
            }
            if (quoted) {
                (angle != null ? angle : plain).append(c);
                continue;
            }
            switch (c) {
                case '(' -> comment = 1;
                case '<' -> angle = new StringBuilder();
                case '>' -> {
                    if (angle != null) {
                        add(out, angle.toString());
                        angle = null;
                        plain.setLength(0);
                        plain.append('\u0000');
                    }
                }
                case ',', ';' -> {
                    flush(out, plain);
                }
                case ':' -> {
                    if (angle == null) {
                        // a group's display name ends here; its members follow
                        plain.setLength(0);
                    } else {
                        angle.append(c);
                    }
                }
                default -> (angle != null ? angle : plain).append(c);
            }
        }
        flush(out, plain);
        return out;
    }

    private static void flush(List<String> out, StringBuilder plain) {
        String s = plain.toString();
        plain.setLength(0);
        if (s.indexOf('\u0000') >= 0) {
            return;
        }
        add(out, s);
    }

    private static void add(List<String> out, String raw) {
        String s = raw.trim();
        int routeEnd = s.startsWith("@") ? s.indexOf(':') : -1;
        if (routeEnd > 0) {
            s = s.substring(routeEnd + 1).trim();
        }
        if (!s.isEmpty()) {
            out.add(s.replaceAll("\\s+", ""));
        }
    }
}
