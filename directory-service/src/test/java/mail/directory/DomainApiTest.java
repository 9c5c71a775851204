package mail.directory;

import static mail.directory.Api.admin;
import static mail.directory.Api.post;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class DomainApiTest {

    @Test
    void createShowListAndTheNameIsNormalised() {
        post("/api/v1/domains", Map.of("name", "Domain-Create.TEST.")).statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/domains/domain-create.test"))
                .body("name", equalTo("domain-create.test"), "dkim", hasSize(2),
                        "dkim.algorithm", contains("rsa", "ed25519"), "dkim.active", contains(true, true));
        admin().get("/api/v1/domains/DOMAIN-create.test").then().statusCode(200).body("name", equalTo("domain-create.test"));
        admin().get("/api/v1/domains").then().statusCode(200).body("name", hasItem("domain-create.test"));
    }

    @Test
    void anInternationalisedDomainIsKeptInALabelFormWithItsUnicodeName() {
        post("/api/v1/domains", Map.of("name", "Bücher-Domain.test")).statusCode(201)
                .body("name", equalTo("xn--bcher-domain-dlb.test"), "unicodeName", equalTo("bücher-domain.test"));
        admin().get("/api/v1/domains/bücher-domain.test").then().statusCode(200);
    }

    @Test
    void creatingAnExistingDomainIs409AndChangesNothing() {
        Api.domain("domain-twice.test");
        var before = admin().get("/api/v1/domains/domain-twice.test").then().extract().path("dkim[0].publicKey");
        post("/api/v1/domains", Map.of("name", "DOMAIN-TWICE.test")).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:already-exists"), "field", equalTo("name"));
        admin().get("/api/v1/domains/domain-twice.test").then().body("dkim[0].publicKey", equalTo(before));
    }

    @Test
    void invalidNamesAre400WithTheFieldNamed() {
        for (String bad : List.of("", "no_underscores.test", "nodot", "-lead.test", "a..b.test", "[192.0.2.1]",
                "x".repeat(64) + ".test")) {
            post("/api/v1/domains", Map.of("name", bad)).statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:mailplatform:problem:invalid-field"), "field", equalTo("name"));
        }
        admin().body("{\"name\": [\"x.test\"]}").post("/api/v1/domains").then().statusCode(400)
                .body("type", equalTo("urn:mailplatform:problem:invalid-body"));
        admin().body("{not json").post("/api/v1/domains").then().statusCode(400)
                .body("type", equalTo("urn:mailplatform:problem:invalid-body"));
        admin().body("{\"name\":\"extra-field.test\",\"colour\":\"red\"}").post("/api/v1/domains").then().statusCode(400)
                .body("field", equalTo("colour"));
        admin().get("/api/v1/domains/extra-field.test").then().statusCode(404);
    }

    @Test
    void unknownDomainsAre404() {
        admin().get("/api/v1/domains/nowhere.test").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:mailplatform:problem:not-found"));
        admin().delete("/api/v1/domains/nowhere.test").then().statusCode(404);
        admin().get("/api/v1/domains/nowhere.test/dns").then().statusCode(404);
    }

    @Test
    void aliasDomainsAreAddedRemovedAndExclusive() {
        Api.domain("primary-a.test");
        Api.domain("primary-b.test");
        post("/api/v1/domains/primary-a.test/aliases", Map.of("name", "Alias-A.test")).statusCode(200)
                .body("aliasDomains", contains("alias-a.test"));
        // one name is only one thing: not the alias of two domains, not a domain and an alias
        post("/api/v1/domains/primary-b.test/aliases", Map.of("name", "alias-a.test")).statusCode(409);
        post("/api/v1/domains", Map.of("name", "alias-a.test")).statusCode(409);
        post("/api/v1/domains/primary-b.test/aliases", Map.of("name", "primary-a.test")).statusCode(409);
        post("/api/v1/domains/primary-a.test/aliases", Map.of("name", "primary-a.test")).statusCode(400);
        admin().delete("/api/v1/domains/primary-a.test/aliases/alias-a.test").then().statusCode(200)
                .body("aliasDomains", hasSize(0));
        admin().delete("/api/v1/domains/primary-a.test/aliases/alias-a.test").then().statusCode(404);
        // freed again
        post("/api/v1/domains/primary-b.test/aliases", Map.of("name", "alias-a.test")).statusCode(200);
    }

    @Test
    void createWithAliasDomainsThatAreTakenCreatesNothing() {
        Api.domain("taken-elsewhere.test");
        post("/api/v1/domains", Map.of("name", "half-created.test", "aliasDomains", List.of("free-alias.test",
                "taken-elsewhere.test"))).statusCode(409);
        admin().get("/api/v1/domains/half-created.test").then().statusCode(404);
        post("/api/v1/domains", Map.of("name", "free-alias.test")).statusCode(201);
    }

    @Test
    void catchAllMustExistLocallyAndCanBeRemoved() {
        Api.domain("catch.test");
        admin().body(Map.of("target", "nobody@catch.test")).put("/api/v1/domains/catch.test/catch-all").then()
                .statusCode(400).body("field", equalTo("catchAll"));
        Api.account("collector@catch.test", "Collector-pass-1");
        admin().body(Map.of("target", "Collector@catch.test")).put("/api/v1/domains/catch.test/catch-all").then()
                .statusCode(200).body("catchAll", equalTo("Collector@catch.test"));
        admin().body(Map.of("target", "archive@remote.example")).put("/api/v1/domains/catch.test/catch-all").then()
                .statusCode(200).body("catchAll", equalTo("archive@remote.example"));
        admin().body(Map.of("target", "not an address")).put("/api/v1/domains/catch.test/catch-all").then()
                .statusCode(400);
        admin().delete("/api/v1/domains/catch.test/catch-all").then().statusCode(200).body("catchAll", nullValue());
    }

    @Test
    void aDomainWithAddressesIsOnlyDeletedWhenForced() {
        Api.domain("doomed.test");
        Api.account("victim@doomed.test", "Victim-pass-12");
        post("/api/v1/aliases", Map.of("address", "alias@doomed.test", "targets", List.of("victim@doomed.test")))
                .statusCode(201);
        admin().delete("/api/v1/domains/doomed.test").then().statusCode(409)
                .body("type", equalTo("urn:mailplatform:problem:domain-not-empty"));
        admin().get("/api/v1/accounts/victim@doomed.test").then().statusCode(200);

        admin().delete("/api/v1/domains/doomed.test?force=true").then().statusCode(204);
        admin().get("/api/v1/domains/doomed.test").then().statusCode(404);
        admin().get("/api/v1/accounts/victim@doomed.test").then().statusCode(404);
        admin().get("/api/v1/aliases/alias@doomed.test").then().statusCode(404);
        admin().get("/api/v1/domains").then().body("name", not(hasItem("doomed.test")));
        org.assertj.core.api.Assertions.assertThat(Api.keycloakUsers("victim@doomed.test")).isEmpty();
    }

    @Test
    void anEmptyDomainIsDeletedWithoutForce() {
        Api.domain("empty-one.test");
        admin().delete("/api/v1/domains/empty-one.test").then().statusCode(204);
        admin().get("/api/v1/domains/empty-one.test").then().statusCode(404);
    }
}
