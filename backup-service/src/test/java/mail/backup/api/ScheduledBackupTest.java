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

    @jakarta.inject.Inject
    io.quarkus.scheduler.Scheduler scheduler;

    @jakarta.inject.Inject
    mail.backup.schedule.BackupJobs backupJobs;

    @Test
    void backupsRunOnTheirScheduleAndRetentionKeepsTheNewestOfTheDay() throws Exception {
        String token = new KeycloakUsers(INFRA).accessToken(INFRA.adminUser(), INFRA.adminPassword());
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        boolean deleting = false;
        while (System.nanoTime() < deadline && !deleting) {
            List<Map<String, Object>> prunes = given().auth().oauth2(token).get("/api/v1/prunes").then().statusCode(200).extract()
                    .jsonPath().getList("$");
            for (Map<String, Object> p : prunes) {
                JsonPath one = given().auth().oauth2(token).get("/api/v1/prunes/" + p.get("id")).then().extract().jsonPath();
                deleting |= "succeeded".equals(one.getString("state")) && !one.getList("result.deleted").isEmpty();
            }
            Thread.sleep(500);
        }
        assertThat(deleting).as("scheduled backups, and a prune after one of them that deleted an older one, within the time").isTrue();
        // hold the schedule still and let the last backup and its prune finish, so that what follows is not a moving target
        scheduler.pause();
        try {
            // idle twice in a row: a trigger that fired just before the pause submits its job a moment later
            int idle = 0;
            while (idle < 2) {
                Thread.sleep(500);
                idle = backupJobs.busy() ? 0 : idle + 1;
            }
            List<Map<String, Object>> prunes = given().auth().oauth2(token).get("/api/v1/prunes").then().statusCode(200).extract()
                    .jsonPath().getList("$");
            JsonPath last = given().auth().oauth2(token).get("/api/v1/prunes/" + prunes.get(prunes.size() - 1).get("id")).then().extract()
                    .jsonPath();
            assertThat(last.getString("state")).as(last.prettify()).isEqualTo("succeeded");
            assertThat(last.getString("trigger")).isEqualTo("scheduled");
            // full backups, daily=1: only the newest of today is kept, everything before it is deleted
            List<String> kept = last.getList("result.kept", String.class);
            assertThat(kept).hasSize(1);
            JsonPath backups = given().auth().oauth2(token).get("/api/v1/backups").then().statusCode(200).extract().jsonPath();
            assertThat(backups.getList("findAll { it.state == 'complete' }.id", String.class)).containsExactlyElementsOf(kept);
            JsonPath one = given().auth().oauth2(token).get("/api/v1/backups/" + kept.get(0)).then().statusCode(200).extract().jsonPath();
            assertThat(one.getString("job.trigger")).isEqualTo("scheduled");
            assertThat(one.getString("kind")).isEqualTo("full");
            given().auth().oauth2(token).post("/api/v1/backups/" + kept.get(0) + "/verify").then().statusCode(200);
        } finally {
            scheduler.resume();
        }
    }
}
