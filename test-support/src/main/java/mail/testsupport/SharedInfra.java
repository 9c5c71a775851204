package mail.testsupport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import mail.devinfra.StateFile;

/**
 * The real infrastructure (Kafka, MongoDB-compatible server, S3Proxy, Keycloak) of one build: started by the first
 * test JVM that needs it, found and reused by every later one, and stopped when the Maven process that owns the build
 * ends. Ports are free ones, so two builds (or a running local platform) never collide.
 */
public final class SharedInfra {
    public static final Set<String> ALL = Set.of("kafka", "mongo", "s3", "keycloak");
    private static final long TIMEOUT_MS = 420_000;

    private SharedInfra() {
    }

    public static InfraEndpoints require(String... components) {
        return require(Set.of(components));
    }

    public static synchronized InfraEndpoints require(Set<String> components) {
        Path root = root();
        long owner = owner();
        Path dir = root.resolve("target/test-infra/run-" + owner);
        Path stateFile = dir.resolve("state.properties");
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve("start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Properties p = StateFile.read(stateFile);
                if (!alive(p)) {
                    launch(root, dir, owner);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        return await(stateFile, components);
    }

    /**
     * The process whose life bounds the infrastructure: the Maven JVM running the build. Surefire starts each test
     * JVM through "/bin/sh -c", so the direct parent is a different shell for every module; walk up to Maven.
     */
    static long owner() {
        ProcessHandle self = ProcessHandle.current();
        ProcessHandle p = self.parent().orElse(null);
        ProcessHandle firstJavaOrOther = null;
        for (ProcessHandle h = p; h != null; h = h.parent().orElse(null)) {
            String cmd = h.info().commandLine().orElse("");
            if (cmd.contains("plexus-classworlds") || cmd.contains("org.codehaus.plexus.classworlds")) {
                return h.pid();
            }
            String exe = h.info().command().orElse("");
            if (firstJavaOrOther == null && !(exe.endsWith("/sh") || exe.endsWith("/bash") || exe.endsWith("/dash"))) {
                firstJavaOrOther = h;
            }
        }
        return firstJavaOrOther != null ? firstJavaOrOther.pid() : self.pid();
    }

    private static boolean alive(Properties p) {
        String pid = p.getProperty("pid");
        return pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)
                && !"failed".equals(p.getProperty("status"));
    }

    private static void launch(Path root, Path dir, long owner) throws IOException {
        Files.deleteIfExists(dir.resolve("state.properties"));
        removeFinishedRuns(dir.getParent(), dir);
        Path classes = root.resolve("dev-infra/target/classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("dev-infra is not built: run ./mvnw -q -pl dev-infra package");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-Dmail.root=" + root, "-cp", classes.toString(),
                "mail.devinfra.InfraMain", dir.toString(), Long.toString(owner)));
        new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("infra.log").toFile())).start();
    }

    /** Data of earlier builds whose infrastructure has ended: Kafka logs and Keycloak databases add up quickly. */
    private static void removeFinishedRuns(Path parent, Path current) {
        try (var runs = Files.list(parent)) {
            for (Path run : runs.filter(r -> r.getFileName().toString().startsWith("run-") && !r.equals(current)).toList()) {
                Properties p = StateFile.read(run.resolve("state.properties"));
                if (!alive(p) && !"failed".equals(p.getProperty("status"))) {
                    deleteTree(run);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // housekeeping only
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    private static InfraEndpoints await(Path stateFile, Set<String> components) {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            Properties p = StateFile.read(stateFile);
            if ("failed".equals(p.getProperty("status"))) {
                throw new IllegalStateException("test infrastructure failed: " + p.getProperty("error"));
            }
            if (!p.isEmpty() && components.stream().allMatch(c -> "true".equals(p.getProperty(c + ".ready")))) {
                return InfraEndpoints.from(p);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the test infrastructure");
            }
        }
        throw new IllegalStateException("test infrastructure not ready (" + components + ") after " + TIMEOUT_MS / 1000
                + " s; see " + stateFile.getParent().resolve("logs"));
    }

    static Path root() {
        String r = System.getProperty("mail.root");
        if (r != null && !r.isBlank() && Files.isDirectory(Path.of(r, "dev-infra"))) {
            return Path.of(r).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("dev-infra"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the project root (a directory with dev-infra/); set -Dmail.root");
        }
        return p;
    }
}
