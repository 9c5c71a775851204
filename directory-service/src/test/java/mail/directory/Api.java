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
