package mail.ctl.api;

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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** OAuth 2 against Keycloak with the public client {@code mailctl}: password grant, refresh grant. */
public final class Tokens {
    public static final String CLIENT_ID = "mailctl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long EARLY_MILLIS = 10_000;

    private Tokens() {
    }

    public static Session.Token passwordGrant(HttpClient http, String realmUrl, String user, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", CLIENT_ID);
        form.put("username", user);
        form.put("password", password);
        return request(http, realmUrl, form);
    }

    /** The cached access token, refreshed first if it is about to expire. */
    static String valid(Session session, HttpClient http) {
        Session.Token t = session.load();
        if (System.currentTimeMillis() < t.expiresAtMillis() - EARLY_MILLIS) {
            return t.accessToken();
        }
        if (t.refreshToken() == null || t.refreshToken().isEmpty()) {
            throw new CliException(CliException.AUTH, "the login has expired: run 'mailctl login' again");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", CLIENT_ID);
        form.put("refresh_token", t.refreshToken());
        Session.Token fresh = request(http, t.realmUrl(), form);
        session.save(fresh);
        return fresh.accessToken();
    }

    private static Session.Token request(HttpClient http, String realmUrl, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String url = realmUrl.replaceAll("/+$", "") + "/protocol/openid-connect/token";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode n = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !n.hasNonNull("access_token")) {
                String why = n.path("error_description").asText(n.path("error").asText("HTTP " + r.statusCode()));
                throw new CliException(CliException.AUTH, "login refused by " + realmUrl + ": " + why
                        + ("refresh_token".equals(form.get("grant_type")) ? "; run 'mailctl login' again" : ""));
            }
            return new Session.Token(n.get("access_token").asText(), n.path("refresh_token").asText(null),
                    System.currentTimeMillis() + n.path("expires_in").asLong(60) * 1000, realmUrl);
        } catch (IOException e) {
            throw new CliException(CliException.UNAVAILABLE, "cannot reach Keycloak at " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNAVAILABLE, "interrupted");
        }
    }
}
