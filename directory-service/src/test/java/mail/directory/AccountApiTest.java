package mail.directory;

import static mail.directory.Api.admin;
import static mail.directory.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mail.testsupport.InfraTestResource;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class AccountApiTest {

    private static boolean prepared;

    // not @BeforeAll: RestAssured points at the application only once a test method runs
    @BeforeEach
    void domains() {
        if (prepared) {
            return;
        }
        prepared = true;
        for (String d : List.of("accounts.test", "paging-a.test", "paging-b.test")) {
            admin().body(Map.of("name", d)).post("/api/v1/domains");
        }
    }

    @Test
    void createMakesAKeycloakUserWithPasswordAndRoleAndAMongoEntry() {
        post("/api/v1/accounts", Map.of("address", "Alice@Accounts.TEST", "password", "Alice-pass-1",
                "displayName", "Alice Liddell", "quotaBytes", 5_000_000, "quotaMessages", 100)).statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/accounts/Alice@accounts.test"))
                .body("address", equalTo("Alice@accounts.test"), "displayName", equalTo("Alice Liddell"),
                        "quotaBytes", equalTo(5_000_000), "quotaMessages", equalTo(100), "enabled", equalTo(true),
                        "accountId", notNullValue());

        // the password works against Keycloak under the canonical address, and the token carries mail-user
        String token = Api.USERS.accessToken("alice@accounts.test", "Alice-pass-1");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"mail-user\"").contains("\"email\":\"alice@accounts.test\"");

        try (MongoClient mongo = MongoClients.create(Api.INFRA.mongoUri())) {
            Document d = mongo.getDatabase("mail").getCollection("directory_entries")
                    .find(new Document("_id", "alice@accounts.test")).first();
            assertThat(d).isNotNull();
            assertThat(d.getString("kind")).isEqualTo("ACCOUNT");
            assertThat(d).doesNotContainKey("password");
        }
        admin().get("/api/v1/accounts/ALICE@accounts.test").then().statusCode(200)
                .body("usage.bytes", equalTo(0), "usage.messages", equalTo(0));
    }

    @Test
    void defaultsApplyWhenOnlyAddressAndPasswordAreGiven() {
        post("/api/v1/accounts", Map.of("address", "minimal@accounts.test", "password", "Minimal-pass-1")).statusCode(201)
                .body("quotaBytes", equalTo(1073741824), "quotaMessages", nullValue(), "displayName", nullValue());
    }

    @Test
    void displayNamesWithCharactersKeycloakRefusesForPersonNamesAreStillAccepted() {
        post("/api/v1/accounts", Map.of("address", "sales-desk@accounts.test", "password", "Sales-pass-1",
                "displayName", "Sales (EU) <desk> & co; \"team\"")).statusCode(201)
                .body("displayName", equalTo("Sales (EU) <desk> & co; \"team\""));
        Api.USERS.accessToken("sales-desk@accounts.test", "Sales-pass-1");
    }

    @Test
    void invalidInputIs400WithTheFieldNamedAndCreatesNoUser() {
        record Case(Map<String, Object> body, String field) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("password", "Long-enough-1"), "address"),
                new Case(Map.of("address", "not-an-address", "password", "Long-enough-1"), "address"),
                new Case(Map.of("address", "a b@accounts.test", "password", "Long-enough-1"), "address"),
                new Case(Map.of("address", "x@[192.0.2.1]", "password", "Long-enough-1"), "address"),
                new Case(Map.of("address", "x".repeat(65) + "@accounts.test", "password", "Long-enough-1"), "address"),
                new Case(Map.of("address", "someone@not-hosted.test", "password", "Long-enough-1"), "address"),
                new Case(Map.of("address", "bad-pw@accounts.test"), "password"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "short"), "password"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "with\nnewline-1"), "password"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "x".repeat(1025)), "password"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "Long-enough-1", "quotaBytes", -1), "quotaBytes"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "Long-enough-1", "quotaMessages", -5), "quotaMessages"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "Long-enough-1", "displayName", "x".repeat(257)), "displayName"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "Long-enough-1", "displayName", "a\u0000b"), "displayName"),
                new Case(Map.of("address", "bad-pw@accounts.test", "password", "Long-enough-1", "quotaBytes", "lots"), "quotaBytes"));
        for (Case c : cases) {
            post("/api/v1/accounts", c.body()).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(c.field()), "status", equalTo(400));
        }
        assertThat(Api.keycloakUsers("bad-pw@accounts.test")).isEmpty();
        admin().get("/api/v1/accounts/bad-pw@accounts.test").then().statusCode(404);
    }

    @Test
    void anExistingAccountIs409InAnyCase() {
        Api.account("twice@accounts.test", "Twice-pass-1");
        post("/api/v1/accounts", Map.of("address", "TWICE@accounts.test", "password", "Other-pass-1")).statusCode(409)
                .body("type", equalTo("urn:mailplatform:problem:already-exists"), "field", equalTo("address"));
        // the first password still works: nothing was changed
        Api.USERS.accessToken("twice@accounts.test", "Twice-pass-1");
    }

    @Test
    void aUserCreatedDirectlyInKeycloakMakesTheCreate409AndIsLeftAsItWas() {
        // Keycloak refuses the second user of that name: no MongoDB entry is written, and the user that was there
        // first (not ours to remove) keeps its password
        Api.USERS.ensureMailUser("kc-first@accounts.test", "Kc-first-pass-1");
        post("/api/v1/accounts", Map.of("address", "kc-first@accounts.test", "password", "Other-pass-12")).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:already-exists"), "field", equalTo("address"));
        admin().get("/api/v1/accounts/kc-first@accounts.test").then().statusCode(404);
        assertThat(Api.keycloakUsers("kc-first@accounts.test")).hasSize(1);
        Api.USERS.accessToken("kc-first@accounts.test", "Kc-first-pass-1");
        try (MongoClient c = MongoClients.create(Api.INFRA.mongoUri())) {
            assertThat(c.getDatabase("mail").getCollection("directory_entries")
                    .countDocuments(new Document("_id", "kc-first@accounts.test"))).isZero();
        }
    }

    @Test
    void anAddressThatIsAnAliasCannotBecomeAnAccountAndTheKeycloakUserIsRemovedAgain() {
        Api.account("owner@accounts.test", "Owner-pass-1");
        post("/api/v1/aliases", Map.of("address", "shared@accounts.test", "targets", List.of("owner@accounts.test")))
                .statusCode(201);
        // Keycloak accepts the user first; the MongoDB insert then fails on the address, and the user must go again
        post("/api/v1/accounts", Map.of("address", "shared@accounts.test", "password", "Shared-pass-1")).statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("is already an alias"));
        assertThat(Api.keycloakUsers("shared@accounts.test")).isEmpty();
        admin().get("/api/v1/aliases/shared@accounts.test").then().statusCode(200);
    }

    @Test
    void patchChangesPasswordDisplayNameQuotaAndEnabled() {
        Api.account("patchy@accounts.test", "Patchy-pass-1");
        admin().body(Map.of("displayName", "Patchy McPatch", "quotaBytes", 42, "quotaMessages", 7))
                .patch("/api/v1/accounts/patchy@accounts.test").then().statusCode(200)
                .body("displayName", equalTo("Patchy McPatch"), "quotaBytes", equalTo(42), "quotaMessages", equalTo(7));
        admin().body(Map.of("password", "Patchy-pass-2")).patch("/api/v1/accounts/patchy@accounts.test").then()
                .statusCode(200);
        Api.USERS.accessToken("patchy@accounts.test", "Patchy-pass-2");
        assertThat(tokenFails("patchy@accounts.test", "Patchy-pass-1")).isTrue();

        admin().body(Map.of("enabled", false)).patch("/api/v1/accounts/patchy@accounts.test").then().statusCode(200)
                .body("enabled", equalTo(false));
        assertThat(Api.keycloakUsers("patchy@accounts.test").get(0).isEnabled()).isFalse();
        assertThat(tokenFails("patchy@accounts.test", "Patchy-pass-2")).isTrue();
        admin().body(Map.of("enabled", true)).patch("/api/v1/accounts/patchy@accounts.test").then().statusCode(200);
        Api.USERS.accessToken("patchy@accounts.test", "Patchy-pass-2");
    }

    @Test
    void patchRejectsBadValuesAndChangesNothing() {
        Api.account("stable@accounts.test", "Stable-pass-1");
        admin().body(Map.of("password", "short")).patch("/api/v1/accounts/stable@accounts.test").then().statusCode(400)
                .body("field", equalTo("password"));
        admin().body(Map.of("quotaBytes", -3, "displayName", "Changed")).patch("/api/v1/accounts/stable@accounts.test")
                .then().statusCode(400).body("field", equalTo("quotaBytes"));
        admin().body(Map.of("enabled", "maybe")).patch("/api/v1/accounts/stable@accounts.test").then().statusCode(400);
        admin().get("/api/v1/accounts/stable@accounts.test").then()
                .body("displayName", equalTo("Test stable@accounts.test"), "enabled", equalTo(true));
        Api.USERS.accessToken("stable@accounts.test", "Stable-pass-1");
        admin().body(Map.of("password", "Whatever-1")).patch("/api/v1/accounts/ghost@accounts.test").then().statusCode(404);
    }

    @Test
    void deleteRemovesKeycloakUserAndEntryAndQueuesTheMailData() {
        Api.account("leaving@accounts.test", "Leaving-pass-1");
        String accountId = admin().get("/api/v1/accounts/leaving@accounts.test").then().extract().path("accountId");
        admin().delete("/api/v1/accounts/leaving@accounts.test").then().statusCode(204);
        admin().get("/api/v1/accounts/leaving@accounts.test").then().statusCode(404);
        admin().delete("/api/v1/accounts/leaving@accounts.test").then().statusCode(404);
        assertThat(Api.keycloakUsers("leaving@accounts.test")).isEmpty();
        try (MongoClient mongo = MongoClients.create(Api.INFRA.mongoUri())) {
            Document purge = mongo.getDatabase("mail").getCollection("directory_purges")
                    .find(new Document("_id", accountId)).first();
            assertThat(purge).isNotNull();
            assertThat(purge.getString("state")).isEqualTo("PENDING");
        }
        // the address is free again, for a new account with a new id
        post("/api/v1/accounts", Map.of("address", "leaving@accounts.test", "password", "Leaving-pass-2")).statusCode(201)
                .body("accountId", org.hamcrest.Matchers.not(equalTo(accountId)));
    }

    @Test
    void listPagesInAddressOrderAndFiltersByDomain() {
        for (String a : List.of("c@paging-a.test", "a@paging-a.test", "b@paging-a.test", "z@paging-b.test")) {
            Api.account(a, "Paging-pass-1");
        }
        admin().get("/api/v1/accounts?domain=paging-a.test&limit=2").then().statusCode(200)
                .body("items.address", contains("a@paging-a.test", "b@paging-a.test"), "next", equalTo("b@paging-a.test"));
        admin().get("/api/v1/accounts?domain=paging-a.test&limit=2&after=b@paging-a.test").then().statusCode(200)
                .body("items.address", contains("c@paging-a.test"), "next", nullValue());
        admin().get("/api/v1/accounts?domain=PAGING-B.test").then().body("items", hasSize(1));
        admin().get("/api/v1/accounts?limit=0").then().statusCode(200);
        admin().get("/api/v1/accounts?limit=5000").then().statusCode(400).body("field", equalTo("limit"));
        admin().get("/api/v1/accounts?domain=bad_domain").then().statusCode(400).body("field", equalTo("domain"));
    }

    private static boolean tokenFails(String user, String password) {
        try {
            Api.USERS.accessToken(user, password);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
