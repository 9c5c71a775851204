package mail.directory;

import static io.restassured.RestAssured.given;
import static mail.directory.Api.admin;
import static mail.directory.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import mail.testsupport.RestartableMongo;
import org.junit.jupiter.api.Test;

/**
 * Keycloak and MongoDB stay consistent when MongoDB fails between the two writes of an account: the Keycloak user
 * created first is removed again, the client gets a 503, and nothing is left half-created.
 */
@QuarkusTest
@QuarkusTestResource(value = RestartableMongo.class, restrictToAnnotatedClass = true,
        // fail fast while it is down, so that the test sees the failure rather than a hang
        initArgs = @ResourceArg(name = "mail.mongo.timeout", value = "1s"))
class MongoOutageTest {

    @Test
    void aMongoFailureAfterTheKeycloakUserWasCreatedRemovesTheUserAgain() {
        String address = "halfway-" + System.nanoTime() + "@outage.test";
        Api.domain("outage.test");
        // prime the service's hosted-domain cache, so that the request gets past validation while MongoDB is down
        given().queryParam("emailaddress", "x@outage.test").get("/mail/config-v1.1.xml").then().statusCode(200);

        RestartableMongo.down();
        try {
            post("/api/v1/accounts", Map.of("address", address, "password", "Halfway-pass-1"))
                    .statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("urn:mailplatform:problem:dependency-unavailable"));
            assertThat(Api.keycloakUsers(address)).isEmpty();
            admin().get("/api/v1/accounts/" + address).then().statusCode(503);
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            RestartableMongo.up();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        admin().get("/api/v1/accounts/" + address).then().statusCode(404);
        post("/api/v1/accounts", Map.of("address", address, "password", "Halfway-pass-1")).statusCode(201);
        Api.USERS.accessToken(address, "Halfway-pass-1");
    }
}
