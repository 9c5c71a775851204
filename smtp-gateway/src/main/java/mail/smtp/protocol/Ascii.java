package mail.smtp.protocol;

import mail.core.text.Octets;

/**
 * ASCII-only character helpers. SMTP verbs, keywords and parameter values are ASCII, and the JDK's
 * case-insensitive methods fold non-ASCII characters onto ASCII ones ({@code "ſ"} U+017F upper-cases
 * to {@code 'S'}, the Kelvin sign lower-cases to {@code 'k'}), which would let {@code "LAſT"} pass as
 * {@code LAST}. Everything here folds only {@code a-z}.
 */
final class Ascii {

    private Ascii() {
    }

    static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static char toUpper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }

    /** Upper-cases ASCII letters and leaves every other character alone. */
    static String toUpper(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = toUpper(chars[i]);
        }
        return new String(chars);
    }

    static boolean equalsIgnoreCase(String s, String upperCaseExpected) {
        return s.length() == upperCaseExpected.length() && startsWithIgnoreCase(s, 0, upperCaseExpected);
    }

    static boolean startsWithIgnoreCase(String s, int offset, String upperCasePrefix) {
        if (s.length() - offset < upperCasePrefix.length()) {
            return false;
        }
        for (int i = 0; i < upperCasePrefix.length(); i++) {
            if (toUpper(s.charAt(offset + i)) != upperCasePrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean isAscii(String s) {
        return Octets.isAscii(s);
    }

    static int utf8Length(String s) {
        return Octets.utf8Length(s);
    }
}
