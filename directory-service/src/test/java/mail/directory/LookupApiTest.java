package mail.directory;

import static io.restassured.RestAssured.given;
import static mail.directory.Api.admin;
import static mail.directory.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mail.core.address.EmailAddress;
import mail.core.directory.DirectoryState;
import mail.core.directory.KafkaDirectoryCache;
import mail.core.directory.Resolution;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The internal lookup API the gateway falls back on while its directory cache loads: who may call it, and that it
 * answers from MongoDB exactly as a cache fed by directory.changes does.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class LookupApiTest {
    private static final String D = "lookup.test";
    private static final String ALIAS_DOMAIN = "lookup-alias.test";
    private static final String CATCH_DOMAIN = "lookup-catch.test";
    private static boolean created;

    private static RequestSpecification service() {
        return given().header("Authorization", "Bearer " + Api.serviceToken());
    }

    private static synchronized void directory() {
        if (created) {
            return;
        }
        post("/api/v1/domains", Map.of("name", D, "aliasDomains", List.of(ALIAS_DOMAIN))).statusCode(201);
        Api.domain(CATCH_DOMAIN);
        Api.account("alice@" + D, "Alice-pass-123");
        Api.account("bob@" + D, "Bob-pass-1234");
        Api.account("carol@" + D, "Carol-pass-123");
        admin().body(Map.of("enabled", false)).patch("/api/v1/accounts/carol@" + D).then().statusCode(200);
        Api.account("drop@" + CATCH_DOMAIN, "Drop-pass-123");
        admin().body(Map.of("target", "drop@" + CATCH_DOMAIN)).put("/api/v1/domains/" + CATCH_DOMAIN + "/catch-all")
                .then().statusCode(200);
        post("/api/v1/aliases", Map.of("address", "info@" + D, "targets", List.of("alice@" + D))).statusCode(201);
        post("/api/v1/aliases", Map.of("address", "shared@" + D, "targets", List.of("alice@" + D, "bob@" + D))).statusCode(201);
        post("/api/v1/aliases", Map.of("address", "away@" + D, "targets", List.of("someone@remote.example"))).statusCode(201);
        post("/api/v1/groups", Map.of("address", "team@" + D, "members", List.of("info@" + D, "bob@" + D))).statusCode(201);
        post("/api/v1/groups", Map.of("address", "nobody-home@" + D, "members", List.of())).statusCode(201);
        post("/api/v1/groups", Map.of("address", "off@" + D, "members", List.of("carol@" + D))).statusCode(201);
        created = true;
    }

    private static JsonPath resolve(String address) {
        return service().queryParam("address", address).get("/internal/v1/resolve").then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
    }

    private static boolean sender(String account, String address) {
        return service().queryParam("account", account).queryParam("address", address).get("/internal/v1/senders")
                .then().statusCode(200).extract().jsonPath().getBoolean("allowed");
    }

    @Test
    void onlyTheServicesClientAndAdministratorsMayAsk() {
        directory();
        given().queryParam("address", "alice@" + D).get("/internal/v1/resolve").then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:mailplatform:problem:unauthorized"));
        given().header("Authorization", "Bearer not.a.jwt").queryParam("address", "alice@" + D).get("/internal/v1/resolve")
                .then().statusCode(401);
        // a mail user must not be able to probe which addresses exist
        Api.USERS.ensureMailUser("probe@" + D, "Probe-pass-123");
        String userToken = Api.USERS.accessToken("probe@" + D, "Probe-pass-123");
        given().header("Authorization", "Bearer " + userToken).queryParam("address", "alice@" + D).get("/internal/v1/resolve")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:forbidden"));
        given().header("Authorization", "Bearer " + userToken).queryParam("account", "probe@" + D)
                .queryParam("address", "alice@" + D).get("/internal/v1/senders").then().statusCode(403);
        service().queryParam("address", "alice@" + D).get("/internal/v1/resolve").then().statusCode(200)
                .body("result", equalTo("DELIVERABLE"));
        admin().queryParam("address", "alice@" + D).get("/internal/v1/resolve").then().statusCode(200)
                .body("result", equalTo("DELIVERABLE"));
    }

    @Test
    void recipientsResolveAsTheRulesSay() {
        directory();
        assertOutcome("alice@" + D, "DELIVERABLE", true);
        assertOutcome("ALICE+news@" + D, "DELIVERABLE", true);
        assertOutcome("alice@" + ALIAS_DOMAIN, "DELIVERABLE", true);
        assertOutcome("Alice+x@LOOKUP-ALIAS.test", "DELIVERABLE", true);
        assertOutcome("nobody@" + D, "UNKNOWN", true);
        assertOutcome("nobody@" + ALIAS_DOMAIN, "UNKNOWN", true);
        assertOutcome("info@" + D, "DELIVERABLE", true);
        assertOutcome("away@" + D, "DELIVERABLE", true);
        assertOutcome("team@" + D, "DELIVERABLE", true);
        assertOutcome("carol@" + D, "DISABLED", true);
        assertOutcome("off@" + D, "DISABLED", true);
        assertOutcome("anything@" + CATCH_DOMAIN, "DELIVERABLE", true);
        assertOutcome("someone@elsewhere.example", "NOT_LOCAL", false);
        assertOutcome("someone@[127.0.0.1]", "NOT_LOCAL", false);
        JsonPath empty = resolve("nobody-home@" + D);
        assertThat(empty.getString("result")).isEqualTo("UNRESOLVABLE");
        assertThat(empty.getBoolean("temporary")).isFalse();
        assertThat(resolve("Alice+x@LOOKUP-ALIAS.test").getString("address")).isEqualTo("alice+x@" + ALIAS_DOMAIN);
    }

    private static void assertOutcome(String address, String result, boolean localDomain) {
        JsonPath j = resolve(address);
        assertThat(j.getString("result")).as(address).isEqualTo(result);
        assertThat(j.getBoolean("localDomain")).as(address).isEqualTo(localDomain);
    }

    @Test
    void sendersFollowTheCacheRules() {
        directory();
        assertThat(sender("alice@" + D, "alice@" + D)).isTrue();
        assertThat(sender("alice@" + D, "Alice+tag@" + ALIAS_DOMAIN)).isTrue();
        assertThat(sender("alice@" + D, "info@" + D)).isTrue();
        assertThat(sender("alice@" + D, "shared@" + D)).isFalse();
        assertThat(sender("alice@" + D, "team@" + D)).isFalse();
        assertThat(sender("alice@" + D, "bob@" + D)).isFalse();
        assertThat(sender("alice@" + D, "alice@elsewhere.example")).isFalse();
        assertThat(sender("carol@" + D, "carol@" + D)).isFalse();
        assertThat(sender("ghost@" + D, "ghost@" + D)).isFalse();
    }

    @Test
    void badInputIs400WithTheFieldNamed() {
        service().get("/internal/v1/resolve").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:invalid-field"), "field", equalTo("address"));
        service().queryParam("address", "no-at-sign").get("/internal/v1/resolve").then().statusCode(400)
                .body("field", equalTo("address"));
        service().queryParam("address", "a@" + "x".repeat(300) + ".test").get("/internal/v1/resolve").then().statusCode(400);
        service().queryParam("account", "bad address").queryParam("address", "alice@" + D).get("/internal/v1/senders")
                .then().statusCode(400).body("field", equalTo("account"));
        service().queryParam("account", "alice@" + D).get("/internal/v1/senders").then().statusCode(400)
                .body("field", equalTo("address"));
    }

    @Test
    void aDeletedAccountIsUnknownAtOnceAndANewOneKnownAtOnce() {
        directory();
        Api.account("fleeting@" + D, "Fleeting-pass-1");
        assertOutcome("fleeting@" + D, "DELIVERABLE", true);
        admin().delete("/api/v1/accounts/fleeting@" + D).then().statusCode(204);
        assertOutcome("fleeting@" + D, "UNKNOWN", true);
    }

    @Test
    void theAnswersAreTheOnesOfACacheFedByDirectoryChanges() throws InterruptedException {
        directory();
        DirectoryState state = new DirectoryState();
        try (KafkaDirectoryCache cache = KafkaDirectoryCache.start(Api.INFRA.kafkaBootstrap(), state)) {
            assertThat(cache.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
            List<String> addresses = List.of("alice@" + D, "bob+x@" + ALIAS_DOMAIN, "nobody@" + D, "info@" + D, "team@" + D,
                    "carol@" + D, "off@" + D, "x@" + CATCH_DOMAIN, "away@" + D, "nobody-home@" + D, "y@remote.example");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String a : addresses) {
                    assertThat(resolve(a).getString("result")).as(a).isEqualTo(outcome(state.resolve(EmailAddress.parse(a))));
                }
                for (String a : List.of("alice@" + D, "info@" + D, "team@" + D, "shared@" + D, "bob@" + D)) {
                    assertThat(sender("alice@" + D, a)).as(a).isEqualTo(state.mayUseSender("alice@" + D, EmailAddress.parse(a)));
                }
            });
        }
    }

    private static String outcome(Resolution r) {
        if (r instanceof Resolution.Deliverable) {
            return "DELIVERABLE";
        }
        if (r instanceof Resolution.NotLocal) {
            return "NOT_LOCAL";
        }
        if (r instanceof Resolution.Unknown) {
            return "UNKNOWN";
        }
        if (r instanceof Resolution.Disabled) {
            return "DISABLED";
        }
        return "UNRESOLVABLE";
    }
}
