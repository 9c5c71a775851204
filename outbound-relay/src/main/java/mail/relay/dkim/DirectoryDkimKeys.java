package mail.relay.dkim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mail.core.identity.ServiceToken;
import mail.message.dkim.DkimSigningKey;
import org.jboss.logging.Logger;

/**
 * The signing keys of a sender domain from directory-service ({@code GET /internal/v1/dkim/{domain}}, role
 * mail-service), kept briefly so that a burst of mail from one domain costs one request, while a rotated key is
 * picked up within the cache time. A domain without keys (404) is remembered as such for the same time.
 */
public final class DirectoryDkimKeys {
    private static final Logger LOG = Logger.getLogger(DirectoryDkimKeys.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A key answer larger than this is not what directory-service sends. */
    private static final int MAX_BODY = 256 * 1024;

    private final HttpClient http;
    private final String baseUrl;
    private final ServiceToken token;
    private final Duration timeout;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public DirectoryDkimKeys(HttpClient http, String baseUrl, ServiceToken token, Duration timeout, Duration ttl, Clock clock) {
        this.http = http;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.token = token;
        this.timeout = timeout;
        this.ttl = ttl;
        this.clock = clock;
    }

    private record Cached(List<DkimSigningKey> keys, Instant until) {
    }

    /**
     * @return the domain's keys, empty when it has none
     * @throws IOException when directory-service or Keycloak cannot answer now
     */
    public List<DkimSigningKey> keys(String domain) throws IOException {
        Instant now = clock.instant();
        Cached c = cache.get(domain);
        if (c != null && now.isBefore(c.until())) {
            return c.keys();
        }
        List<DkimSigningKey> keys = fetch(domain, true);
        cache.put(domain, new Cached(keys, now.plus(ttl)));
        return keys;
    }

    private List<DkimSigningKey> fetch(String domain, boolean mayRenewToken) throws IOException {
        String bearer;
        HttpResponse<byte[]> r;
        try {
            bearer = token.get();
            r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/internal/v1/dkim/" + URLEncoder.encode(domain, StandardCharsets.UTF_8)))
                    .timeout(timeout).header("Authorization", "Bearer " + bearer).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking for the DKIM keys of " + domain, e);
        }
        if (r.statusCode() == 404 || r.statusCode() == 400) {
            // no keys, or a name directory-service does not take for a domain: either way nothing to sign with
            return List.of();
        }
        if (r.statusCode() == 401 && mayRenewToken) {
            token.discard(bearer);
            return fetch(domain, false);
        }
        if (r.statusCode() != 200) {
            throw new IOException("directory-service answered HTTP " + r.statusCode() + " for the DKIM keys of " + domain);
        }
        if (r.body().length > MAX_BODY) {
            throw new IOException("directory-service's DKIM answer for " + domain + " is larger than " + MAX_BODY + " bytes");
        }
        JsonNode body = JSON.readTree(r.body());
        List<DkimSigningKey> keys = new ArrayList<>();
        for (JsonNode k : body.path("keys")) {
            try {
                keys.add(DkimSigningKey.fromPkcs8(k.path("selector").asText(), domain, k.path("algorithm").asText(),
                        Base64.getDecoder().decode(k.path("privateKeyPkcs8").asText(""))));
            } catch (IllegalArgumentException e) {
                // one unusable key must not stop signing with the others; the operator sees why
                LOG.warnf("DKIM key %s of %s is not usable: %s", k.path("selector").asText(), domain, e.getMessage());
            }
        }
        return List.copyOf(keys);
    }
}
