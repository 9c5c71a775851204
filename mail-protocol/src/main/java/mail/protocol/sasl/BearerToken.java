package mail.protocol.sasl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code auth} value both bearer mechanisms carry: an RFC 6750 §2.1 "Bearer" credential. */
final class BearerToken {

    // The scheme name is case-insensitive (RFC 7235 §2.1); b64token is RFC 6750's token68 alphabet.
    private static final Pattern AUTH = Pattern.compile("(?i:Bearer) +([A-Za-z0-9\\-._~+/]+=*)");

    private BearerToken() {
    }

    /** The token, or null if the value is not a bearer credential. */
    static String parse(String authValue) {
        Matcher matcher = AUTH.matcher(authValue);
        return matcher.matches() ? matcher.group(1) : null;
    }
}
