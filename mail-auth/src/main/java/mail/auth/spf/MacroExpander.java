package mail.auth.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** RFC 7208 §7 macro expansion of a domain-spec or an explanation string. */
final class MacroExpander {
    private static final String DELIMITERS = ".-+,/_=";

    /** The values macros stand for in one check_host() call. */
    record Context(InetAddress ip, String sender, String domain, String helo, String receiver) {
        String localPart() {
            int at = sender.lastIndexOf('@');
            return at <= 0 ? "postmaster" : sender.substring(0, at);
        }

        String senderDomain() {
            int at = sender.lastIndexOf('@');
            return at < 0 ? sender : sender.substring(at + 1);
        }
    }

    private MacroExpander() {
    }

    /**
     * @param explanation whether c, r and t are allowed (only in exp= text)
     * @throws SpfSyntaxException for a malformed macro, which makes the record a permerror
     */
    static String expand(String spec, Context ctx, boolean explanation) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c != '%') {
                if (c < 0x21 || c > 0x7e) {
                    if (!(explanation && c == ' ')) {
                        throw new SpfSyntaxException("invalid character in macro-string");
                    }
                }
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= spec.length()) {
                throw new SpfSyntaxException("a lone '%' ends the macro-string");
            }
            char next = spec.charAt(i + 1);
            if (next == '%') {
                out.append('%');
                i += 2;
            } else if (next == '_') {
                out.append(' ');
                i += 2;
            } else if (next == '-') {
                out.append("%20");
                i += 2;
            } else if (next == '{') {
                int close = spec.indexOf('}', i + 2);
                if (close < 0) {
                    throw new SpfSyntaxException("unterminated macro");
                }
                out.append(macro(spec.substring(i + 2, close), ctx, explanation));
                i = close + 1;
            } else {
                throw new SpfSyntaxException("'%' must be followed by '{', '%', '_' or '-'");
            }
        }
        return out.toString();
    }

    private static String macro(String body, Context ctx, boolean explanation) {
        if (body.isEmpty()) {
            throw new SpfSyntaxException("empty macro");
        }
        char letter = body.charAt(0);
        boolean escape = Character.isUpperCase(letter);
        String value = value(Character.toLowerCase(letter), ctx, explanation);
        int i = 1;
        int digits = 0;
        boolean hasDigits = false;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            digits = Math.min(1000, digits * 10 + (body.charAt(i) - '0'));
            hasDigits = true;
            i++;
        }
        if (hasDigits && digits == 0) {
            throw new SpfSyntaxException("a macro may not keep zero labels");
        }
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (char d : delimiters.toCharArray()) {
            if (DELIMITERS.indexOf(d) < 0) {
                throw new SpfSyntaxException("invalid delimiter '" + d + "' in macro");
            }
        }
        if (hasDigits || reverse || !delimiters.isEmpty()) {
            List<String> parts = split(value, delimiters.isEmpty() ? "." : delimiters);
            if (reverse) {
                Collections.reverse(parts);
            }
            if (hasDigits && digits < parts.size()) {
                parts = parts.subList(parts.size() - digits, parts.size());
            }
            value = String.join(".", parts);
        }
        return escape ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value;
    }

    private static List<String> split(String value, String delimiters) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (delimiters.indexOf(c) >= 0) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static String value(char letter, Context ctx, boolean explanation) {
        switch (letter) {
            case 's':
                return ctx.sender();
            case 'l':
                return ctx.localPart();
            case 'o':
                return ctx.senderDomain();
            case 'd':
                return ctx.domain();
            case 'i':
                return dotted(ctx.ip());
            case 'p':
                // RFC 7208 §7.3: SHOULD NOT be used; "unknown" is a permitted value and costs no DNS lookups
                return "unknown";
            case 'v':
                return ctx.ip() instanceof Inet6Address ? "ip6" : "in-addr";
            case 'h':
                return ctx.helo();
            default:
                if (explanation && letter == 'c') {
                    return ctx.ip().getHostAddress();
                }
                if (explanation && letter == 'r') {
                    return ctx.receiver();
                }
                if (explanation && letter == 't') {
                    return Long.toString(Instant.now().getEpochSecond());
                }
                throw new SpfSyntaxException("unknown macro letter '" + letter + "'");
        }
    }

    /** %{i}: dotted quad, or for IPv6 32 dot-separated nibbles. */
    static String dotted(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        StringBuilder b = new StringBuilder();
        for (byte x : ip.getAddress()) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append('.').append(Character.forDigit(x & 0xf, 16)).append('.');
        }
        return b.substring(0, b.length() - 1).toLowerCase(Locale.ROOT);
    }
}
