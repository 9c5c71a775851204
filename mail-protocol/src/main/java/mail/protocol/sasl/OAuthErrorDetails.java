package mail.protocol.sasl;

import java.util.Objects;
import java.util.Optional;

/**
 * What the OAUTHBEARER / XOAUTH2 error challenge tells a client whose token was refused (RFC 7628 §3.2.2): the
 * scope to ask for and where to discover the authorization server, so it can fetch a better token.
 */
public record OAuthErrorDetails(Optional<String> scope, Optional<String> openidConfiguration) {
    public OAuthErrorDetails {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(openidConfiguration, "openidConfiguration");
    }

    public static OAuthErrorDetails none() {
        return new OAuthErrorDetails(Optional.empty(), Optional.empty());
    }

    String json(String status) {
        StringBuilder out = new StringBuilder(128).append("{\"status\":");
        quote(out, status);
        out.append(",\"schemes\":\"bearer\"");
        scope.ifPresent(s -> quote(out.append(",\"scope\":"), s));
        openidConfiguration.ifPresent(u -> quote(out.append(",\"openid-configuration\":"), u));
        return out.append('}').toString();
    }

    private static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
