package mail.directory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.Test;

/** Only a bearer token of the realm with role mail-admin opens the admin API; autoconfig stays public. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class AuthTest {

    @Test
    void withoutATokenTheAnswerIs401AsProblemJson() {
        given().get("/api/v1/domains").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:mailplatform:problem:unauthorized"), "status", equalTo(401));
    }

    @Test
    void aGarbageTokenIs401() {
        given().header("Authorization", "Bearer not.a.jwt").get("/api/v1/accounts").then().statusCode(401);
        given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/api/v1/accounts").then().statusCode(401);
    }

    @Test
    void aTokenWithAForgedExpiryIs401() {
        // a real token whose payload was changed (here: exp moved to 2001) no longer matches its signature; the same
        // token unchanged is accepted, so the refusal is about the change and not about the token
        String token = Api.adminToken();
        given().header("Authorization", "Bearer " + token).get("/api/v1/domains").then().statusCode(200);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceAll("\"exp\":\\d+", "\"exp\":1000000000");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        given().header("Authorization", "Bearer " + forged).get("/api/v1/domains").then().statusCode(401);
    }

    @Test
    void aMailUserWithoutMailAdminIs403() {
        Api.USERS.ensureMailUser("plain-user@auth-test.test", "Plain-user-pass-1");
        String token = Api.USERS.accessToken("plain-user@auth-test.test", "Plain-user-pass-1");
        given().header("Authorization", "Bearer " + token).get("/api/v1/domains").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:forbidden"));
        given().header("Authorization", "Bearer " + token).contentType("application/json").body("{\"name\":\"x.test\"}")
                .post("/api/v1/domains").then().statusCode(403);
    }

    @Test
    void theAdminIsLetIn() {
        Api.admin().get("/api/v1/accounts").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/accounts'.post", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/api/v1/domains/{name}/dns'.get", org.hamcrest.Matchers.notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
