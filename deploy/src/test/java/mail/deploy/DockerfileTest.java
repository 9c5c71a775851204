package mail.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DockerfileTest {
    @Test
    void everyServiceHasAnImageThatRunsUnprivilegedChecksReadinessAndSizesItsHeap() throws Exception {
        List<String> problems = new ArrayList<>();
        for (ServiceModule m : Repo.services()) {
            assertThat(m.dockerfile()).as(m.name()).isRegularFile();
            Dockerfile d = m.image();
            problems.addAll(d.problems(m.name(), m.httpPort(), List.copyOf(m.listeners(d.env()).values())));
            problems.addAll(hadolint(m.dockerfile()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aBrokenDockerfileIsReported() {
        Dockerfile d = Dockerfile.parse(Repo.read(Path.of("src/test/resources/broken/Dockerfile.broken")));

        List<String> problems = d.problems("sample", 8082, List.of(2525));

        assertThat(String.join("\n", problems)).contains(
                "FROM registry.access.redhat.com/ubi9/openjdk-17-runtime has no tag",
                "runs as root", "no HEALTHCHECK", "ENV QUARKUS_HTTP_PORT=8080 but application.properties has quarkus.http.port=8082",
                "QUARKUS_HTTP_HOST is not 0.0.0.0", "port 8082 not in EXPOSE", "no -XX:MaxRAMPercentage");
    }

    /** hadolint when installed (it is a Debian package on some machines); the structural checks above always run. */
    private static List<String> hadolint(Path dockerfile) throws IOException, InterruptedException {
        Path bin = Kustomize.onPath("hadolint");
        if (bin == null) {
            return List.of();
        }
        Process p = new ProcessBuilder(bin.toString(), "--failure-threshold", "warning", dockerfile.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return List.of("hadolint timed out on " + dockerfile);
        }
        return p.exitValue() == 0 ? List.of() : List.of("hadolint " + dockerfile + ":\n" + out);
    }
}
