package mail.smtp.protocol;

/**
 * The "xtext" encoding of RFC 3461 §4, used by ENVID, ORCPT and AUTH=, and the RFC 6533 §3
 * encodings of {@code utf-8} addresses in ORCPT.
 *
 * <pre>
 * xtext   = *( xchar / hexchar )
 * xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except for "+" and "="
 * hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
 * </pre>
 *
 * Decoding is strict: lower-case hex digits, a truncated {@code +H}, a bare {@code =}, a space or a
 * non-ASCII character are errors, not something to guess about. A hexchar may encode any ASCII
 * character, including ones that did not need it ({@code +41} is {@code A}); it may not encode an
 * octet above 127, because xtext carries US-ASCII text.
 */
public final class Xtext {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Xtext() {
    }

    /** @throws IllegalArgumentException if {@code xtext} is not valid xtext */
    public static String decode(String xtext) {
        StringBuilder sb = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    throw new IllegalArgumentException("truncated hexchar at index " + i);
                }
                int hi = upperHexValue(xtext.charAt(i + 1));
                int lo = upperHexValue(xtext.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException(
                            "'+' must be followed by two upper-case hex digits at index " + i);
                }
                int value = hi << 4 | lo;
                if (value > 0x7f) {
                    throw new IllegalArgumentException("hexchar above 7F at index " + i);
                }
                sb.append((char) value);
                i += 2;
            } else if (isXchar(c)) {
                sb.append(c);
            } else {
                throw new IllegalArgumentException(describe(c) + " must be encoded at index " + i);
            }
        }
        return sb.toString();
    }

    /** @throws IllegalArgumentException if {@code text} contains a non-ASCII character */
    public static String encode(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                throw new IllegalArgumentException("xtext cannot carry non-ASCII characters (index " + i + ")");
            }
            if (isXchar(c)) {
                sb.append(c);
            } else {
                sb.append('+').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /**
     * Decodes the {@code utf-8-addr-xtext} or, when {@code allowUtf8} (an SMTPUTF8 transaction),
     * the {@code utf-8-addr-unitext} form of RFC 6533 §3:
     *
     * <pre>
     * utf-8-addr-xtext    = 1*(QCHAR / EmbeddedUnicodeChar)
     * utf-8-addr-unitext  = 1*(QUCHAR / EmbeddedUnicodeChar)
     * QCHAR               = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e   ; no "+", "=", "\"
     * QUCHAR              = QCHAR / UTF8-2 / UTF8-3 / UTF8-4
     * EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"                 ; \x{HEXPOINT}
     * </pre>
     *
     * An escape must stand for something QCHAR cannot express: {@code \}, {@code +}, {@code =} or a
     * non-ASCII code point. Escaped control characters and spaces, which HEXPOINT technically
     * admits, are refused because no mailbox contains them. Hex digits are accepted in either case
     * (ABNF strings are case-insensitive) but leading zeros are not, as HEXPOINT excludes them.
     *
     * @throws IllegalArgumentException if the text is not in that form
     */
    public static String decodeUtf8Address(String text, boolean allowUtf8) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("utf-8 address is empty");
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == '\\') {
                int close = text.indexOf('}', i);
                if (!text.startsWith("\\x{", i) || close < 0) {
                    throw new IllegalArgumentException("'\\' must start a \\x{...} escape at index " + i);
                }
                sb.appendCodePoint(parseHexPoint(text.substring(i + 3, close), i));
                i = close + 1;
                continue;
            }
            if (cp < 0x80) {
                if (!isQchar(cp)) {
                    throw new IllegalArgumentException(describe((char) cp) + " must be escaped at index " + i);
                }
            } else if (!allowUtf8) {
                throw new IllegalArgumentException("non-ASCII character needs an SMTPUTF8 transaction or "
                        + "a \\x{...} escape at index " + i);
            } else if ((cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
                    || Character.isISOControl(cp)) {
                // codePointAt returns an unpaired surrogate as itself
                throw new IllegalArgumentException("invalid character at index " + i);
            }
            sb.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static int parseHexPoint(String hex, int index) {
        if (hex.length() < 2 || hex.length() > 6 || hex.charAt(0) == '0') {
            throw new IllegalArgumentException("malformed \\x{...} escape at index " + index);
        }
        int cp = 0;
        for (int j = 0; j < hex.length(); j++) {
            int d = hexValue(hex.charAt(j));
            if (d < 0) {
                throw new IllegalArgumentException("malformed \\x{...} escape at index " + index);
            }
            cp = cp << 4 | d;
        }
        boolean needsEscape = cp == '\\' || cp == '+' || cp == '=' || cp >= 0x80;
        if (!needsEscape || cp > Character.MAX_CODE_POINT
                || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
                || Character.isISOControl(cp)) {
            throw new IllegalArgumentException("\\x{" + hex + "} does not encode a permitted character");
        }
        return cp;
    }

    private static boolean isXchar(char c) {
        return c >= '!' && c <= '~' && c != '+' && c != '=';
    }

    private static boolean isQchar(int c) {
        return c >= '!' && c <= '~' && c != '+' && c != '=' && c != '\\';
    }

    private static int hexValue(char c) {
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : upperHexValue(c);
    }

    private static int upperHexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f) {
            return String.format("control character U+%04X", (int) c);
        }
        if (c == ' ') {
            return "space";
        }
        if (c > 0x7f) {
            return "non-ASCII character";
        }
        return "'" + c + "'";
    }
}
