package mail.protocol.sasl;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Google's XOAUTH2, which predates OAUTHBEARER and is what many clients still send:
 * {@code user=<user> 0x01 auth=Bearer <token> 0x01 0x01}. A refused token gets a base64 JSON error challenge,
 * which the client acknowledges with an empty line before the 535.
 */
public final class SaslXOAuth2 extends SaslExchange implements SaslMechanism {

    public static final String NAME = "XOAUTH2";

    private static final char SEP = '\u0001';

    private final OAuthErrorDetails errorDetails;

    public SaslXOAuth2(OAuthErrorDetails errorDetails) {
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
        // Google answers with an HTTP status here rather than RFC 6750's error code; clients look for "401".
        return challenge(errorDetails.json("401"));
    }

    @Override
    SaslStep respond(byte[] response) {
        String m = utf8(response, 0, response.length);
        if (m == null) {
            return fail(SaslStep.Reason.MALFORMED, "XOAUTH2 response is not UTF-8");
        }
        if (!m.endsWith("" + SEP + SEP)) {
            return fail(SaslStep.Reason.MALFORMED, "XOAUTH2 response does not end with two 0x01");
        }
        Map<String, String> fields = new HashMap<>();
        String body = m.substring(0, m.length() - 2);
        for (String field : body.split(String.valueOf(SEP), -1)) {
            int eq = field.indexOf('=');
            if (eq <= 0 || fields.put(field.substring(0, eq), field.substring(eq + 1)) != null) {
                return fail(SaslStep.Reason.MALFORMED, "XOAUTH2 fields are malformed");
            }
        }
        String user = fields.get("user");
        if (user == null || user.isEmpty() || hasControl(user)
                || utf8Length(user) > MAX_FIELD_OCTETS) {
            return fail(SaslStep.Reason.MALFORMED, "XOAUTH2 user is missing or invalid");
        }
        String auth = fields.get("auth");
        String token = auth == null ? null : BearerToken.parse(auth);
        if (token == null) {
            return fail(SaslStep.Reason.MALFORMED, "XOAUTH2 auth is not 'Bearer <token>'");
        }
        return new BearerCredentials(Optional.of(user), token);
    }
}
