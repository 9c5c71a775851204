package mail.devinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A single-node Apache Kafka (KRaft, broker + controller) on loopback. Args: dataDir port controllerPort. */
public final class KafkaMain {
    private KafkaMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        ParentWatch.exitWhenGone(ParentWatch.fromProperty());
        Files.createDirectories(dir.resolve("logs"));
        Path cfg = dir.resolve("server.properties");
        Files.writeString(cfg, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "auto.create.topics.enable=true",
                "num.partitions=4",
                "group.initial.rebalance.delay.ms=0",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "log.cleaner.enable=true",
                ""));
        Path idFile = dir.resolve("cluster.id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, org.apache.kafka.common.Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(idFile).trim();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = kafka.tools.StorageTool$.MODULE$.execute(
                    new String[] {"format", "-t", clusterId, "-c", cfg.toString(), "--ignore-formatted"}, ps);
        } catch (RuntimeException e) {
            System.err.println("FATAL kafka: cannot format storage in " + dir.resolve("logs") + ": " + e.getMessage());
            System.exit(3);
            return;
        }
        if (rc != 0) {
            System.err.println("FATAL kafka: storage in " + dir.resolve("logs") + " is not usable: "
                    + out.toString(StandardCharsets.UTF_8).trim());
            System.exit(3);
        }
        kafka.Kafka.main(new String[] {cfg.toString()});
    }
}
