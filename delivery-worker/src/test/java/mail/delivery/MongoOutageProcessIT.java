package mail.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import mail.core.event.MailReceived;
import mail.devinfra.LocalProcess;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;

/**
 * MongoDB stops in the middle of a burst and comes back: the worker retries without skipping ahead, nothing goes to
 * the dead-letter topic, and every message is stored exactly once in the end. MongoDB here is a private
 * mongo-java-server process (H2 file) the test can stop and start on the same port and data.
 */
class MongoOutageProcessIT {
    private static final int MESSAGES = 300;

    @Test
    void nothingIsLostWhileMongoIsDown() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String domain = Fixtures.uniqueDomain();
        String account = "acc-outage-" + run;
        String group = "outage-it-" + run;
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target/process-it")), "mongo-outage-");
        int port = LocalProcess.freePort();
        String uri = "mongodb://127.0.0.1:" + port;
        LocalProcess mongo = startMongo(dir, port);
        try (Fixtures fx = new Fixtures(SharedInfra.require("kafka", "mongo", "s3"));
             MongoClient client = ProcessTests.mongo(uri)) {
            MongoDatabase db = client.getDatabase("mail");
            ProcessTests.ensureTopics(fx);
            fx.startGroupAtEnd(group);
            fx.domain(domain);
            fx.account("outage@" + domain, account, 0, true);
            List<MailReceived> events = ProcessTests.burst(fx, MESSAGES, List.of("outage@" + domain));
            Map<String, String> config = Map.of("mail.mongo.uri", uri, "mail.delivery.consumer-group", group,
                    "mail.delivery.retry-max", "2s");
            try (WorkerProcess worker = WorkerProcess.start("outage-" + run, fx.infra, config)) {
                ProcessTests.publishAll(fx, events);
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                        .until(() -> ProcessTests.stored(db, account) >= 50);
                mongo.close();
                Thread.sleep(5000);
                assertThat(worker.isAlive()).isTrue();
                mongo = startMongo(dir, port);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> ProcessTests.stored(db, account) >= MESSAGES);
                Thread.sleep(1000);
                assertThat(worker.metric("mail_delivery_dlq_total")).isZero();
                // a copy stored just before the outage may be found on the retry, which does not count it again
                assertThat(worker.metric("mail_delivery_delivered_total")).isPositive().isLessThanOrEqualTo(MESSAGES);
            }
            ProcessTests.assertExactlyOnce(db, account, events);
        } finally {
            mongo.close();
        }
    }

    private static LocalProcess startMongo(Path dir, int port) {
        LocalProcess p = LocalProcess.start("mongo-outage", LocalProcess.java(List.of("-Xmx128m", "-XX:+UseSerialGC"),
                "mail.devinfra.MongoMain", dir.resolve("mongo.mv").toString(), Integer.toString(port)), Map.of(), dir,
                dir.resolve("mongo.log"));
        p.awaitPort(port, Duration.ofSeconds(60));
        return p;
    }
}
