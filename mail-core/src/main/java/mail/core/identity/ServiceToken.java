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
import java.time.Instant;
import java.time.InstantSource;

/**
 * An access token of the services' confidential client (client-credentials grant), kept until shortly before it
 * expires so that lookups do not each cost a round trip to Keycloak. Used by every service that calls another's
 * internal API (smtp-gateway's directory lookups, the outbound relay's DKIM keys).
 */
public final class ServiceToken {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Renew this long before expiry, so a token never runs out between our check and directory-service's. */
    private static final Duration MARGIN = Duration.ofSeconds(20);

    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String form;
    private final Duration timeout;
    private final InstantSource clock;
    private String token;
    private Instant renewAt = Instant.MIN;
    private long fetched;

    public ServiceToken(HttpClient http, String realmUrl, String clientId, String clientSecret, Duration timeout, InstantSource clock) {
        this.http = http;
        this.tokenEndpoint = URI.create(realmUrl.replaceAll("/+$", "") + "/protocol/openid-connect/token");
        this.form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** @throws IOException when Keycloak cannot be reached or refuses the client */
    public synchronized String get() throws IOException, InterruptedException {
        if (token != null && clock.instant().isBefore(renewAt)) {
            return token;
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("Keycloak refused the services client a token: HTTP " + r.statusCode());
        }
        JsonNode body = JSON.readTree(r.body());
        String value = body.path("access_token").asText(null);
        if (value == null) {
            throw new IOException("Keycloak's token response has no access_token");
        }
        long lifetime = body.path("expires_in").asLong(60);
        Duration keep = Duration.ofSeconds(lifetime).minus(MARGIN);
        if (keep.isNegative()) {
            keep = Duration.ofSeconds(lifetime / 2);
        }
        token = value;
        renewAt = clock.instant().plus(keep);
        fetched++;
        return token;
    }

    /** directory-service refused the token (revoked, keys rotated): fetch a new one next time. */
    public synchronized void discard(String refused) {
        if (refused.equals(token)) {
            token = null;
        }
    }

    public synchronized long fetched() {
        return fetched;
    }
}
