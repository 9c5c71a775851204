package mail.directory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.representations.idm.ClientRepresentation;

/**
 * A genuinely expired token: issued by Keycloak through a client of this test whose access tokens live 3 seconds,
 * accepted while valid, refused with 401 once its lifetime is over. Nothing about the token is altered.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class ExpiredTokenTest {
    private static final int LIFESPAN_SECONDS = 3;
    private static final String CLIENT = "expiry-test-" + System.nanoTime();
    private static Keycloak master;
    private static String clientUuid;

    @BeforeAll
    static void shortLivedClient() {
        // the master realm's administrator: the services' account may manage users, not clients
        master = KeycloakBuilder.builder().serverUrl(Api.INFRA.keycloakUrl()).realm("master").clientId("admin-cli")
                .username(Api.INFRA.adminUser()).password(Api.INFRA.adminPassword()).build();
        ClientRepresentation c = new ClientRepresentation();
        c.setClientId(CLIENT);
        c.setPublicClient(true);
        c.setDirectAccessGrantsEnabled(true);
        c.setStandardFlowEnabled(false);
        c.setAttributes(Map.of("access.token.lifespan", Integer.toString(LIFESPAN_SECONDS)));
        master.realm("mail").clients().create(c).close();
        List<ClientRepresentation> found = master.realm("mail").clients().findByClientId(CLIENT);
        clientUuid = found.get(0).getId();
    }

    @AfterAll
    static void removeClient() {
        if (master != null) {
            if (clientUuid != null) {
                master.realm("mail").clients().get(clientUuid).remove();
            }
            master.close();
        }
    }

    @Test
    void aTokenPastItsLifetimeIs401() throws Exception {
        String token = token();
        JsonPath claims = JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        long exp = claims.getLong("exp");
        assertThat(exp - claims.getLong("iat")).isEqualTo(LIFESPAN_SECONDS);

        given().header("Authorization", "Bearer " + token).get("/api/v1/domains").then().statusCode(200);

        // past exp by more than a second: JWT times have second precision
        long waitMillis = (exp + 2) * 1000 - System.currentTimeMillis();
        if (waitMillis > 0) {
            Thread.sleep(waitMillis);
        }
        given().header("Authorization", "Bearer " + token).get("/api/v1/domains").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:unauthorized"));
        given().header("Authorization", "Bearer " + token).queryParam("address", "a@b.test").get("/internal/v1/resolve")
                .then().statusCode(401);
        // a fresh token of the same user and client is accepted again: the refusal was the expiry
        given().header("Authorization", "Bearer " + token()).get("/api/v1/domains").then().statusCode(200);
    }

    private static String token() throws Exception {
        String form = "grant_type=password&client_id=" + CLIENT
                + "&username=" + URLEncoder.encode(Api.INFRA.adminUser(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(Api.INFRA.adminPassword(), StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(Api.INFRA.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonPath.from(r.body()).getString("access_token");
    }
}
