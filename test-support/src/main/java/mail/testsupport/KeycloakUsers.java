package mail.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates mail users in the test Keycloak through its admin REST API, with the services' own service account — the
 * way directory-service provisions accounts. Idempotent: an existing user gets the password reset.
 */
public final class KeycloakUsers {
    private final InfraEndpoints infra;
    private final HttpClient http = HttpClient.newHttpClient();

    public KeycloakUsers(InfraEndpoints infra) {
        this.infra = infra;
    }

    public void ensureMailUser(String address, String password) {
        String token = serviceToken();
        String admin = infra.keycloakUrl() + "/admin/realms/mail";
        String body = "{\"username\":\"" + address + "\",\"email\":\"" + address + "\",\"firstName\":\"Test\",\"lastName\":\"User\","
                + "\"emailVerified\":true,\"enabled\":true,\"credentials\":[{\"type\":\"password\",\"value\":\"" + password
                + "\",\"temporary\":false}]}";
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(admin + "/users")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        String id = userId(token, address);
        if (created.statusCode() == 409) {
            send(HttpRequest.newBuilder(URI.create(admin + "/users/" + id + "/reset-password")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"type\":\"password\",\"value\":\"" + password + "\",\"temporary\":false}")).build());
        } else if (created.statusCode() != 201) {
            throw new IllegalStateException("creating " + address + " answered " + created.statusCode() + ": " + created.body());
        }
        String role = send(HttpRequest.newBuilder(URI.create(admin + "/roles/mail-user")).header("Authorization", "Bearer " + token).GET().build()).body();
        HttpResponse<String> mapped = send(HttpRequest.newBuilder(URI.create(admin + "/users/" + id + "/role-mappings/realm"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + role + "]")).build());
        if (mapped.statusCode() / 100 != 2) {
            throw new IllegalStateException("assigning mail-user to " + address + " answered " + mapped.statusCode() + ": " + mapped.body());
        }
    }

    /** An access token of a user, as a mail client holding OAuth 2 credentials has it. */
    public String accessToken(String username, String password) {
        String form = "grant_type=password&client_id=mailctl&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        return field(send(HttpRequest.newBuilder(URI.create(infra.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build()).body(), "access_token");
    }

    private String serviceToken() {
        String form = "grant_type=client_credentials&client_id=" + infra.servicesClientId() + "&client_secret="
                + URLEncoder.encode(infra.servicesSecret(), StandardCharsets.UTF_8);
        return field(send(HttpRequest.newBuilder(URI.create(infra.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build()).body(), "access_token");
    }

    private String userId(String token, String username) {
        String list = send(HttpRequest.newBuilder(URI.create(infra.keycloakUrl() + "/admin/realms/mail/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + token).GET().build()).body();
        return field(list, "id");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
