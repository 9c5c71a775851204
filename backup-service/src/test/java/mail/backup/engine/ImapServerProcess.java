package mail.backup.engine;

import java.nio.file.Path;
import java.time.Duration;
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
import mail.testsupport.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;

/**
 * Our own imap-service in a JVM of its own, playing the old mail server an account is migrated from. It keeps its mail
 * in a database and a bucket of its own; accounts are made the way the platform makes them (Keycloak user, directory.changes, default mailboxes).
 */
final class ImapServerProcess implements AutoCloseable {
    static final String DOMAIN = "imap-source.backup.test";

    private final ServiceProcess process;
    private final InfraEndpoints infra;
    final String database;
    final int port;
    final int tlsPort;

    private ImapServerProcess(ServiceProcess process, InfraEndpoints infra, String database, int port, int tlsPort) {
        this.process = process;
        this.infra = infra;
        this.database = database;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    static ImapServerProcess start(InfraEndpoints infra, String database) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrap()))) {
            KafkaTopics.ensure(admin, PlatformTopics.all(3, (short) 1));
        }
        int port = LocalProcess.freePort();
        int tlsPort = LocalProcess.freePort();
        ServiceProcess.Builder b = ServiceProcess.packaged("imap-service").name("imap-source-" + database).heap("192m")
                .readyTimeout(Duration.ofSeconds(180));
        b.config(infra.quarkusConfig())
                .config("mail.imap.port", Integer.toString(port))
                .config("mail.imap.tls-port", Integer.toString(tlsPort))
                .config("mail.imap.hostname", "imap-source.test")
                .config("mail.imap.data-dir", b.workDir().resolve("data").toString())
                .config("mail.imap.auth-failure-delay", "50ms")
                .config("mail.imap.auth-failure-max-delay", "100ms")
                .config("mail.mongo.database", database)
                .config("mail.s3.bucket", database);
        return new ImapServerProcess(b.start(), infra, database, port, tlsPort);
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

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
