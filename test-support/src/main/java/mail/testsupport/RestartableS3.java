package mail.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mail.devinfra.LocalProcess;

/**
 * A private S3 store (S3Proxy, same server as the shared one) that a test may stop and start again on the same port
 * and data, to show how a service behaves while a dependency is down. Everything else comes from the shared infra.
 */
public final class RestartableS3 implements QuarkusTestResourceLifecycleManager {
    private static final String ACCESS = "outage-test-access";
    private static final String SECRET = "outage-test-secret";
    private static Path dir;
    private static int port;
    private static LocalProcess process;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory(Files.createDirectories(SharedInfra.root().resolve("target/test-infra")), "s3-outage-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        port = LocalProcess.freePort();
        up();
        Map<String, String> cfg = new java.util.HashMap<>(SharedInfra.require(SharedInfra.ALL).quarkusConfig());
        cfg.put("mail.s3.endpoint", "http://127.0.0.1:" + port);
        cfg.put("mail.s3.access-key", ACCESS);
        cfg.put("mail.s3.secret-key", SECRET);
        return cfg;
    }

    public static synchronized void up() {
        process = LocalProcess.start("s3-outage", LocalProcess.java(List.of("-Xmx128m", "-XX:+UseSerialGC"), "mail.devinfra.S3Main",
                dir.resolve("data").toString(), Integer.toString(port), ACCESS, SECRET), Map.of(), dir, dir.resolve("s3.log"));
        process.awaitPort(port, Duration.ofSeconds(60));
    }

    public static synchronized void down() {
        process.close();
    }

    @Override
    public void stop() {
        if (process != null) {
            process.close();
        }
    }
}
