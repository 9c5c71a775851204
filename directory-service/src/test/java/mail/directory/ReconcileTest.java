package mail.directory;

import static mail.directory.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import mail.testsupport.InfraTestResource;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.UserRepresentation;

/** Users created, disabled or deleted directly in Keycloak are picked up. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class ReconcileTest {

    @Test
    void aUserCreatedInKeycloakBecomesAnAccountAndFollowsItsEnabledFlagAndDeletion() {
        Api.domain("reconcile.test");
        Api.USERS.ensureMailUser("direct@reconcile.test", "Direct-pass-1");
        Api.USERS.ensureMailUser("outsider@not-ours.test", "Outsider-pass-1");
        admin().get("/api/v1/accounts/direct@reconcile.test").then().statusCode(404);

        admin().post("/api/v1/maintenance/reconcile").then().statusCode(200).body("adopted", greaterThanOrEqualTo(1));
        admin().get("/api/v1/accounts/direct@reconcile.test").then().statusCode(200).body("enabled", equalTo(true));
        admin().get("/api/v1/accounts/outsider@not-ours.test").then().statusCode(404);

        try (Keycloak k = Api.keycloak()) {
            UserRepresentation u = k.realm("mail").users().search("direct@reconcile.test", true).get(0);
            u.setEnabled(false);
            k.realm("mail").users().get(u.getId()).update(u);
        }
        admin().post("/api/v1/maintenance/reconcile").then().statusCode(200).body("enabledChanged", equalTo(1));
        admin().get("/api/v1/accounts/direct@reconcile.test").then().body("enabled", equalTo(false));

        try (Keycloak k = Api.keycloak()) {
            String id = k.realm("mail").users().search("direct@reconcile.test", true).get(0).getId();
            k.realm("mail").users().delete(id).close();
        }
        admin().post("/api/v1/maintenance/reconcile").then().statusCode(200).body("removed", equalTo(1));
        admin().get("/api/v1/accounts/direct@reconcile.test").then().statusCode(404);

        // a second run finds nothing more to do
        admin().post("/api/v1/maintenance/reconcile").then().statusCode(200)
                .body("adopted", equalTo(0), "enabledChanged", equalTo(0), "removed", equalTo(0));
    }
}
