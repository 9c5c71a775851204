package mail.directory;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mail.devinfra.LocalProcess;
import mail.testsupport.SharedInfra;

/**
 * A private MongoDB-compatible server (the same mongo-java-server with its H2 file backend as the shared one) that a
 * test may stop and start again on the same port and data, like test-support's RestartableS3 does for S3.
 */
public final class RestartableMongo implements QuarkusTestResourceLifecycleManager {
    private static Path dir;
    private static int port;
    private static LocalProcess process;

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = new HashMap<>(SharedInfra.require(SharedInfra.ALL).quarkusConfig());
        try {
            dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/test-infra").toAbsolutePath()), "mongo-outage-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = LocalProcess.freePort();
        up();
        cfg.put("mail.mongo.uri", "mongodb://127.0.0.1:" + port);
        // fail fast while it is down, so that the test sees the failure rather than a hang
        cfg.put("mail.mongo.timeout", "1s");
        return cfg;
    }

    static String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    public static synchronized void up() {
        process = LocalProcess.start("mongo-outage", LocalProcess.java(List.of("-Xmx128m", "-XX:+UseSerialGC"),
                "mail.devinfra.MongoMain", dir.resolve("mongo.h2").toString(), Integer.toString(port)), Map.of(), dir,
                dir.resolve("mongo.log"));
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
