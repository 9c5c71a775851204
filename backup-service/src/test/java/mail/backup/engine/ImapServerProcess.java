package mail.backup.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.kafka.KafkaTopics;
import mail.core.runtime.PlatformTopics;
import mail.devinfra.LocalProcess;
import mail.store.MailStore;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.KeycloakUsers;
import org.apache.kafka.clients.admin.Admin;

/**
 * Our own imap-service, packaged as the launcher runs it (imap-service/target/quarkus-app, built earlier in the same
 * reactor), playing the old mail server an account is migrated from. It keeps its mail in a database and a bucket of
 * its own; accounts are made the way the platform makes them (Keycloak user, directory.changes, default mailboxes).
 */
final class ImapServerProcess implements AutoCloseable {
    static final String DOMAIN = "imap-source.backup.test";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final LocalProcess process;
    private final InfraEndpoints infra;
    final String database;
    final int port;
    final int tlsPort;

    private ImapServerProcess(LocalProcess process, InfraEndpoints infra, String database, int port, int tlsPort) {
        this.process = process;
        this.infra = infra;
        this.database = database;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    static ImapServerProcess start(InfraEndpoints infra, String database) throws Exception {
        Path module = Path.of("").toAbsolutePath();
        Path jar = module.resolveSibling("imap-service").resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the reactor builds imap-service before backup-service; "
                    + "alone, run ./mvnw -pl imap-service package -DskipTests first");
        }
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrap()))) {
            KafkaTopics.ensure(admin, PlatformTopics.all(3, (short) 1));
        }
        int httpPort = LocalProcess.freePort();
        int port = LocalProcess.freePort();
        int tlsPort = LocalProcess.freePort();
        Path dir = module.resolve("target/imap-source-" + database);
        Map<String, String> all = new HashMap<>(infra.quarkusConfig());
        all.put("quarkus.http.port", Integer.toString(httpPort));
        all.put("mail.imap.port", Integer.toString(port));
        all.put("mail.imap.tls-port", Integer.toString(tlsPort));
        all.put("mail.imap.hostname", "imap-source.test");
        all.put("mail.imap.data-dir", dir.resolve("data").toString());
        all.put("mail.imap.auth-failure-delay", "50ms");
        all.put("mail.imap.auth-failure-max-delay", "100ms");
        all.put("mail.mongo.database", database);
        all.put("mail.s3.bucket", database);
        List<String> cmd = new ArrayList<>(List.of(LocalProcess.javaBinary(), "-Xmx192m", "-XX:+UseSerialGC"));
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        LocalProcess p = LocalProcess.start("imap-source", cmd, Map.of(), dir, dir.resolve("imap.log"));
        try {
            p.awaitReady(() -> ready(httpPort), Duration.ofSeconds(180), "its readiness check");
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return new ImapServerProcess(p, infra, database, port, tlsPort);
    }

    /** A Keycloak user with the password, the account on directory.changes, and its default mailboxes in the server's store. */
    void account(String address, String accountId, String password, MailStore store) throws Exception {
        new KeycloakUsers(infra).ensureMailUser(address, password);
        try (KafkaEventPublisher p = KafkaEventPublisher.create(infra.kafkaBootstrap(), "backup-imap-test", Duration.ofSeconds(20))) {
            for (DirectoryChanged e : List.of(DirectoryChanged.upserted("backup-imap-test", 1, new DirectorySnapshot.Domain(DOMAIN, List.of(), null)),
                    DirectoryChanged.upserted("backup-imap-test", 1, new DirectorySnapshot.Account(address, accountId, "Source", 0, true)))) {
                p.publish(Topics.DIRECTORY_CHANGES, e.compactionKey(), e).get(20, TimeUnit.SECONDS);
            }
        }
        store.mailboxes().ensureDefaults(accountId);
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

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
