package mail.devinfra;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings an imported realm up to what the current mail-realm.json says where Keycloak's import cannot: the import
 * skips a realm that exists (a data directory from an older version), and concurrent starts share the unpacked
 * distribution's import directory, so a start may even have imported another version's file. Idempotent; uses the
 * master realm's bootstrap administrator.
 */
final class RealmUpgrade {
    static final String SERVICE_ROLE = "mail-service";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    RealmUpgrade(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Realm role mail-service exists and the service account of client mail-services has it. */
    void ensureServiceRole(String adminUser, String adminPassword) throws IOException, InterruptedException {
        String token = field(send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                        + enc(adminUser) + "&password=" + enc(adminPassword))), 200), "access_token");
        String admin = base + "/admin/realms/mail";
        HttpResponse<String> role = http.send(authorized(admin + "/roles/" + SERVICE_ROLE, token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (role.statusCode() == 404) {
            send(authorized(admin + "/roles", token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + SERVICE_ROLE + "\",\"description\":"
                            + "\"the platform's own services: may ask directory-service's internal lookup API\"}")), 201);
            role = http.send(authorized(admin + "/roles/" + SERVICE_ROLE, token).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        if (role.statusCode() != 200) {
            throw new IOException("reading realm role " + SERVICE_ROLE + " answered HTTP " + role.statusCode());
        }
        String client = field(send(authorized(admin + "/clients?clientId=mail-services", token).GET(), 200), "id");
        String user = field(send(authorized(admin + "/clients/" + client + "/service-account-user", token).GET(), 200), "id");
        // adding a mapping the user already has is a no-op in Keycloak
        send(authorized(admin + "/users/" + user + "/role-mappings/realm", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + role.body() + "]")), 204);
    }

    private HttpRequest.Builder authorized(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token);
    }

    private String send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException(request.build().uri().getPath() + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    private static String field(String json, String name) throws IOException {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IOException("no " + name + " in Keycloak's answer");
        }
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
