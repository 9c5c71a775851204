package mail.protocol.sasl;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 7628 OAUTHBEARER. The client sends a GS2 header ({@code n,a=user@example.com,}) and key/value pairs
 * separated by 0x01, among them {@code auth=Bearer <token>}. A refused token gets a base64 JSON error challenge;
 * the client acknowledges it with a lone 0x01 ("AQ==") and then gets 535.
 */
public final class SaslOAuthBearer extends SaslExchange implements SaslMechanism {

    public static final String NAME = "OAUTHBEARER";

    private static final char KVSEP = '\u0001';

    private final OAuthErrorDetails errorDetails;

    public SaslOAuthBearer(OAuthErrorDetails errorDetails) {
        this.errorDetails = Objects.requireNonNull(errorDetails, "errorDetails");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    SaslStep firstChallenge() {
        return new SaslStep.Challenge("");
    }

    @Override
    SaslStep refusal() {
        return challenge(errorDetails.json("invalid_token"));
    }

    @Override
    SaslStep respond(byte[] response) {
        String m = utf8(response, 0, response.length);
        if (m == null) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER response is not UTF-8");
        }
        int cbEnd = m.indexOf(',');
        if (cbEnd < 0) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER response has no GS2 header");
        }
        String cbFlag = m.substring(0, cbEnd);
        if (cbFlag.startsWith("p=")) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER channel binding is not supported");
        }
        // "y" only says the client could have used channel binding but thinks we cannot: true, so accept it.
        if (!cbFlag.equals("n") && !cbFlag.equals("y")) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER GS2 header has an invalid channel binding flag");
        }
        int authzEnd = m.indexOf(',', cbEnd + 1);
        if (authzEnd < 0) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER GS2 header is not terminated");
        }
        Optional<String> authzid;
        String authz = m.substring(cbEnd + 1, authzEnd);
        if (authz.isEmpty()) {
            authzid = Optional.empty();
        } else if (authz.startsWith("a=")) {
            String name = decodeSaslName(authz.substring(2));
            if (name == null || name.isEmpty() || hasControl(name)
                    || utf8Length(name) > MAX_FIELD_OCTETS) {
                return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER authzid is invalid");
            }
            authzid = Optional.of(name);
        } else {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER GS2 header has an invalid authzid");
        }
        Map<String, String> pairs = parsePairs(m, authzEnd + 1);
        if (pairs == null) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER key/value pairs are malformed");
        }
        String auth = pairs.get("auth");
        if (auth == null) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER response has no auth key");
        }
        String token = BearerToken.parse(auth);
        if (token == null) {
            return fail(SaslStep.Reason.MALFORMED, "OAUTHBEARER auth value is not 'Bearer <token>'");
        }
        return new BearerCredentials(authzid, token);
    }

    /** {@code kvsep *kvpair kvsep} from {@code from} to the very end of the message; null if malformed. */
    private static Map<String, String> parsePairs(String m, int from) {
        if (from >= m.length() || m.charAt(from) != KVSEP) {
            return null;
        }
        Map<String, String> pairs = new HashMap<>();
        int pos = from + 1;
        while (true) {
            int end = m.indexOf(KVSEP, pos);
            if (end < 0) {
                return null;
            }
            if (end == pos) {
                return end == m.length() - 1 ? pairs : null;
            }
            int eq = m.indexOf('=', pos);
            if (eq < 0 || eq > end || eq == pos) {
                return null;
            }
            String key = m.substring(pos, eq);
            String value = m.substring(eq + 1, end);
            if (!isAlpha(key) || !isValue(value) || pairs.put(key, value) != null) {
                return null;
            }
            pos = end + 1;
        }
    }

    /** RFC 5801 saslname: "," and "=" must arrive as "=2C" and "=3D", any other "=" is an error. */
    private static String decodeSaslName(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                if (s.startsWith("=2C", i)) {
                    out.append(',');
                } else if (s.startsWith("=3D", i)) {
                    out.append('=');
                } else {
                    return null;
                }
                i += 2;
            } else if (c == ',') {
                return null;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isAlpha(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** value = *(VCHAR / SP / HTAB / CR / LF) */
    private static boolean isValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 0x21 && c <= 0x7E) || c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
