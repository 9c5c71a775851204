package mail.smtp.data;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The trace header this server prepends to each accepted message (RFC 5321 §4.4), for example:
 *
 * <pre>
 * Received: from client.example.org (client.example.org [192.0.2.7])
 *     by mx.example.com (mailplatform) with ESMTPSA id 01HZX3K8Q2
 *     (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)
 *     (authenticated user alice@example.com)
 *     for &lt;bob@example.com&gt;; Tue, 1 Jul 2025 10:52:37 +0200
 * </pre>
 *
 * @param helo              the EHLO/HELO argument exactly as the client sent it; it is sanitized when rendered
 * @param reverseDns        the client's forward-confirmed reverse DNS name, if any; dropped unless it looks like
 *                          a host name, since PTR records are controlled by the client's network
 * @param clientIp          the client's IP address as a literal (IPv4 dotted quad or IPv6); never resolved
 * @param byHost            this server's host name
 * @param protocol          an RFC 3848 / RFC 6531 "with" type: SMTP, ESMTP[S][A], UTF8SMTP[S][A], LMTP…
 * @param queueId           this server's id for the message, as logged
 * @param recipients        the envelope recipients; named in a "for" clause only when there is exactly one, so
 *                          that the copy of one recipient does not disclose the others (RFC 5321 §7.2)
 */
