package mail.testsupport;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a service that cannot start says so: what is missing, or the child's own last words. */
class ServiceProcessTest {

    @Test
    void aMissingPackageIsNamedWithHowToBuildIt() {
        assertThatThrownBy(() -> ServiceProcess.packaged("no-such-module").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-module/target/quarkus-app/quarkus-run.jar is missing")
                .hasMessageContaining("./mvnw -pl no-such-module package -DskipTests");
    }

    @Test
    void aChildThatDiesBeforeItIsReadyFailsTheStartWithTheTailOfItsLog(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("broken.jar"), "not a jar");
        assertThatThrownBy(() -> ServiceProcess.packaged("test-support").name("broken-service").jar(jar).heap("32m").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken-service exited with code")
                .hasMessageContaining("--- last lines of")
                .hasMessageContaining("Invalid or corrupt jarfile");
    }
}
