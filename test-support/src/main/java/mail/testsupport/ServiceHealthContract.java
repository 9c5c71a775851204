package mail.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every service's health and metrics endpoints must do, written once and run by each service's @QuarkusTest:
 * liveness is up, readiness asks each configured dependency of the real infrastructure, and metrics are exported.
 */
public interface ServiceHealthContract {

    @Test
    default void liveAndReadyWithEveryDependencyUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        var ready = given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        List<String> deps = ConfigProvider.getConfig().getValues("mail.readiness.dependencies", String.class);
        if (deps.isEmpty()) {
            throw new AssertionError("mail.readiness.dependencies is empty: readiness would check nothing");
        }
        for (String dep : deps) {
            ready.body("checks.find { it.name == 'dependencies' }.data." + dep.trim(), containsString("UP"));
        }
    }

    @Test
    default void prometheusMetricsAreExported() {
        given().when().get("/q/health/ready").then().statusCode(200);
        var metrics = given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        for (String dep : ConfigProvider.getConfig().getValues("mail.readiness.dependencies", String.class)) {
            metrics.body(containsString("mail_dependency_up{dependency=\"" + dep.trim() + "\"} 1.0"));
        }
    }
}
