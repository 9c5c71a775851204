package mail.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mail.devinfra.LocalProcess;

/**
 * A private MongoDB-compatible server (the same server and file backend as the shared one) that a test may stop and
 * start again on the same port and data file, to show how a service behaves while its database is down. Everything
 * else comes from the shared infra.
 */
public final class RestartableMongo implements QuarkusTestResourceLifecycleManager {
    private static Path dir;
    private static int port;
    private static LocalProcess process;
    private Map<String, String> extraConfig = Map.of();

    /** {@code @ResourceArg}s are passed on as configuration, e.g. a short {@code mail.mongo.timeout} to fail fast. */
    @Override
    public void init(Map<String, String> initArgs) {
        extraConfig = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory(Files.createDirectories(SharedInfra.root().resolve("target/test-infra")), "mongo-outage-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = LocalProcess.freePort();
        up();
        Map<String, String> cfg = new HashMap<>(SharedInfra.require(SharedInfra.ALL).quarkusConfig());
        cfg.put("mail.mongo.uri", uri());
        cfg.putAll(extraConfig);
        return cfg;
    }

    public static String uri() {
        return "mongodb://127.0.0.1:" + port;
    }

    public static synchronized void up() {
        process = LocalProcess.start("mongo-outage", LocalProcess.java(List.of("-Xmx128m", "-XX:+UseSerialGC"),
                "mail.devinfra.MongoMain", dir.resolve("data/mongo.mv").toString(), Integer.toString(port)), Map.of(), dir,
                dir.resolve("mongo.log"));
        process.awaitPort(port, Duration.ofSeconds(120));
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
