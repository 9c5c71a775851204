package mail.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import mail.core.blob.BlobStore;
import mail.core.event.MessageRef;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.NewMessage;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The admin API against the running service: Keycloak tokens, the configured S3 target, real Kafka offsets. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class BackupApiTest {
    private static final InfraEndpoints INFRA = SharedInfra.require(SharedInfra.ALL);

    @Inject
    MongoDatabase db;
    @Inject
    BlobStore blobs;

    private static String admin() {
        return new KeycloakUsers(INFRA).accessToken(INFRA.adminUser(), INFRA.adminPassword());
    }

    private static JsonPath awaitJob(String token, String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath j = given().auth().oauth2(token).get(path).then().statusCode(200).extract().jsonPath();
            String state = j.getString("job.state") != null ? j.getString("job.state") : j.getString("state");
            if ("succeeded".equals(state) || "failed".equals(state)) {
                return j;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not finish");
    }

    @Test
    void onlyAdministratorsMayUseIt() {
        given().get("/api/v1/backups").then().statusCode(401).contentType(containsString("problem+json"));
        KeycloakUsers users = new KeycloakUsers(INFRA);
        users.ensureMailUser("plain-backup@backup.test", "plain-user-pw-1");
        given().auth().oauth2(users.accessToken("plain-backup@backup.test", "plain-user-pw-1")).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/backups")
                .then().statusCode(403).body("type", equalTo("urn:mailplatform:problem:forbidden"));
    }

    @Test
    void backupFollowListVerifyAndRestoreAnAccountWithItsKeycloakUser() throws Exception {
        String token = admin();
        String address = "restore-" + UUID.randomUUID().toString().substring(0, 8) + "@backup.test";
        new KeycloakUsers(INFRA).ensureMailUser(address, "user-pw-12345");
        String oldKeycloakId = userId(address);
        String accountId = "acc-" + UUID.randomUUID();
        db.getCollection("directory_entries").insertOne(new Document("_id", "ACCOUNT:" + address).append("kind", "ACCOUNT")
                .append("address", address).append("accountId", accountId).append("keycloakId", oldKeycloakId).append("dirty", false));
        MailStore store = new MailStore(db);
        store.mailboxes().ensureDefaults(accountId);
        Mailbox inbox = store.mailboxes().find(accountId, "INBOX").orElseThrow();
        MessageRef ref = blobs.put(new ByteArrayInputStream(("Subject: api\r\n\r\nbody " + UUID.randomUUID() + "\r\n").getBytes(StandardCharsets.UTF_8)));
        long uid = store.store(inbox, new NewMessage(accountId, ref, Instant.parse("2024-05-06T07:08:09Z"), List.of("\\Seen"), List.of(),
                null, "api-" + UUID.randomUUID())).orElseThrow().uid();

        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"incremental\":false}").post("/api/v1/backups")
                .then().statusCode(202).header("Location", containsString("/api/v1/backups/")).extract().path("id");
        JsonPath done = awaitJob(token, "/api/v1/backups/" + id);
        assertThat(done.getString("job.state")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getString("state")).isEqualTo("complete");
        assertThat(done.getString("kind")).isEqualTo("full");
        assertThat(done.getLong("stats.messages")).isGreaterThanOrEqualTo(1);
        assertThat(done.getMap("kafkaOffsets")).isNotNull();
        given().auth().oauth2(token).get("/api/v1/backups").then().statusCode(200).body("id", hasItem(id));
        given().auth().oauth2(token).post("/api/v1/backups/" + id + "/verify").then().statusCode(200)
                .body("ok", equalTo(true)).body("blobsChecked", org.hamcrest.Matchers.greaterThanOrEqualTo(1));

        // lose the message, the Keycloak user, and the directory entry
        store.expunge(inbox, List.of(uid));
        deleteUser(oldKeycloakId);
        db.getCollection("directory_entries").deleteOne(Filters.eq("_id", "ACCOUNT:" + address));

        String restore = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"backupId\":\"" + id + "\",\"scope\":\"account\",\"account\":\"" + address + "\"}")
                .post("/api/v1/restores").then().statusCode(202).extract().path("id");
        JsonPath r = awaitJob(token, "/api/v1/restores/" + restore);
        assertThat(r.getString("state")).as(r.prettify()).isEqualTo("succeeded");
        assertThat(r.getLong("result.usersCreated")).isEqualTo(1);
        assertThat(r.getList("result.warnings", String.class)).anySatisfy(w -> assertThat(w).contains("password"));
        assertThat(r.getList("result.restoredInto", String.class)).anySatisfy(w -> assertThat(w).startsWith("INBOX -> Restored/"));

        String newKeycloakId = userId(address);
        assertThat(newKeycloakId).isNotEqualTo(oldKeycloakId);
        Document entry = db.getCollection("directory_entries").find(Filters.eq("_id", "ACCOUNT:" + address)).first();
        assertThat(entry.getString("keycloakId")).isEqualTo(newKeycloakId);
        assertThat(entry.getBoolean("dirty")).as("directory-service publishes it again").isTrue();
        Mailbox restored = store.mailboxes().list(accountId).stream().filter(m -> m.name().startsWith("Restored/")).findFirst().orElseThrow();
        List<Document> back = store.messages().list(restored.id());
        assertThat(back).singleElement().satisfies(d -> {
            assertThat(d.getList("flags", String.class)).containsExactly("\\Seen");
            assertThat(d.getDate("internalDate").toInstant()).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
        });

        given().get("/q/metrics").then().statusCode(200).body(containsString("mail_backup_jobs_total"))
                .body(containsString("mail_backup_last_success_timestamp_seconds"));
    }

    @Test
    void badRestoreRequestsAreRefusedUpFrontAndAFullRestoreNeedsAnEmptyPlatform() throws Exception {
        String token = admin();
        new MailStore(db).mailboxes().ensureDefaults("acc-nonempty-" + UUID.randomUUID());
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"everything\",\"backupId\":\"x\"}")
                .post("/api/v1/restores").then().statusCode(400).body("field", equalTo("scope"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"full\",\"backupId\":\"../../etc\"}")
                .post("/api/v1/restores").then().statusCode(400).body("field", equalTo("backupId"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"full\",\"backupId\":\"20000101T000000Z-00000000\"}")
                .post("/api/v1/restores").then().statusCode(404);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"full\",\"at\":\"yesterday\"}")
                .post("/api/v1/restores").then().statusCode(400).body("field", equalTo("at"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"full\",\"at\":\"2000-01-01T00:00:00Z\"}")
                .post("/api/v1/restores").then().statusCode(404);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"full\",\"backupId\":\"x\",\"bogus\":1}")
                .post("/api/v1/restores").then().statusCode(400);
        given().auth().oauth2(token).get("/api/v1/backups/20000101T000000Z-00000000").then().statusCode(404);
        given().auth().oauth2(token).post("/api/v1/backups/nope/verify").then().statusCode(400).body("field", equalTo("id"));

        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/api/v1/backups")
                .then().statusCode(202).extract().path("id");
        assertThat(awaitJob(token, "/api/v1/backups/" + id).getString("job.state")).isEqualTo("succeeded");
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"account\",\"backupId\":\"" + id + "\"}")
                .post("/api/v1/restores").then().statusCode(400).body("field", equalTo("account"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"scope\":\"full\",\"at\":\"" + Instant.now().plusSeconds(5) + "\"}")
                .post("/api/v1/restores").then().statusCode(409).body("field", equalTo("force"))
                .body("detail", containsString("not empty"));
    }

    private static String serviceToken() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + INFRA.servicesClientId() + "&client_secret="
                + URLEncoder.encode(INFRA.servicesSecret(), StandardCharsets.UTF_8);
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(INFRA.realmUrl() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return JsonPath.from(body).getString("access_token");
    }

    private static String userId(String username) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(INFRA.keycloakUrl() + "/admin/realms/mail/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + serviceToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return JsonPath.from(body).getString("[0].id");
    }

    private static void deleteUser(String id) throws Exception {
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(INFRA.keycloakUrl() + "/admin/realms/mail/users/" + id))
                .header("Authorization", "Bearer " + serviceToken()).DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(204);
    }

    @Inject
    mail.backup.schedule.BackupJobs backupJobs;

    @Test
    void aScheduledBackupIsListedWithItsTriggerAndNothingStartsWhileAnotherRunsHereOrInAnotherCopy() throws Exception {
        String token = admin();
        java.util.Optional<mail.backup.api.Job> first = backupJobs.scheduled(false);
        assertThat(first).isPresent();
        assertThat(backupJobs.scheduled(false)).as("one is queued or running here").isEmpty();
        JsonPath done = awaitJob(token, "/api/v1/backups/" + first.get().id());
        assertThat(done.getString("job.state")).as(done.prettify()).isEqualTo("succeeded");
        assertThat(done.getString("job.trigger")).isEqualTo("scheduled");
        given().auth().oauth2(token).get("/api/v1/backups").then().statusCode(200).body("id", hasItem(first.get().id()));

        // another copy of the service holds the lease: the schedule skips, an API backup fails saying who holds it
        com.mongodb.client.MongoCollection<Document> leases = db.getCollection(mail.backup.schedule.BackupLease.COLLECTION);
        leases.updateOne(Filters.eq("_id", "backup-target"), com.mongodb.client.model.Updates.combine(
                com.mongodb.client.model.Updates.set("owner", "other-copy"), com.mongodb.client.model.Updates.set("job", "backup-elsewhere"),
                com.mongodb.client.model.Updates.set("since", new java.util.Date()),
                com.mongodb.client.model.Updates.set("until", java.util.Date.from(Instant.now().plusSeconds(600)))));
        try {
            assertThat(backupJobs.scheduled(true)).isEmpty();
            String id = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"incremental\":true}").post("/api/v1/backups")
                    .then().statusCode(202).body("trigger", equalTo("api")).extract().path("id");
            JsonPath refused = awaitJob(token, "/api/v1/backups/" + id);
            assertThat(refused.getString("job.state")).isEqualTo("failed");
            assertThat(refused.getString("job.error")).contains("another backup job holds the backup target", "backup-elsewhere", "other-copy");
            String prune = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"dryRun\":true}").post("/api/v1/prunes")
                    .then().statusCode(202).extract().path("id");
            assertThat(awaitJob(token, "/api/v1/prunes/" + prune).getString("error")).contains("another backup job holds the backup target");
        } finally {
            leases.updateOne(Filters.eq("_id", "backup-target"), com.mongodb.client.model.Updates.set("until", new java.util.Date(0)));
        }
    }

    @Test
    void pruneWithoutAPolicyDeletesNothingAndADryRunSaysWhatItWouldKeep() throws Exception {
        String token = admin();
        String backup = given().auth().oauth2(token).contentType(ContentType.JSON).body("{}").post("/api/v1/backups")
                .then().statusCode(202).extract().path("id");
        assertThat(awaitJob(token, "/api/v1/backups/" + backup).getString("job.state")).isEqualTo("succeeded");
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/prunes").then().statusCode(401);
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"dryRun\":true}").post("/api/v1/prunes")
                .then().statusCode(202).header("Location", containsString("/api/v1/prunes/prune-")).extract().path("id");
        JsonPath r = awaitJob(token, "/api/v1/prunes/" + id);
        assertThat(r.getString("state")).as(r.prettify()).isEqualTo("succeeded");
        assertThat(r.getBoolean("result.dryRun")).isTrue();
        assertThat(r.getList("result.deleted", String.class)).isEmpty();
        assertThat(r.getList("result.kept", String.class)).contains(backup);
        given().auth().oauth2(token).get("/api/v1/prunes").then().statusCode(200).body("id", hasItem(id));
        given().auth().oauth2(token).get("/api/v1/prunes/prune-nope").then().statusCode(404);
    }
}
