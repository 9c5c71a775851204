package mail.directory;

import static mail.directory.Api.admin;
import static mail.directory.Api.post;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class ForwardingApiTest {

    private static boolean prepared;

    // not @BeforeAll: RestAssured points at the application only once a test method runs
    @BeforeEach
    void directory() {
        if (prepared) {
            return;
        }
        prepared = true;
        admin().body(Map.of("name", "fwd.test")).post("/api/v1/domains");
        for (String a : List.of("ann@fwd.test", "ben@fwd.test", "cat@fwd.test")) {
            admin().body(Map.of("address", a, "password", "Forward-pass-1")).post("/api/v1/accounts");
        }
    }

    @Test
    void aliasesForwardToLocalAndRemoteTargetsDeduplicated() {
        post("/api/v1/aliases", Map.of("address", "Info@fwd.test",
                "targets", List.of("ann@fwd.test", "ANN@fwd.test", "Partner@Remote.example"))).statusCode(201)
                .body("address", equalTo("Info@fwd.test"), "targets", contains("ann@fwd.test", "Partner@remote.example"));
        admin().get("/api/v1/aliases/info@fwd.test").then().statusCode(200).body("targets", hasSize(2));
        admin().get("/api/v1/aliases?domain=fwd.test").then().statusCode(200).body("items.address",
                org.hamcrest.Matchers.hasItem("Info@fwd.test"));
    }

    @Test
    void anAddressIsOnlyOneOfAccountAliasAndGroup() {
        post("/api/v1/aliases", Map.of("address", "ben@fwd.test", "targets", List.of("ann@fwd.test"))).statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("is already an account"));
        post("/api/v1/groups", Map.of("address", "BEN@fwd.test", "members", List.of())).statusCode(409);
        post("/api/v1/groups", Map.of("address", "staff@fwd.test", "members", List.of("ann@fwd.test"))).statusCode(201);
        post("/api/v1/aliases", Map.of("address", "staff@fwd.test", "targets", List.of("ann@fwd.test"))).statusCode(409);
        // and the kinds do not see each other's entries
        admin().get("/api/v1/aliases/staff@fwd.test").then().statusCode(404);
        admin().get("/api/v1/accounts/staff@fwd.test").then().statusCode(404);
    }

    @Test
    void badTargetsAre400WithTheFieldNamed() {
        post("/api/v1/aliases", Map.of("address", "empty@fwd.test", "targets", List.of())).statusCode(400)
                .body("field", equalTo("targets"));
        post("/api/v1/aliases", Map.of("address", "empty@fwd.test")).statusCode(400).body("field", equalTo("targets"));
        post("/api/v1/aliases", Map.of("address", "typo@fwd.test", "targets", List.of("ann@fwd.test", "anm@fwd.test")))
                .statusCode(400).body("field", equalTo("targets[1]"));
        post("/api/v1/aliases", Map.of("address", "loop@fwd.test", "targets", List.of("LOOP@fwd.test"))).statusCode(400)
                .body("field", equalTo("targets[0]"));
        post("/api/v1/aliases", Map.of("address", "junk@fwd.test", "targets", List.of("no at sign"))).statusCode(400)
                .body("field", equalTo("targets[0]"));
        post("/api/v1/aliases", Map.of("address", "x@elsewhere.test", "targets", List.of("ann@fwd.test"))).statusCode(400)
                .body("field", equalTo("address"));
        post("/api/v1/groups", Map.of("address", "huge@fwd.test", "members",
                Collections.nCopies(1, "a@remote.example").stream().flatMap(x -> java.util.stream.IntStream.range(0, 1001)
                        .mapToObj(i -> "m" + i + "@remote.example")).toList())).statusCode(400).body("field", equalTo("members"));
        admin().get("/api/v1/aliases/typo@fwd.test").then().statusCode(404);
        admin().get("/api/v1/groups/huge@fwd.test").then().statusCode(404);
    }

    @Test
    void groupMembersAreAddedRemovedAndReplaced() {
        post("/api/v1/groups", Map.of("address", "team@fwd.test", "members", List.of())).statusCode(201)
                .body("members", hasSize(0));
        admin().body(Map.of("add", List.of("ann@fwd.test", "ben@fwd.test"))).patch("/api/v1/groups/team@fwd.test").then()
                .statusCode(200).body("members", contains("ann@fwd.test", "ben@fwd.test"));
        admin().body(Map.of("remove", List.of("ANN@fwd.test"), "add", List.of("cat@fwd.test")))
                .patch("/api/v1/groups/team@fwd.test").then().statusCode(200)
                .body("members", contains("ben@fwd.test", "cat@fwd.test"));
        admin().body(Map.of("remove", List.of("nobody@fwd.test"))).patch("/api/v1/groups/team@fwd.test").then()
                .statusCode(400).body("field", equalTo("remove[0]"));
        // groups may contain other groups and aliases
        post("/api/v1/aliases", Map.of("address", "sales@fwd.test", "targets", List.of("cat@fwd.test"))).statusCode(201);
        admin().body(Map.of("members", List.of("sales@fwd.test", "staff2@remote.example")))
                .put("/api/v1/groups/team@fwd.test").then().statusCode(200)
                .body("members", contains("sales@fwd.test", "staff2@remote.example"));
        admin().get("/api/v1/groups/team@fwd.test").then().body("members", hasSize(2));
    }

    @Test
    void removingTheLastTargetOfAnAliasIsRefused() {
        post("/api/v1/aliases", Map.of("address", "single@fwd.test", "targets", List.of("ann@fwd.test"))).statusCode(201);
        admin().body(Map.of("remove", List.of("ann@fwd.test"))).patch("/api/v1/aliases/single@fwd.test").then()
                .statusCode(400).body("field", equalTo("targets"));
        admin().get("/api/v1/aliases/single@fwd.test").then().body("targets", contains("ann@fwd.test"));
    }

    @Test
    void deleteFreesTheAddress() {
        post("/api/v1/groups", Map.of("address", "temp@fwd.test", "members", List.of("ann@fwd.test"))).statusCode(201);
        admin().delete("/api/v1/groups/temp@fwd.test").then().statusCode(204);
        admin().delete("/api/v1/groups/temp@fwd.test").then().statusCode(404);
        admin().get("/api/v1/groups/temp@fwd.test").then().statusCode(404);
        post("/api/v1/aliases", Map.of("address", "temp@fwd.test", "targets", List.of("ann@fwd.test"))).statusCode(201);
    }
}
