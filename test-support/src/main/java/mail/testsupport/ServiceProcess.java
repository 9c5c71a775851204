package mail.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mail.devinfra.LocalProcess;

/**
 * One of our services, packaged as the launcher runs it (module/target/quarkus-app, built earlier in the same
 * reactor), in a JVM of its own: for tests that need a second, independent instance (another organisation's MX, an
 * old server to migrate from). Its HTTP port is a free loopback one; it is ready when /q/health/ready says so.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int LOG_TAIL_LINES = 40;

    private final LocalProcess process;
    private final int httpPort;

    private ServiceProcess(LocalProcess process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** The packaged service of a sibling module of the one the test runs in, e.g. {@code "smtp-gateway"}. */
    public static Builder packaged(String module) {
        return new Builder(module);
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return process.log();
    }

    /** Stops it (SIGTERM, SIGKILL after a grace period) and waits until it has gone. */
    @Override
    public void close() {
        process.close();
    }

    public static final class Builder {
        private final String module;
        private final Map<String, String> config = new LinkedHashMap<>();
        private String name;
        private String workDir;
        private Path jar;
        private String heap = "160m";
        private Duration readyTimeout = Duration.ofSeconds(120);

        private Builder(String module) {
            this.module = module;
            this.name = module;
            this.workDir = module + "-process";
        }

        /** How it is called in errors and where under this module's target/ it keeps its data and log. */
        public Builder name(String name) {
            this.name = name;
            this.workDir = name;
            return this;
        }

        /** Every entry becomes a {@code -Dkey=value} system property: Quarkus reads them as configuration. */
        public Builder config(Map<String, String> entries) {
            config.putAll(entries);
            return this;
        }

        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** Another jar than the module's package (module/target/quarkus-app/quarkus-run.jar beside this module). */
        public Builder jar(Path packaged) {
            this.jar = packaged;
            return this;
        }

        public Builder heap(String maxHeap) {
            this.heap = maxHeap;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** The folder under this module's target/ that the child runs in; config may point its data below it. */
        public Path workDir() {
            return Path.of("").toAbsolutePath().resolve("target").resolve(workDir);
        }

        /** Starts it and waits until it is ready; if it dies or stays unready, it is stopped and the error carries its log's tail. */
        public ServiceProcess start() {
            Path jar = this.jar != null ? this.jar
                    : Path.of("").toAbsolutePath().resolveSibling(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: a full build packages " + module
                        + " first; alone, run ./mvnw -pl " + module + " package -DskipTests");
            }
            int httpPort = LocalProcess.freePort();
            Map<String, String> all = new LinkedHashMap<>(config);
            all.put("quarkus.http.host", "127.0.0.1");
            all.put("quarkus.http.port", Integer.toString(httpPort));
            List<String> cmd = new ArrayList<>(List.of(LocalProcess.javaBinary(), "-Xmx" + heap, "-XX:+UseSerialGC"));
            all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(jar.toString());
            Path dir = workDir();
            LocalProcess p = LocalProcess.start(name, cmd, Map.of(), dir, dir.resolve(name + ".log"));
            try {
                p.awaitReady(() -> ready(httpPort), readyTimeout, "its readiness check");
            } catch (RuntimeException e) {
                p.close();
                throw new IllegalStateException(e.getMessage() + "\n--- last lines of " + p.log() + " ---\n" + tail(p.log()), e);
            }
            return new ServiceProcess(p, httpPort);
        }
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
