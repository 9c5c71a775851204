package mail.auth.results;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the one {@code Authentication-Results} field (RFC 8601) this platform adds: our authserv-id, then one
 * resinfo per method, folded at 78 columns between resinfos.
 */
public final class AuthenticationResults {
    private final String authservId;
    private final List<String> results = new ArrayList<>();

    public AuthenticationResults(String authservId) {
        if (authservId == null || !authservId.matches("[A-Za-z0-9.\\-]+")) {
            throw new IllegalArgumentException("authserv-id must be a host name: " + authservId);
        }
        this.authservId = authservId;
    }

    /** A resinfo such as {@code spf=pass smtp.mailfrom=example.org}. */
    public AuthenticationResults add(String resinfo) {
        if (resinfo.indexOf('\r') >= 0 || resinfo.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a resinfo may not contain line breaks");
        }
        results.add(resinfo);
        return this;
    }

    /** The SPF resinfo for the identity that was checked ({@code smtp.mailfrom} or {@code smtp.helo}). */
    public static String spf(String result, String property, String value) {
        return "spf=" + result.toLowerCase(Locale.ROOT) + " smtp." + property + "=" + value(value);
    }

    /** The whole field, CRLF-terminated; {@code none} when nothing was checked (RFC 8601 §2.2). */
    public byte[] header() {
        StringBuilder b = new StringBuilder("Authentication-Results: ").append(authservId);
        if (results.isEmpty()) {
            b.append("; none");
        }
        int lineStart = 0;
        for (String r : results) {
            b.append(';');
            if (b.length() - lineStart + r.length() + 1 > 78) {
                b.append("\r\n\t");
                lineStart = b.length() - 1;
            } else {
                b.append(' ');
            }
            b.append(r);
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A property value: a token as is, anything else quoted (RFC 8601 §2.2, "value" of RFC 2045). */
    static String value(String v) {
        if (v == null || v.isEmpty()) {
            return "\"\"";
        }
        if (v.matches("[A-Za-z0-9!#$%&'*+\\-.^_`{|}~@]+")) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
