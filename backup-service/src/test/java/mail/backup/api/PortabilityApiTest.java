package mail.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.mongodb.client.MongoDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** Export and import through the admin API: auth, up-front refusals, jobs with progress, idempotent re-import. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class PortabilityApiTest {
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
            if ("succeeded".equals(j.getString("state")) || "failed".equals(j.getString("state"))) {
                return j;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not finish");
    }

    private String account(String address) {
        String id = "acc-" + UUID.randomUUID();
        db.getCollection("directory_entries").insertOne(new Document("_id", "ACCOUNT:" + address).append("kind", "ACCOUNT")
                .append("address", address).append("accountId", id).append("quotaBytes", 0L).append("deleted", false));
        return id;
    }

    private static String body(String account, String format, String path) {
        return "{\"account\":\"" + account + "\",\"format\":\"" + format + "\",\"path\":\"" + path + "\"}";
    }

    @Test
    void onlyAdministratorsMayExportOrImport() {
        given().contentType(ContentType.JSON).body(body("a@b.test", "mbox", "x")).post("/api/v1/exports").then().statusCode(401)
                .contentType(containsString("problem+json"));
        given().contentType(ContentType.JSON).body(body("a@b.test", "mbox", "x")).post("/api/v1/imports").then().statusCode(401);
        KeycloakUsers users = new KeycloakUsers(INFRA);
        users.ensureMailUser("plain-export@backup.test", "plain-user-pw-1");
        given().auth().oauth2(users.accessToken("plain-export@backup.test", "plain-user-pw-1")).contentType(ContentType.JSON)
                .body(body("a@b.test", "mbox", "x")).post("/api/v1/exports")
                .then().statusCode(403).body("type", equalTo("urn:mailplatform:problem:forbidden"));
    }

    @Test
    void badRequestsAreRefusedUpFront() {
        String token = admin();
        String address = "export-bad-" + UUID.randomUUID().toString().substring(0, 8) + "@backup.test";
        account(address);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body("nobody-" + UUID.randomUUID() + "@backup.test", "mbox", "x"))
                .post("/api/v1/exports").then().statusCode(404).body("detail", containsString("no account"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body("nobody-" + UUID.randomUUID() + "@backup.test", "mbox", "x"))
                .post("/api/v1/imports").then().statusCode(404);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(address, "zip", "x"))
                .post("/api/v1/exports").then().statusCode(400).body("field", equalTo("format"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(address, "mbox", "../../etc"))
                .post("/api/v1/exports").then().statusCode(400).body("field", equalTo("path"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(address, "mbox", "/etc/passwd"))
                .post("/api/v1/imports").then().statusCode(400).body("field", equalTo("path"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(address, "maildir", "never-written-" + UUID.randomUUID()))
                .post("/api/v1/imports").then().statusCode(404).body("detail", containsString("does not exist"));
        given().auth().oauth2(token).get("/api/v1/exports/export-nope").then().statusCode(404);
    }

    @Test
    void exportAnAccountAndImportItIntoAnotherTwiceWithoutDuplicates() throws Exception {
        String token = admin();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String from = "export-" + tag + "@backup.test";
        String to = "import-" + tag + "@backup.test";
        String fromId = account(from);
        String toId = account(to);
        MailStore store = new MailStore(db);
        store.mailboxes().ensureDefaults(fromId);
        Mailbox inbox = store.mailboxes().find(fromId, "INBOX").orElseThrow();
        for (int i = 0; i < 3; i++) {
            MessageRef ref = blobs.put(new ByteArrayInputStream(("Subject: api " + i + "\r\n\r\nFrom here " + tag + "\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
            store.store(inbox, new NewMessage(fromId, ref, Instant.parse("2024-05-06T07:08:0" + i + "Z"), List.of("\\Seen"), List.of(),
                    null, "api-" + UUID.randomUUID())).orElseThrow();
        }
        String path = "api-" + tag;
        String exportId = given().auth().oauth2(token).contentType(ContentType.JSON).body(body(from, "maildir", path))
                .post("/api/v1/exports").then().statusCode(202).header("Location", containsString("/api/v1/exports/"))
                .extract().path("id");
        JsonPath e = awaitJob(token, "/api/v1/exports/" + exportId);
        assertThat(e.getString("state")).as(e.prettify()).isEqualTo("succeeded");
        assertThat(e.getLong("result.messages")).isEqualTo(3);
        assertThat(e.getLong("done")).isEqualTo(3);
        assertThat(Path.of("target/exchange", path, "cur")).isDirectory();
        given().auth().oauth2(token).get("/api/v1/exports").then().statusCode(200).body("id", hasItem(exportId));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body(from, "maildir", path))
                .post("/api/v1/exports").then().statusCode(409).body("field", equalTo("path"));

        for (int run = 0; run < 2; run++) {
            String importId = given().auth().oauth2(token).contentType(ContentType.JSON).body(body(to, "maildir", path))
                    .post("/api/v1/imports").then().statusCode(202).extract().path("id");
            JsonPath r = awaitJob(token, "/api/v1/imports/" + importId);
            assertThat(r.getString("state")).as(r.prettify()).isEqualTo("succeeded");
            assertThat(r.getLong("result.imported")).isEqualTo(run == 0 ? 3 : 0);
            assertThat(r.getLong("result.duplicates")).isEqualTo(run == 0 ? 0 : 3);
        }
        Mailbox imported = store.mailboxes().find(toId, "INBOX").orElseThrow();
        assertThat(store.messages().list(imported.id())).hasSize(3).allSatisfy(d ->
                assertThat(d.getList("flags", String.class)).containsExactly("\\Seen"));
        assertThat(Files.exists(Path.of("target/exchange", path))).isTrue();
        given().get("/q/metrics").then().statusCode(200).body(containsString("mail_import_messages_total"))
                .body(containsString("mail_export_messages_total"));
    }

    private static String imap(String account, String host, int port, String tls, String password, String token) {
        return "{\"account\":\"" + account + "\",\"host\":\"" + host + "\",\"port\":" + port + ",\"tls\":\"" + tls
                + "\",\"user\":\"old@example.test\"" + (password == null ? "" : ",\"password\":\"" + password + "\"")
                + (token == null ? "" : ",\"token\":\"" + token + "\"") + "}";
    }

    @Test
    void anImapImportIsCheckedUpFrontAndAnUnreachableServerFailsItsJobWithoutShowingThePassword() throws Exception {
        String token = admin();
        String address = "imap-api-" + UUID.randomUUID().toString().substring(0, 8) + "@backup.test";
        String accountId = account(address);
        given().contentType(ContentType.JSON).body(imap(address, "127.0.0.1", 993, "implicit", "pw", null))
                .post("/api/v1/imports/imap").then().statusCode(401);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(imap(address, "127.0.0.1", 993, "sometimes", "pw", null))
                .post("/api/v1/imports/imap").then().statusCode(400).body("field", equalTo("tls"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(imap(address, "127.0.0.1", 993, "implicit", "pw", "tok"))
                .post("/api/v1/imports/imap").then().statusCode(400).body("detail", containsString("either password or token"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(imap(address, "127.0.0.1", 993, "implicit", null, null))
                .post("/api/v1/imports/imap").then().statusCode(400).body("field", equalTo("password"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(imap(address, " ", 993, "implicit", "pw", null))
                .post("/api/v1/imports/imap").then().statusCode(400).body("field", equalTo("host"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(imap(address, "127.0.0.1", 70000, "none", "pw", null))
                .post("/api/v1/imports/imap").then().statusCode(400).body("field", equalTo("port"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(imap("nobody-" + UUID.randomUUID() + "@backup.test", "127.0.0.1",
                993, "implicit", "pw", null)).post("/api/v1/imports/imap").then().statusCode(404);

        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String secret = "never-shown-" + UUID.randomUUID();
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body(imap(address, "127.0.0.1", closed, "starttls", secret, null))
                .post("/api/v1/imports/imap").then().statusCode(202).header("Location", containsString("/api/v1/imports/import-"))
                .body("kind", equalTo("import-imap")).body("trigger", equalTo("api")).extract().path("id");
        JsonPath r = awaitJob(token, "/api/v1/imports/" + id);
        assertThat(r.getString("state")).isEqualTo("failed");
        assertThat(r.getString("error")).contains("cannot connect to imap://old@example.test@127.0.0.1:" + closed, "connection refused",
                "nothing was imported");
        assertThat(r.prettify()).doesNotContain(secret);
        given().auth().oauth2(token).get("/api/v1/imports").then().statusCode(200).body("id", hasItem(id))
                .body(org.hamcrest.Matchers.not(containsString(secret)));
        assertThat(db.getCollection("mailboxes").countDocuments(new Document("accountId", accountId))).isZero();
    }
}
