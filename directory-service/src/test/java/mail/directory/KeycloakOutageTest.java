package mail.directory;

import static mail.directory.Api.admin;
import static mail.directory.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.directory.adapter.mongo.EntryStore;
import mail.directory.adapter.mongo.Revisions;
import mail.directory.entry.Entry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keycloak and MongoDB stay consistent when Keycloak fails: a create (Keycloak first) writes nothing to MongoDB; a
 * change or delete (MongoDB first) is undone in MongoDB. The client gets a 503 problem each time.
 */
@QuarkusTest
@QuarkusTestResource(value = UnreachableKeycloakAdmin.class, restrictToAnnotatedClass = true)
class KeycloakOutageTest {
    private static final String DOMAIN = "kc-outage.test";
    private static boolean prepared;

    @Inject
    EntryStore entries;

    @Inject
    Revisions revisions;

    @BeforeEach
    void domain() {
        if (!prepared) {
            Api.domain(DOMAIN);
            prepared = true;
        }
    }

    @Test
    void aCreateWhileKeycloakIsDownLeavesNothingBehind() {
        String address = "never-" + System.nanoTime() + "@" + DOMAIN;
        post("/api/v1/accounts", Map.of("address", address, "password", "Never-pass-123")).statusCode(503)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:mailplatform:problem:dependency-unavailable"));
        admin().get("/api/v1/accounts/" + address).then().statusCode(404);
        assertThat(entries.find(address)).isEmpty();
        assertThat(Api.keycloakUsers(address)).isEmpty();
    }

    @Test
    void aChangeThatKeycloakCannotTakeIsUndoneInMongo() {
        Entry before = existingAccount();
        admin().body(Map.of("displayName", "Changed Name", "quotaBytes", 99, "enabled", false))
                .patch("/api/v1/accounts/" + before.id()).then().statusCode(503)
                .body("type", equalTo("urn:mailplatform:problem:dependency-unavailable"));
        admin().get("/api/v1/accounts/" + before.id()).then().statusCode(200)
                .body("displayName", equalTo("Kept Name"), "quotaBytes", equalTo(1000), "enabled", equalTo(true));
        Entry after = entries.find(before.id()).orElseThrow();
        assertThat(after.displayName()).isEqualTo("Kept Name");
        assertThat(after.quotaBytes()).isEqualTo(1000);
        assertThat(after.enabled()).isTrue();
        assertThat(after.deleted()).isFalse();
    }

    @Test
    void aDeleteThatKeycloakCannotTakeIsUndoneInMongo() {
        Entry before = existingAccount();
        admin().delete("/api/v1/accounts/" + before.id()).then().statusCode(503)
                .body("type", equalTo("urn:mailplatform:problem:dependency-unavailable"));
        admin().get("/api/v1/accounts/" + before.id()).then().statusCode(200);
        assertThat(entries.find(before.id()).orElseThrow().deleted()).isFalse();
    }

    // an account as the API would have made it while Keycloak was up
    private Entry existingAccount() {
        String id = "kept-" + System.nanoTime() + "@" + DOMAIN;
        long revision = revisions.next(new DirectoryKey(EntityKind.ACCOUNT, id).compactionKey());
        Entry e = new Entry(id, EntityKind.ACCOUNT, id, DOMAIN, revision, false, UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "Kept Name", 1000, null, true, 1, List.of(), Instant.now());
        entries.insert(e);
        return e;
    }
}
