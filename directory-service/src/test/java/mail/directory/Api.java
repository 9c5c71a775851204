package mail.directory;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.UserRepresentation;

/** Test helpers: real Keycloak tokens, calls to the admin API, and a look into Keycloak behind the service's back. */
final class Api {
    static final InfraEndpoints INFRA = SharedInfra.require("kafka", "mongo", "keycloak");
    static final KeycloakUsers USERS = new KeycloakUsers(INFRA);
    private static String adminToken;
    private static long adminTokenAt;

    static {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private Api() {
    }

    static synchronized String adminToken() {
        // tokens live 300 s in the local realm; a long test class outlives one
        if (adminToken == null || System.currentTimeMillis() - adminTokenAt > Duration.ofMinutes(3).toMillis()) {
            adminToken = USERS.accessToken(INFRA.adminUser(), INFRA.adminPassword());
            adminTokenAt = System.currentTimeMillis();
        }
        return adminToken;
    }

    /** A token of the services' own client (client credentials), as smtp-gateway gets one for the lookup API. */
    static String serviceToken() {
        try {
            String form = "grant_type=client_credentials&client_id=" + INFRA.servicesClientId() + "&client_secret="
                    + java.net.URLEncoder.encode(INFRA.servicesSecret(), java.nio.charset.StandardCharsets.UTF_8);
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(INFRA.realmUrl() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return io.restassured.path.json.JsonPath.from(body).getString("access_token");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + adminToken()).contentType(ContentType.JSON);
    }

    static ValidatableResponse post(String path, Object body) {
        return admin().body(body).post(path).then();
    }

    static void domain(String name) {
        post("/api/v1/domains", Map.of("name", name)).statusCode(201);
    }

    static void account(String address, String password) {
        post("/api/v1/accounts", Map.of("address", address, "password", password, "displayName", "Test " + address))
                .statusCode(201);
    }

    static Keycloak keycloak() {
        return KeycloakBuilder.builder().serverUrl(INFRA.keycloakUrl()).realm("mail")
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId(INFRA.servicesClientId())
                .clientSecret(INFRA.servicesSecret()).build();
    }

    static List<UserRepresentation> keycloakUsers(String username) {
        try (Keycloak k = keycloak()) {
            return k.realm("mail").users().search(username, true);
        }
    }
}
