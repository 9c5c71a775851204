package mail.core.address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An RFC 5321 §4.1.3 address literal: {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}.
 *
 * <p>Held in canonical form (IPv4 without leading zeros; IPv6 per RFC 5952, lower-case, longest
 * zero run compressed, IPv4-mapped addresses in dotted notation) so that equal addresses compare
 * equal however they were written.
 *
 * <p>General address literals ({@code [tag:content]}) are rejected: RFC 5321 requires the tag to
 * be IANA-registered and none besides {@code IPv6} exists.
 */
public final class AddressLiteral implements DomainPart {

    // "[IPv6:" + the longest IPv6 text form (45) + "]" is 52; anything much longer is not worth
    // scanning.
    private static final int MAX_INPUT_LENGTH = 64;
    private static final String IPV6_TAG = "IPv6:";

    private final byte[] address;
    private final String text;

    private AddressLiteral(byte[] address, String text) {
        this.address = address;
        this.text = text;
    }

    /**
     * Parses the bracketed form.
     *
     * @throws InvalidAddressException if the text is not a valid IPv4 or IPv6 address literal
     */
    public static AddressLiteral parse(String input) {
        Objects.requireNonNull(input, "input");
        if (input.length() > MAX_INPUT_LENGTH) {
            throw new InvalidAddressException("address literal is too long", input);
        }
        if (input.length() < 2 || input.charAt(0) != '[' || input.charAt(input.length() - 1) != ']') {
            throw new InvalidAddressException("address literal must be enclosed in [ ]", input);
        }
        String content = input.substring(1, input.length() - 1);
        // ABNF literal strings are case-insensitive, so "ipv6:" is as valid as "IPv6:".
        if (content.regionMatches(true, 0, IPV6_TAG, 0, IPV6_TAG.length())) {
            byte[] bytes = parseIpv6(content.substring(IPV6_TAG.length()), input);
            return new AddressLiteral(bytes, "[IPv6:" + formatIpv6(bytes) + "]");
        }
        if (content.indexOf(':') >= 0) {
            throw new InvalidAddressException("unsupported general address literal (only IPv4 and IPv6)", input);
        }
        byte[] bytes = new byte[4];
        if (!parseIpv4(content, bytes, 0)) {
            throw new InvalidAddressException("invalid IPv4 address literal", input);
        }
        return new AddressLiteral(bytes, "[" + formatIpv4(bytes, 0) + "]");
    }

    /** RFC 5321 Snum: 1*3DIGIT with value 0-255, four of them separated by dots. */
    private static boolean parseIpv4(String s, byte[] out, int offset) {
        int part = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return false;
                }
                out[offset + part++] = (byte) value;
                digits = 0;
                value = 0;
            } else if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
                value = value * 10 + (c - '0');
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return part == 4;
    }

    /**
     * RFC 5321 IPv6-addr. Stricter than RFC 4291 in one respect: "::" must stand for at least two
     * zero groups, so at most six explicit groups (or four plus an IPv4 tail) may accompany it.
     */
    private static byte[] parseIpv6(String s, String input) {
        byte[] out = new byte[16];
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            throw new InvalidAddressException("IPv6 address literal has more than one '::'", input);
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        byte[] headBytes = new byte[16];
        byte[] tailBytes = new byte[16];
        // only the very end of the address may be dotted IPv4
        int headLen = parseGroups(head, headBytes, dbl < 0, input);
        int tailLen = parseGroups(tail, tailBytes, true, input);
        int total = headLen + tailLen;
        if (dbl < 0) {
            if (total != 16) {
                throw new InvalidAddressException("IPv6 address literal must have 8 groups", input);
            }
        } else if (total > 12) {
            throw new InvalidAddressException("IPv6 '::' must replace at least two groups", input);
        }
        System.arraycopy(headBytes, 0, out, 0, headLen);
        System.arraycopy(tailBytes, 0, out, 16 - tailLen, tailLen);
        return out;
    }

    /** Returns the number of bytes written. */
    private static int parseGroups(String s, byte[] out, boolean ipv4TailAllowed, String input) {
        if (s.isEmpty()) {
            return 0;
        }
        int n = 0;
        int start = 0;
        while (true) {
            int colon = s.indexOf(':', start);
            int end = colon < 0 ? s.length() : colon;
            String group = s.substring(start, end);
            if (colon < 0 && ipv4TailAllowed && group.indexOf('.') >= 0) {
                if (n > 12 || !parseIpv4(group, out, n)) {
                    throw new InvalidAddressException("invalid IPv4 part in IPv6 address literal", input);
                }
                return n + 4;
            }
            if (group.isEmpty() || group.length() > 4 || n == 16) {
                throw new InvalidAddressException("invalid IPv6 address literal", input);
            }
            int value = 0;
            for (int i = 0; i < group.length(); i++) {
                int d = hexValue(group.charAt(i));
                if (d < 0) {
                    throw new InvalidAddressException("invalid hex digit in IPv6 address literal", input);
                }
                value = value << 4 | d;
            }
            out[n++] = (byte) (value >> 8);
            out[n++] = (byte) value;
            if (colon < 0) {
                return n;
            }
            start = colon + 1;
        }
    }

    // Character.digit would also accept full-width and other non-ASCII digits.
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String formatIpv4(byte[] b, int offset) {
        return (b[offset] & 0xff) + "." + (b[offset + 1] & 0xff) + "." + (b[offset + 2] & 0xff) + "."
                + (b[offset + 3] & 0xff);
    }

    /** RFC 5952 §4 canonical text, with §5 mixed notation for IPv4-mapped addresses. */
    private static String formatIpv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + formatIpv4(b, 12);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is never compressed (RFC 5952 §4.2.2)
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    public boolean isIpv6() {
        return address.length == 16;
    }

    /** The address as an {@link InetAddress}; no DNS lookup is involved. */
    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("address is always 4 or 16 bytes", e);
        }
    }

    /** The canonical bracketed form, e.g. {@code [IPv6:2001:db8::1]}. */
    @Override
    public String asciiForm() {
        return text;
    }

    @Override
    public String unicodeForm() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressLiteral && ((AddressLiteral) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
