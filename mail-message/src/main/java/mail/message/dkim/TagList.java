package mail.message.dkim;

import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 6376 §3.2 tag=value lists, as in DKIM-Signature fields and key records. */
final class TagList {

    /** A syntax error; its message is the reason reported. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private TagList() {
    }

    /** Tag names to values with surrounding folding white space removed; inner folding is kept. */
    static Map<String, String> parse(String list) throws SyntaxException {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] specs = list.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = specs[i];
            if (isBlank(spec)) {
                if (i == specs.length - 1 && i > 0) {
                    break;
                }
                throw new SyntaxException(specs.length == 1 ? "empty tag list" : "empty tag between ';'");
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new SyntaxException("tag without '=': " + shorten(trim(spec)));
            }
            String name = trim(spec.substring(0, eq));
            if (!validName(name)) {
                throw new SyntaxException("invalid tag name '" + shorten(name) + "'");
            }
            String value = trim(spec.substring(eq + 1));
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                boolean fws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
                if (!fws && (c < 0x21 || c > 0x7e)) {
                    throw new SyntaxException("invalid character in the value of " + name + "=");
                }
            }
            if (tags.putIfAbsent(name, value) != null) {
                throw new SyntaxException("duplicate tag " + name + "=");
            }
        }
        return tags;
    }

    /** The field with the value of its b= tag removed (§3.5 "b=" description), all else untouched. */
    static String withoutSignature(String rawField) {
        int colon = rawField.indexOf(':');
        StringBuilder out = new StringBuilder(rawField.length());
        out.append(rawField, 0, colon + 1);
        int start = colon + 1;
        while (start <= rawField.length()) {
            int end = rawField.indexOf(';', start);
            if (end < 0) {
                end = rawField.length();
            }
            String spec = rawField.substring(start, end);
            int eq = spec.indexOf('=');
            if (eq >= 0 && "b".equals(trim(spec.substring(0, eq)))) {
                out.append(spec, 0, eq + 1);
                // keep the field's line end: only the value goes
                if (end == rawField.length() && spec.endsWith("\r\n")) {
                    out.append("\r\n");
                }
            } else {
                out.append(spec);
            }
            if (end < rawField.length()) {
                out.append(';');
            }
            start = end + 1;
        }
        return out.toString();
    }

    /** The value without any white space, for base64 tags. */
    static String compact(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && isFws(s.charAt(b))) {
            b++;
        }
        while (e > b && isFws(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isBlank(String s) {
        return trim(s).isEmpty();
    }

    private static boolean validName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.charAt(0)) || name.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }
}
