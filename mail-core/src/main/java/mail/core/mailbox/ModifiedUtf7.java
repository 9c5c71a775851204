package mail.core.mailbox;

/**
 * The IMAP4rev1 mailbox name encoding of RFC 3501 §5.1.3. Decoding is strict: every name has
 * exactly one valid encoding, so that two clients can never address the same mailbox under two
 * different spellings (or smuggle '/' or '&' past a check on the encoded form).
 */
final class ModifiedUtf7 {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();

    private ModifiedUtf7() {
    }

    static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '&') {
                out.append("&-");
                i++;
            } else if (isPrintableAscii(c)) {
                out.append(c);
                i++;
            } else {
                // one shift for the whole run: splitting it would be a non-canonical encoding
                out.append('&');
                int buffer = 0;
                int bits = 0;
                while (i < n && !isPrintableAscii(s.charAt(i))) {
                    buffer = buffer << 16 | s.charAt(i++);
                    bits += 16;
                    while (bits >= 6) {
                        bits -= 6;
                        out.append(ALPHABET[buffer >> bits & 0x3f]);
                    }
                    buffer &= (1 << bits) - 1;
                }
                if (bits > 0) {
                    out.append(ALPHABET[buffer << (6 - bits) & 0x3f]);
                }
                out.append('-');
            }
        }
        return out.toString();
    }

    static String decode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        boolean afterShift = false;
        while (i < n) {
            char c = s.charAt(i);
            if (!isPrintableAscii(c)) {
                throw new InvalidMailboxNameException(
                        "modified UTF-7 name contains a character that is not printable US-ASCII", s);
            }
            if (c != '&') {
                out.append(c);
                afterShift = false;
                i++;
                continue;
            }
            if (i + 1 < n && s.charAt(i + 1) == '-') {
                out.append('&');
                afterShift = false;
                i += 2;
                continue;
            }
            if (afterShift) {
                throw new InvalidMailboxNameException(
                        "adjacent modified BASE64 shifts must be merged into one", s);
            }
            i = decodeShift(s, i + 1, out);
            afterShift = true;
        }
        return out.toString();
    }

    /** Decodes the BASE64 run starting at {@code start}; returns the index after its '-'. */
    private static int decodeShift(String s, int start, StringBuilder out) {
        int buffer = 0;
        int bits = 0;
        int units = 0;
        char pendingHigh = 0;
        int i = start;
        for (; i < s.length() && s.charAt(i) != '-'; i++) {
            int v = base64Value(s.charAt(i));
            if (v < 0) {
                throw new InvalidMailboxNameException(
                        "invalid character '" + s.charAt(i) + "' in modified BASE64", s);
            }
            buffer = buffer << 6 | v;
            bits += 6;
            if (bits < 16) {
                continue;
            }
            bits -= 16;
            char unit = (char) (buffer >> bits);
            buffer &= (1 << bits) - 1;
            units++;
            if (pendingHigh != 0) {
                if (!Character.isLowSurrogate(unit)) {
                    throw new InvalidMailboxNameException("unpaired UTF-16 surrogate in modified BASE64", s);
                }
                out.append(pendingHigh).append(unit);
                pendingHigh = 0;
            } else if (Character.isHighSurrogate(unit)) {
                pendingHigh = unit;
            } else if (Character.isLowSurrogate(unit)) {
                throw new InvalidMailboxNameException("unpaired UTF-16 surrogate in modified BASE64", s);
            } else if (isPrintableAscii(unit)) {
                throw new InvalidMailboxNameException(
                        "modified BASE64 encodes printable US-ASCII '" + unit + "', which must represent itself",
                        s);
            } else {
                out.append(unit);
            }
        }
        if (i >= s.length()) {
            throw new InvalidMailboxNameException("'&' shift is not terminated by '-'", s);
        }
        if (pendingHigh != 0) {
            throw new InvalidMailboxNameException("unpaired UTF-16 surrogate in modified BASE64", s);
        }
        if (bits >= 8) {
            throw new InvalidMailboxNameException("modified BASE64 decodes to an odd number of octets", s);
        }
        if (units == 0 || bits >= 6) {
            throw new InvalidMailboxNameException("truncated modified BASE64", s);
        }
        if (buffer != 0) {
            throw new InvalidMailboxNameException("modified BASE64 has non-zero padding bits", s);
        }
        return i + 1;
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == ',') {
            return 63;
        }
        return -1;
    }

    private static boolean isPrintableAscii(char c) {
        return c >= 0x20 && c <= 0x7e;
    }
}
