package mail.backup.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;

/**
 * The cron schedule of mail.backup.schedule.* starts backups by itself, listed with trigger "scheduled", and with a
 * retention policy each one is followed by a prune that keeps what the policy says. A database and bucket of its own:
 * the policy deletes backups.
 */
@QuarkusTest
@TestProfile(ScheduledBackupTest.EveryFewSeconds.class)
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class ScheduledBackupTest {
    private static final InfraEndpoints INFRA = SharedInfra.require(SharedInfra.ALL);

    public static final class EveryFewSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mail.backup.schedule.full", "0/4 * * * * ?", "mail.backup.retention.daily", "1",
                    "mail.backup.bucket", "backups-scheduled-test", "mail.mongo.database", "backup_schedule_test",
                    "mail.backup.include-realm", "false");
        }
    }

    @Test
    void backupsRunOnTheirScheduleAndRetentionKeepsTheNewestOfTheDay() throws Exception {
        String token = new KeycloakUsers(INFRA).accessToken(INFRA.adminUser(), INFRA.adminPassword());
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        JsonPath prune = null;
        while (System.nanoTime() < deadline && prune == null) {
            List<Map<String, Object>> prunes = given().auth().oauth2(token).get("/api/v1/prunes").then().statusCode(200).extract()
                    .jsonPath().getList("$");
            for (Map<String, Object> p : prunes) {
                if ("succeeded".equals(p.get("state"))) {
                    prune = given().auth().oauth2(token).get("/api/v1/prunes/" + p.get("id")).then().extract().jsonPath();
                }
            }
            Thread.sleep(500);
        }
        assertThat(prune).as("a scheduled backup followed by its prune within the time").isNotNull();
        assertThat(prune.getString("trigger")).isEqualTo("scheduled");
        // full backups, daily=1: only the newest of today is kept, whatever came before is deleted
        assertThat(prune.getList("result.kept", String.class)).hasSize(1);
        JsonPath backups = given().auth().oauth2(token).get("/api/v1/backups").then().statusCode(200).extract().jsonPath();
        List<String> complete = backups.getList("findAll { it.state == 'complete' }.id", String.class);
        assertThat(complete).isNotEmpty();
        assertThat(complete.size()).as("retention keeps the list short").isLessThanOrEqualTo(3);
        String kept = prune.getList("result.kept", String.class).get(0);
        JsonPath one = given().auth().oauth2(token).get("/api/v1/backups/" + kept).then().statusCode(200).extract().jsonPath();
        assertThat(one.getString("job.trigger")).isEqualTo("scheduled");
        given().auth().oauth2(token).post("/api/v1/backups/" + kept + "/verify").then().statusCode(200);
    }
}