public record ReceivedHeader(
        String helo,
        Optional<String> reverseDns,
        String clientIp,
        String byHost,
        String protocol,
        String queueId,
        Optional<TlsInfo> tls,
        Optional<String> authenticatedUser,
        List<String> recipients,
        ZonedDateTime date) {

    public record TlsInfo(String protocol, String cipherSuite) {
        public TlsInfo {
            requireToken(protocol, "TLS protocol");
            requireToken(cipherSuite, "TLS cipher suite");
        }
    }

    /** What goes between "by host" and "with". */
    public static final String SOFTWARE = "mailplatform";

    private static final int FOLD_AT = 78;
    // A domain name is at most 255 octets (RFC 1035); anything longer is not a host name worth keeping whole.
    private static final int MAX_HELO = 255;
    private static final int MAX_USER = 255;
    private static final int MAX_RECIPIENT = 512;

    private static final Pattern PROTOCOL = Pattern.compile("SMTP|(?:ESMTP|UTF8SMTP|LMTP|UTF8LMTP)S?A?");
    private static final Pattern HOST = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._+-]+");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

    public ReceivedHeader {
        Objects.requireNonNull(helo, "helo");
        reverseDns = Objects.requireNonNull(reverseDns, "reverseDns");
        Objects.requireNonNull(clientIp, "clientIp");
        addressLiteral(clientIp);
        requireHost(byHost, "byHost");
        Objects.requireNonNull(protocol, "protocol");
        if (!PROTOCOL.matcher(protocol).matches()) {
            throw new IllegalArgumentException("not a registered mail transmission type: '" + protocol + "'");
        }
        requireToken(queueId, "queueId");
        tls = Objects.requireNonNull(tls, "tls");
        authenticatedUser = Objects.requireNonNull(authenticatedUser, "authenticatedUser");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(date, "date");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The complete header field, folded, ending in CRLF, ready to be written before the message. */
    public String render() {
        boolean utf8 = protocol.startsWith("UTF8");
        List<List<String>> lines = new ArrayList<>();

        // A keyword and its value stay on one line: folding between them is legal but hard to read.
        List<String> from = new ArrayList<>(List.of("Received: from " + sanitizeHelo(helo)));
        String literal = addressLiteral(clientIp);
        Optional<String> rdns = reverseDns.map(ReceivedHeader::stripRootDot).filter(ReceivedHeader::isHost);
        if (rdns.isPresent()) {
            from.add("(" + rdns.get());
            from.add(literal + ")");
        } else {
            from.add("(" + literal + ")");
        }
        lines.add(from);

        lines.add(new ArrayList<>(List.of("by " + byHost, "(" + SOFTWARE + ")", "with " + protocol, "id " + queueId)));
        tls.ifPresent(t -> lines.add(new ArrayList<>(
                List.of("(using " + t.protocol(), "with cipher " + t.cipherSuite() + ")"))));
        authenticatedUser.ifPresent(u -> lines.add(new ArrayList<>(
                List.of("(authenticated", "user " + sanitizeCommentWord(u, utf8) + ")"))));

        String when = RFC5322_DATE.format(date);
        if (recipients.size() == 1) {
            lines.add(new ArrayList<>(List.of("for <" + sanitizeRecipient(recipients.get(0), utf8) + ">;", when)));
        } else {
            List<String> last = lines.get(lines.size() - 1);
            last.set(last.size() - 1, last.get(last.size() - 1) + ";");
            last.add(when);
        }
        return fold(lines);
    }

    /**
     * The HELO argument made safe to print: control characters (CR, LF, TAB, NUL…) removed, and characters that
     * would end the token or forge a comment or the date separator replaced by '?', so a client cannot append
     * its own "by" or "for" clause or a second header field.
     */
    public static String sanitizeHelo(String helo) {
        String s = sanitizeWord(helo, MAX_HELO, false);
        return s.isEmpty() ? "unknown" : s;
    }

    private static String sanitizeCommentWord(String value, boolean utf8) {
        String s = sanitizeWord(value, MAX_USER, utf8);
        return s.isEmpty() ? "unknown" : s;
    }

    private static String sanitizeRecipient(String rcpt, boolean utf8) {
        String r = rcpt.strip();
        if (r.startsWith("<") && r.endsWith(">") && r.length() >= 2) {
            r = r.substring(1, r.length() - 1);
        }
        return sanitizeWord(r, MAX_RECIPIENT, utf8);
    }

    private static String sanitizeWord(String value, int maxChars, boolean allowNonAscii) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars));
        for (int i = 0; i < value.length() && out.length() < maxChars; ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                continue;
            }
            boolean structural = cp == ' ' || cp == '(' || cp == ')' || cp == '\\' || cp == ';' || cp == '<'
                    || cp == '>' || cp == '"';
            boolean foreign = cp > 0x7E && !(allowNonAscii && Character.isLetterOrDigit(cp));
            if (structural || foreign || Character.isWhitespace(cp)) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static String fold(List<List<String>> lines) {
        StringBuilder out = new StringBuilder(256);
        for (int l = 0; l < lines.size(); l++) {
            int lineStart = out.length();
            if (l > 0) {
                out.append('\t');
            }
            boolean first = true;
            for (String word : lines.get(l)) {
                if (first) {
                    out.append(word);
                    first = false;
                } else if (out.length() - lineStart + 1 + word.length() > FOLD_AT) {
                    out.append("\r\n\t");
                    lineStart = out.length() - 1;
                    out.append(word);
                } else {
                    out.append(' ').append(word);
                }
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    static String addressLiteral(String ip) {
        String s = ip.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        InetAddress address;
        try {
            if (IPV4.matcher(s).matches()) {
                address = InetAddress.getByAddress(ipv4Octets(s, ip));
            } else if (IPV6.matcher(s).matches()) {
                // With a ':' in it, getByName parses a literal or fails; it never asks DNS.
                address = InetAddress.getByName(s);
            } else {
                throw new IllegalArgumentException("clientIp must be an IPv4 or IPv6 literal, got '" + ip + "'");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("clientIp must be an IPv4 or IPv6 literal, got '" + ip + "'", e);
        }
        if (address instanceof Inet4Address) {
            return "[" + address.getHostAddress() + "]";
        }
        return "[IPv6:" + compressIpv6((Inet6Address) address) + "]";
    }

    private static byte[] ipv4Octets(String dotted, String original) {
        String[] parts = dotted.split("\\.");
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                throw new IllegalArgumentException("clientIp must be an IPv4 or IPv6 literal, got '" + original + "'");
            }
            octets[i] = (byte) v;
        }
        return octets;
    }

    /** RFC 5952 text form, so the same client always appears the same way in headers and logs. */
    static String compressIpv6(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static String stripRootDot(String name) {
        String s = name.strip();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean isHost(String name) {
        return HOST.matcher(name).matches();
    }

    private static void requireHost(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!isHost(value)) {
            throw new IllegalArgumentException(what + " must be a host name, got '" + value + "'");
        }
    }

    private static void requireToken(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + TOKEN.pattern() + ", got '" + value + "'");
        }
    }

    public static final class Builder {
        private String helo;
        private Optional<String> reverseDns = Optional.empty();
        private String clientIp;
        private String byHost;
        private String protocol;
        private String queueId;
        private Optional<TlsInfo> tls = Optional.empty();
        private Optional<String> authenticatedUser = Optional.empty();
        private List<String> recipients = List.of();
        private ZonedDateTime date;

        private Builder() {
        }

        /** reverseDns may be null when the client's address has no (confirmed) name. */
        public Builder from(String helo, String reverseDns, String clientIp) {
            this.helo = helo;
            this.reverseDns = Optional.ofNullable(reverseDns);
            this.clientIp = clientIp;
            return this;
        }

        public Builder from(String helo, String reverseDns, InetAddress clientIp) {
            return from(helo, reverseDns, clientIp.getHostAddress());
        }

        public Builder by(String host) {
            this.byHost = host;
            return this;
        }

        /** For example {@code mail.core.event.ReceivedProtocol#name()}, or "SMTP" after HELO. */
        public Builder with(String protocol) {
            this.protocol = protocol;
            return this;
        }

        public Builder id(String queueId) {
            this.queueId = queueId;
            return this;
        }

        /** Both null when the connection is not encrypted, as an unencrypted session reports them. */
        public Builder tls(String protocol, String cipherSuite) {
            this.tls = protocol == null && cipherSuite == null
                    ? Optional.empty()
                    : Optional.of(new TlsInfo(protocol, cipherSuite));
            return this;
        }

        public Builder authenticatedUser(String user) {
            this.authenticatedUser = Optional.ofNullable(user);
            return this;
        }

        public Builder recipients(List<String> recipients) {
            this.recipients = recipients;
            return this;
        }

        public Builder date(ZonedDateTime date) {
            this.date = date;
            return this;
        }

        public Builder date(Instant instant, ZoneId zone) {
            this.date = instant.atZone(zone);
            return this;
        }

        public ReceivedHeader build() {
            return new ReceivedHeader(helo, reverseDns, clientIp, byHost, protocol, queueId, tls, authenticatedUser,
                    recipients, date);
        }

        public String render() {
            return build().render();
        }
    }
}
