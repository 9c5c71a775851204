package mail.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A structured MIME header value: {@code head *(";" name "=" value)} as in Content-Type and Content-Disposition.
 * Lenient on purpose (unquoted values with spaces, stray semicolons, comments, unterminated quotes) because the
 * alternative for a broken header is losing the part's name or boundary. RFC 2231 continuations ({@code name*0},
 * {@code name*1*}) and charset-encoded values ({@code name*=utf-8''%E2%82%AC}) are joined and decoded.
 */
record MimeValue(String head, Map<String, String> params) {

    static MimeValue parse(String value) {
        if (value == null) {
            return null;
        }
        String s = stripComments(value);
        int i = 0;
        int n = s.length();
        int semi = indexOfUnquoted(s, ';', 0);
        String head = (semi < 0 ? s : s.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
        i = semi < 0 ? n : semi + 1;
        List<String[]> raw = new ArrayList<>();
        while (i < n) {
            while (i < n && (s.charAt(i) == ';' || isWsp(s.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ';') {
                i++;
            }
            String name = s.substring(nameStart, i).trim().toLowerCase(java.util.Locale.ROOT);
            if (i >= n || s.charAt(i) == ';') {
                continue; // a parameter without value carries nothing
            }
            i++; // '='
            while (i < n && isWsp(s.charAt(i))) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            boolean quoted = i < n && s.charAt(i) == '"';
            if (quoted) {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        c = s.charAt(++i);
                    }
                    v.append(c);
                    i++;
                }
                i++;
                while (i < n && s.charAt(i) != ';') {
                    i++; // junk after the closing quote
                }
            } else {
                int end = s.indexOf(';', i);
                end = end < 0 ? n : end;
                v.append(s, i, end);
                i = end;
            }
            if (!name.isEmpty()) {
                // spaces inside quotes are data (an RFC 2231 section may end with one)
                raw.add(new String[] {name, quoted ? v.toString() : v.toString().strip()});
            }
        }
        return new MimeValue(head, join2231(raw));
    }

    private static Map<String, String> join2231(List<String[]> raw) {
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String[]>> sections = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (String[] p : raw) {
            String name = p[0];
            int star = name.indexOf('*');
            if (star < 0) {
                if (!plain.containsKey(name)) {
                    plain.put(name, p[1]);
                    if (!order.contains(name)) {
                        order.add(name);
                    }
                }
                continue;
            }
            String base = name.substring(0, star);
            String rest = name.substring(star + 1);
            boolean encoded = rest.endsWith("*") || rest.isEmpty();
            String number = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
            int index;
            if (number.isEmpty()) {
                index = 0;
            } else if (number.length() <= 4 && number.chars().allMatch(Character::isDigit)) {
                index = Integer.parseInt(number);
            } else {
                continue;
            }
            if (base.isEmpty()) {
                continue;
            }
            sections.computeIfAbsent(base, k -> new TreeMap<>()).putIfAbsent(index,
                    new String[] {encoded ? "*" : "", p[1]});
            if (!order.contains(base)) {
                order.add(base);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : order) {
            TreeMap<Integer, String[]> parts = sections.get(name);
            out.put(name, parts != null ? decodeSections(parts) : plain.get(name));
        }
        return out;
    }

    private static String decodeSections(TreeMap<Integer, String[]> parts) {
        Charset charset = StandardCharsets.UTF_8;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (String[] part : parts.values()) {
            String value = part[1];
            boolean encoded = !part[0].isEmpty();
            if (first && encoded) {
                int q1 = value.indexOf('\'');
                int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
                if (q2 > 0) {
                    Charset named = Charsets.lookup(value.substring(0, q1));
                    charset = named != null ? named : StandardCharsets.UTF_8;
                    value = value.substring(q2 + 1);
                }
            }
            first = false;
            if (encoded) {
                percentDecode(value, bytes);
            } else {
                bytes.writeBytes(value.getBytes(charset));
            }
        }
        return Charsets.decode(bytes.toByteArray(), charset);
    }

    private static void percentDecode(String s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
    }

    static String stripComments(String s) {
        if (s.indexOf('(') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (quoted || depth > 0)) {
                if (depth == 0) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (depth == 0 && c == '"') {
                quoted = !quoted;
                out.append(c);
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && depth > 0) {
                depth--;
                if (depth == 0) {
                    out.append(' ');
                }
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int indexOfUnquoted(String s, char wanted, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
