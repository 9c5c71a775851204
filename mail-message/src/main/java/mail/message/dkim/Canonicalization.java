package mail.message.dkim;

import java.util.Locale;

/** The c= algorithms of RFC 6376 §3.4. */
enum Canonicalization {
    SIMPLE, RELAXED;

    static Canonicalization parse(String s) {
        if ("simple".equals(s)) {
            return SIMPLE;
        }
        if ("relaxed".equals(s)) {
            return RELAXED;
        }
        throw new IllegalArgumentException(s);
    }

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One header field in canonical form, ending in CRLF. */
    String header(String rawField) {
        if (this == SIMPLE) {
            return rawField;
        }
        int colon = rawField.indexOf(':');
        String name = colon < 0 ? rawField : rawField.substring(0, colon);
        String value = colon < 0 ? "" : rawField.substring(colon + 1);
        return stripWsp(name).toLowerCase(Locale.ROOT) + ":" + relaxValue(value) + "\r\n";
    }

    /** §3.4.2: unfold, every run of WSP to one SP, none at either end. */
    static String relaxValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (c == ' ' || c == '\t') {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(c);
        }
        return out.toString();
    }

    private static String stripWsp(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }
}
