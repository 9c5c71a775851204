package mail.core.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a password with Keycloak's resource-owner password grant on the services' confidential client. Keycloak
 * keeps the password hashes, its brute-force protection and the disabled flag; we never see or store a hash.
 */
public final class KeycloakPasswordVerifier implements PasswordVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CREDENTIAL_LENGTH = 1024;

    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final Duration timeout;

    public KeycloakPasswordVerifier(HttpClient http, String realmUrl, String clientId, String clientSecret, Duration timeout) {
        this.http = http;
        this.tokenEndpoint = URI.create(stripSlash(realmUrl) + "/protocol/openid-connect/token");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.timeout = timeout;
    }

    @Override
    public AuthResult verify(String username, String password) {
        if (username == null || password == null || username.isBlank() || password.isEmpty()) {
            return new AuthResult.Rejected("empty credentials");
        }
        if (username.length() > MAX_CREDENTIAL_LENGTH || password.length() > MAX_CREDENTIAL_LENGTH) {
            return new AuthResult.Rejected("credentials too long");
        }
        String form = form(Map.of("grant_type", "password", "client_id", clientId, "client_secret", clientSecret,
                "username", username, "password", password, "scope", "openid"));
        HttpRequest req = HttpRequest.newBuilder(tokenEndpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IdentityUnavailableException("identity provider unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityUnavailableException("interrupted", e);
        }
        int status = resp.statusCode();
        if (status == 200) {
            return success(resp.body());
        }
        if (status == 400 || status == 401) {
            String error = errorCode(resp.body());
            if ("invalid_client".equals(error) || "unauthorized_client".equals(error)) {
                // our own client credentials are wrong: a configuration fault, not every user's wrong password
                throw new IdentityUnavailableException("identity provider refused the services client (" + error
                        + "): check MAIL_KEYCLOAK_CLIENT_ID / MAIL_KEYCLOAK_CLIENT_SECRET", null);
            }
            // invalid_grant covers a wrong password, an unknown, disabled or locked-out user alike
            return new AuthResult.Rejected(error);
        }
        throw new IdentityUnavailableException("identity provider answered HTTP " + status, null);
    }

    private static AuthResult success(String body) {
        try {
            String token = JSON.readTree(body).path("access_token").asText();
            String[] parts = token.split("\\.");
            if (parts.length < 2) {
                throw new IdentityUnavailableException("identity provider returned no access token", null);
            }
            // this token came straight from the token endpoint over our own request: its claims need no signature check
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return fromClaims(claims);
        } catch (IOException | IllegalArgumentException e) {
            throw new IdentityUnavailableException("identity provider returned an unreadable token", e);
        }
    }

    static AuthResult.Success fromClaims(JsonNode claims) {
        Set<String> roles = new HashSet<>();
        claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
        String username = claims.path("preferred_username").asText(claims.path("sub").asText());
        String email = claims.path("email").isMissingNode() ? null : claims.path("email").asText();
        return new AuthResult.Success(username, email, roles);
    }

    private static String errorCode(String body) {
        try {
            return JSON.readTree(body).path("error").asText("rejected");
        } catch (IOException e) {
            return "rejected";
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
