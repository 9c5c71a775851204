package mail.directory;

import static io.restassured.RestAssured.given;
import static mail.directory.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.mongodb.client.MongoDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mail.core.abuse.AuthFailureLedger;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.Test;

/** The admin API over the shared authentication failure ledger: list blocks and failures, lift a block. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class AuthBlockApiTest {
    static final AuthFailureLedger.Settings BLOCK_FAST = new AuthFailureLedger.Settings(Duration.ofMinutes(15), 2, 2, Duration.ofMinutes(15));

    @Inject
    MongoDatabase db;

    @Test
    void blocksAreListedAndLiftedByAddressOrAccount() {
        AuthFailureLedger ledger = new AuthFailureLedger(db, BLOCK_FAST);
        Instant now = Instant.now();
        ledger.failure("192.0.2.55", "Locked@Example.test", now);
        ledger.failure("192.0.2.55", "locked@example.test", now);
        ledger.failure("2001:db8:5:6::/64", null, now);
        ledger.failure("2001:db8:5:6::/64", null, now);
        ledger.failure("192.0.2.56", null, now);

        List<Map<String, Object>> blocked = admin().get("/api/v1/auth-blocks").then().statusCode(200).extract().path("entries");
        assertThat(blocked).extracting(e -> e.get("kind") + " " + e.get("value"))
                .contains("ip 192.0.2.55", "account locked@example.test", "ip 2001:db8:5:6::/64")
                .doesNotContain("ip 192.0.2.56");
        assertThat(blocked).allMatch(e -> Boolean.TRUE.equals(e.get("blocked")) && e.get("blockedUntil") != null);
        List<Map<String, Object>> all = admin().get("/api/v1/auth-blocks?all=true").then().statusCode(200).extract().path("entries");
        assertThat(all).extracting(e -> e.get("kind") + " " + e.get("value") + " " + e.get("blocked")).contains("ip 192.0.2.56 false");

        admin().delete("/api/v1/auth-blocks?ip=192.0.2.55").then().statusCode(204);
        admin().delete("/api/v1/auth-blocks?account=LOCKED@example.test").then().statusCode(204);
        // any address of the /64 names the block
        admin().delete("/api/v1/auth-blocks?ip=2001:db8:5:6:abcd::1").then().statusCode(204);
        assertThat(ledger.blocked(Instant.now())).extracting(AuthFailureLedger.Entry::key)
                .doesNotContain("ip:192.0.2.55", "account:locked@example.test", "ip:2001:db8:5:6::/64");
        admin().delete("/api/v1/auth-blocks?ip=192.0.2.55").then().statusCode(404).body("type", org.hamcrest.Matchers.endsWith("not-found"));
    }

    @Test
    void badRequestsAreRefusedWithTheField() {
        admin().delete("/api/v1/auth-blocks").then().statusCode(400).body("field", equalTo("ip"));
        admin().delete("/api/v1/auth-blocks?ip=192.0.2.1&account=a@example.test").then().statusCode(400);
        admin().delete("/api/v1/auth-blocks?ip=mail.example.com").then().statusCode(400).body("field", equalTo("ip"));
        admin().get("/api/v1/auth-blocks?limit=0").then().statusCode(400).body("field", equalTo("limit"));
    }

    @Test
    void onlyAdministratorsMayListOrLift() {
        given().get("/api/v1/auth-blocks").then().statusCode(401);
        given().header("Authorization", "Bearer " + Api.serviceToken()).get("/api/v1/auth-blocks").then().statusCode(403);
        given().header("Authorization", "Bearer " + Api.serviceToken()).delete("/api/v1/auth-blocks?ip=192.0.2.1").then().statusCode(403);
    }
}
