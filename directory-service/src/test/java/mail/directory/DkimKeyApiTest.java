package mail.directory;

import static io.restassured.RestAssured.given;
import static mail.directory.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mail.message.dkim.DkimKeyLookup;
import mail.message.dkim.DkimResult;
import mail.message.dkim.DkimSigner;
import mail.message.dkim.DkimSigningKey;
import mail.message.dkim.DkimVerification;
import mail.message.dkim.DkimVerifier;
import mail.testsupport.InfraTestResource;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * The internal DKIM key API the outbound relay signs with: only the services' client may fetch keys, and what it
 * gets signs mail that verifies against the DNS records the admin API tells administrators to publish.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class DkimKeyApiTest {
    private static final String MESSAGE = "From: Alice <alice@%s>\r\nTo: bob@remote.example\r\nSubject: signed\r\n"
            + "Date: Sun, 29 Nov 2026 09:00:00 +0000\r\nMessage-ID: <k1@%1$s>\r\n\r\nHello from the relay.\r\n";

    private static JsonPath keys(String domain) {
        return given().header("Authorization", "Bearer " + Api.serviceToken()).get("/internal/v1/dkim/" + domain)
                .then().statusCode(200).contentType("application/json")
                .header("Cache-Control", org.hamcrest.Matchers.containsString("no-store")).extract().jsonPath();
    }

    /** The DKIM TXT records of the admin API's DNS listing, as a resolver would serve them. */
    private static DkimKeyLookup publishedDns(String domain) {
        List<Map<String, Object>> records = admin().get("/api/v1/domains/" + domain + "/dns").then().statusCode(200)
                .extract().path("records");
        Map<String, String> txt = new HashMap<>();
        for (Map<String, Object> r : records) {
            if ("TXT".equals(r.get("type")) && ((String) r.get("name")).contains("._domainkey.")) {
                String name = (String) r.get("name");
                txt.put(name.substring(0, name.length() - 1), (String) r.get("value"));
            }
        }
        return (selector, d) -> {
            String v = txt.get(selector + "._domainkey." + d);
            return v == null ? new DkimKeyLookup.NotFound() : new DkimKeyLookup.Records(List.of(v));
        };
    }

    private static List<DkimSigningKey> signingKeys(JsonPath answer) {
        List<Map<String, String>> keys = answer.getList("keys");
        return keys.stream().map(k -> DkimSigningKey.fromPkcs8(k.get("selector"), answer.getString("domain"),
                k.get("algorithm"), Base64.getDecoder().decode(k.get("privateKeyPkcs8")))).toList();
    }

    private static DkimVerification signAndVerify(String domain, List<DkimSigningKey> keys) throws Exception {
        String message = String.format(MESSAGE, domain);
        String fields = new DkimSigner().sign(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), keys);
        return new DkimVerifier(publishedDns(domain)).verify(new ByteArrayInputStream(
                (fields + message).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theServiceGetsKeysThatVerifyAgainstThePublishedRecords() throws Exception {
        Api.domain("dkim-keys.test");
        JsonPath answer = keys("DKIM-Keys.test");
        assertThat(answer.getString("domain")).isEqualTo("dkim-keys.test");
        assertThat(answer.getList("keys.algorithm")).containsExactly("rsa", "ed25519");
        assertThat(answer.getList("keys.selector", String.class)).allSatisfy(s -> assertThat(s).matches("(rsa|ed)-\\d{8}-[0-9a-f]{6}"));

        DkimVerification v = signAndVerify("dkim-keys.test", signingKeys(answer));
        assertThat(v.results()).hasSize(2);
        assertThat(v.results()).extracting(DkimResult::status).containsOnly(DkimResult.Status.PASS);
        assertThat(v.results()).extracting(DkimResult::keyBits).containsExactly(2048, 256);
    }

    @Test
    void afterARotationOnlyTheNewGenerationIsHandedOut() throws Exception {
        Api.domain("dkim-rotate.test");
        List<String> before = keys("dkim-rotate.test").getList("keys.selector");
        admin().post("/api/v1/domains/dkim-rotate.test/dkim/rotate").then().statusCode(200);
        JsonPath after = keys("dkim-rotate.test");
        assertThat(after.getList("keys.selector", String.class)).hasSize(2).doesNotContainAnyElementsOf(before);
        // the new keys are in the DNS listing (next to the old ones, still published for mail in flight)
        assertThat(signAndVerify("dkim-rotate.test", signingKeys(after)).results()).extracting(DkimResult::status)
                .containsOnly(DkimResult.Status.PASS);
    }

    @Test
    void onlyTheServicesClientMayFetchKeys() {
        Api.domain("dkim-roles.test");
        given().get("/internal/v1/dkim/dkim-roles.test").then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:unauthorized"));
        given().header("Authorization", "Bearer not.a.jwt").get("/internal/v1/dkim/dkim-roles.test").then().statusCode(401);
        // administrators manage keys but never see private ones
        admin().get("/internal/v1/dkim/dkim-roles.test").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:forbidden"));
        Api.USERS.ensureMailUser("keythief@dkim-roles.test", "Thief-pass-123");
        String user = Api.USERS.accessToken("keythief@dkim-roles.test", "Thief-pass-123");
        given().header("Authorization", "Bearer " + user).get("/internal/v1/dkim/dkim-roles.test").then().statusCode(403)
                .body("type", equalTo("urn:mailplatform:problem:forbidden"));
    }

    @Test
    void unknownDomainsAndDomainsWithoutKeysAre404() {
        given().header("Authorization", "Bearer " + Api.serviceToken()).get("/internal/v1/dkim/nowhere.test").then()
                .statusCode(404).contentType("application/problem+json").body("type", equalTo("urn:mailplatform:problem:not-found"));
        given().header("Authorization", "Bearer " + Api.serviceToken()).get("/internal/v1/dkim/not_a..domain").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("domain"));

        Api.domain("dkim-none.test");
        try (MongoClient mongo = MongoClients.create(Api.INFRA.mongoUri())) {
            mongo.getDatabase("mail").getCollection("directory_domains")
                    .updateOne(Filters.eq("_id", "dkim-none.test"), Updates.set("dkim", List.<Document>of()));
        }
        given().header("Authorization", "Bearer " + Api.serviceToken()).get("/internal/v1/dkim/dkim-none.test").then()
                .statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:no-dkim-keys"),
                        "detail", equalTo("domain dkim-none.test has no DKIM keys"));
    }

    @Test
    void aKeyThatDoesNotDecryptIsAClear500AndNothingLeaks() {
        Api.domain("dkim-sealed.test");
        Api.domain("dkim-donor.test");
        try (MongoClient mongo = MongoClients.create(Api.INFRA.mongoUri())) {
            // keys sealed for another domain: AES-GCM binds the domain name, so they must not open here
            MongoCollection<Document> domains = mongo.getDatabase("mail").getCollection("directory_domains");
            Document donor = domains.find(Filters.eq("_id", "dkim-donor.test")).first();
            domains.updateOne(Filters.eq("_id", "dkim-sealed.test"), Updates.set("dkim", donor.getList("dkim", Document.class)));
        }
        String body = given().header("Authorization", "Bearer " + Api.serviceToken()).get("/internal/v1/dkim/dkim-sealed.test")
                .then().statusCode(500).contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:dkim-key-undecryptable")).extract().asString();
        assertThat(body).doesNotContain("privateKeyPkcs8").doesNotContain("v1:");
    }
}
