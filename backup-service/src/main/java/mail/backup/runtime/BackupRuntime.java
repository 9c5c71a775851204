package mail.backup.runtime;

import com.mongodb.client.MongoDatabase;
import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mail.backup.adapter.kafka.KafkaEndOffsets;
import mail.backup.adapter.keycloak.KeycloakRealm;
import mail.backup.adapter.s3.S3Target;
import mail.backup.config.BackupConfig;
import mail.backup.engine.BackupRunner;
import mail.backup.engine.RealmGateway;
import mail.backup.restore.Restorer;
import mail.backup.portability.ExchangeDirectory;
import mail.backup.portability.Exporter;
import mail.backup.portability.ImapImporter;
import mail.backup.portability.Importer;
import mail.core.kafka.EventPublisher;
import mail.backup.location.BackupTarget;
import mail.backup.location.DirectoryTarget;
import mail.core.blob.BlobStore;
import mail.core.blob.S3BlobStore;
import mail.core.mongo.CollectionSpec;
import mail.core.runtime.InfraConfig;
import mail.core.runtime.SchemaContributor;
import mail.store.StoreSchema;
import org.apache.kafka.clients.admin.Admin;

/** Wires the backup engine to the configured target and the platform's adapters. */
@ApplicationScoped
public class BackupRuntime implements SchemaContributor {

    @Override
    public List<CollectionSpec> collections() {
        // a restore into a fresh platform must find the store's unique indexes before it inserts
        return StoreSchema.collections();
    }

    @Produces
    @ApplicationScoped
    BackupTarget target(BackupConfig config, InfraConfig.S3 s3) {
        if ("directory".equals(config.target())) {
            return new DirectoryTarget(Path.of(config.directory().orElseThrow(() ->
                    new IllegalStateException("mail.backup.location=directory needs mail.backup.directory"))));
        }
        if (!"s3".equals(config.target())) {
            throw new IllegalStateException("mail.backup.location must be s3 or directory, not " + config.target());
        }
        MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey())
                .region(s3.region()).httpClient(S3BlobStore.httpClient()).build();
        client.setTimeout(TimeUnit.SECONDS.toMillis(10), TimeUnit.SECONDS.toMillis(120), TimeUnit.SECONDS.toMillis(120));
        return new S3Target(client, config.bucket());
    }

    @Produces
    @ApplicationScoped
    RealmGateway realm(InfraConfig.Keycloak keycloak) {
        return new KeycloakRealm(keycloak.realmUrl(), keycloak.clientId(), keycloak.clientSecret(), keycloak.timeout());
    }

    @Produces
    @ApplicationScoped
    BackupRunner runner(BackupConfig config, MongoDatabase db, BlobStore blobs, RealmGateway realm, Instance<Admin> admin) {
        return new BackupRunner(db, blobs, config.includeRealm() ? realm : null,
                config.recordKafkaOffsets() ? new LazyOffsets(admin) : null, spool(config), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    Restorer restorer(BackupConfig config, MongoDatabase db, BlobStore blobs, RealmGateway realm) {
        return new Restorer(db, blobs, config.includeRealm() ? realm : null, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    Exporter exporter(MongoDatabase db, BlobStore blobs) {
        return new Exporter(db, blobs);
    }

    @Produces
    @ApplicationScoped
    Importer importer(BackupConfig config, MongoDatabase db, BlobStore blobs, Instance<EventPublisher> publisher) {
        return new Importer(db, blobs, new LazyPublisher(publisher), config.importMaxMessageBytes(), spool(config).resolve("import"));
    }

    @Produces
    @ApplicationScoped
    ImapImporter imapImporter(BackupConfig config, MongoDatabase db, BlobStore blobs, Instance<EventPublisher> publisher) {
        // an Importer of its own, not the CDI one: the IMAP import creates the Importer's inner Target objects, whose outer
        // instance must be the real object, not a client proxy with empty fields
        return new ImapImporter(db, new Importer(db, blobs, new LazyPublisher(publisher), config.importMaxMessageBytes(),
                spool(config).resolve("import")), config.imapTimeout());
    }

    @Produces
    @ApplicationScoped
    mail.backup.retention.Pruner pruner() {
        return new mail.backup.retention.Pruner();
    }

    @Produces
    @ApplicationScoped
    mail.backup.schedule.BackupLease lease(BackupConfig config, MongoDatabase db) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return new mail.backup.schedule.BackupLease(db, host + "/" + ProcessHandle.current().pid() + "/"
                + java.util.UUID.randomUUID().toString().substring(0, 8), config.schedule().lease(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    ExchangeDirectory exchange(BackupConfig config) {
        return new ExchangeDirectory(Path.of(config.exchangeDir().orElse(
                Path.of(System.getProperty("java.io.tmpdir"), "mail-exchange").toString())));
    }

    static Path spool(BackupConfig config) {
        return Path.of(config.spoolDir().orElse(System.getProperty("java.io.tmpdir")), "mail-backup");
    }

    /** The Kafka producer is created when an import first publishes, so a Kafka outage never stops the service starting. */
    private static final class LazyPublisher implements EventPublisher {
        private final Instance<EventPublisher> publisher;

        LazyPublisher(Instance<EventPublisher> publisher) {
            this.publisher = publisher;
        }

        @Override
        public java.util.concurrent.CompletableFuture<Published> publish(String topic, String key, mail.core.event.MailEvent event) {
            try {
                return publisher.get().publish(topic, key, event);
            } catch (RuntimeException e) {
                return java.util.concurrent.CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public java.util.concurrent.CompletableFuture<Published> publishTombstone(String topic, String key) {
            return publisher.get().publishTombstone(topic, key);
        }
    }

    /** The admin client is created only when a backup runs, so a Kafka outage never stops the service starting. */
    private static final class LazyOffsets implements mail.backup.engine.OffsetSource {
        private final Instance<Admin> admin;

        LazyOffsets(Instance<Admin> admin) {
            this.admin = admin;
        }

        @Override
        public java.util.Map<String, java.util.Map<String, Long>> endOffsets() {
            return new KafkaEndOffsets(admin.get()).endOffsets();
        }
    }
}
