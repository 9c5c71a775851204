package mail.backup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import mail.testsupport.RestartableS3;
import org.junit.jupiter.api.Test;

/** The object store goes away and comes back: the service stays alive, reports not-ready, and recovers by itself. */
@QuarkusTest
@TestProfile(DependencyOutageTest.PrivateS3.class)
class DependencyOutageTest {

    public static final class PrivateS3 implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RestartableS3.class));
        }
    }

    @Test
    void notReadyWhileTheStoreIsDownAndReadyAgainWhenItReturns() throws Exception {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        RestartableS3.down();
        awaitStatus(503);
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'dependencies' }.data.s3", containsString("DOWN"))
                .body("checks.find { it.name == 'dependencies' }.data.mongo", containsString("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("mail_dependency_up{dependency=\"s3\"} 0.0"));

        RestartableS3.up();
        awaitStatus(200);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'dependencies' }.data.s3", containsString("UP"));
    }

    private static void awaitStatus(int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = given().get("/q/health/ready").statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("readiness stayed " + last + ", expected " + status);
    }
}
