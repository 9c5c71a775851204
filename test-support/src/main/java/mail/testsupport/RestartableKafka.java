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
 * A private Kafka broker (the same KRaft server as the shared one) that a test may stop and start again on the same
 * ports and log directory, to show how a service behaves while the event bus is down. Everything else comes from the
 * shared infrastructure.
 */
public final class RestartableKafka implements QuarkusTestResourceLifecycleManager {
    private static Path dir;
    private static int port;
    private static int controllerPort;
    private static LocalProcess process;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory(Files.createDirectories(SharedInfra.root().resolve("target/test-infra")), "kafka-outage-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        port = LocalProcess.freePort();
        controllerPort = LocalProcess.freePort();
        up();
        Map<String, String> cfg = new HashMap<>(SharedInfra.require(SharedInfra.ALL).quarkusConfig());
        cfg.put("kafka.bootstrap.servers", bootstrap());
        cfg.put("mail.kafka.bootstrap-servers", bootstrap());
        return cfg;
    }

    public static String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public static synchronized void up() {
        process = LocalProcess.start("kafka-outage", LocalProcess.java(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                        "mail.devinfra.KafkaMain", dir.resolve("kafka").toString(), Integer.toString(port), Integer.toString(controllerPort)),
                Map.of(), dir, dir.resolve("kafka.log"));
        process.awaitPort(port, Duration.ofSeconds(90));
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
