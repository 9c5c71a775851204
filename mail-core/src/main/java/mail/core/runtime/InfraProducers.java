package mail.core.runtime;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import mail.core.abuse.AuthFailureLedger;
import mail.core.abuse.LedgerAuthFailures;
import mail.core.abuse.SharedAuthFailures;
import mail.core.blob.BlobStore;
import mail.core.blob.S3BlobStore;
import mail.core.identity.CachingPasswordVerifier;
import mail.core.identity.JwksTokenVerifier;
import mail.core.identity.KeycloakPasswordVerifier;
import mail.core.identity.PasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.core.kafka.EventPublisher;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.mongo.MongoSchema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.logging.Logger;

/**
 * One place that turns configuration into adapters. Every bean is created on first use, so a service that does not
 * use the object store never connects to it, and a dependency that is down at start does not stop the service from
 * starting: it reports not-ready instead and recovers when the dependency returns.
 */
@ApplicationScoped
public class InfraProducers {

    // @Typed: each concrete adapter is its own bean; the interface is produced separately below, unambiguously
    @Produces
    @ApplicationScoped
    @Typed(S3BlobStore.class)
    S3BlobStore blobStore(InfraConfig.S3 cfg) {
        MinioClient client = MinioClient.builder().endpoint(cfg.endpoint()).credentials(cfg.accessKey(), cfg.secretKey())
                .region(cfg.region()).httpClient(S3BlobStore.httpClient()).build();
        client.setTimeout(TimeUnit.SECONDS.toMillis(10), TimeUnit.SECONDS.toMillis(60), TimeUnit.SECONDS.toMillis(60));
        Path spool = Path.of(cfg.spoolDir().orElse(System.getProperty("java.io.tmpdir")));
        return new S3BlobStore(client, cfg.bucket(), spool);
    }

    @Produces
    @ApplicationScoped
    BlobStore blobStoreInterface(S3BlobStore store) {
        return store;
    }

    @Produces
    @ApplicationScoped
    MongoClient mongoClient(InfraConfig.Mongo cfg) {
        long ms = cfg.timeout().toMillis();
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(cfg.uri()))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(ms, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(b -> b.connectTimeout((int) ms, TimeUnit.MILLISECONDS))
                .applicationName("mailplatform")
                .build();
        return MongoClients.create(settings);
    }

    void closeMongo(@Disposes MongoClient client) {
        client.close();
    }

    @Produces
    @ApplicationScoped
    MongoDatabase mongoDatabase(MongoClient client, InfraConfig.Mongo cfg) {
        return client.getDatabase(cfg.database());
    }

    @Produces
    @ApplicationScoped
    @Typed(KafkaEventPublisher.class)
    KafkaEventPublisher kafkaPublisher(InfraConfig.Kafka cfg) {
        return KafkaEventPublisher.create(cfg.bootstrapServers(), "mailplatform-" + ProcessHandle.current().pid(),
                cfg.deliveryTimeout());
    }

    @Produces
    @ApplicationScoped
    EventPublisher eventPublisher(KafkaEventPublisher publisher) {
        return publisher;
    }

    void closePublisher(@Disposes KafkaEventPublisher publisher) {
        publisher.close();
    }

    @Produces
    @ApplicationScoped
    Admin kafkaAdmin(InfraConfig.Kafka cfg) {
        Properties p = new Properties();
        p.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"));
        return Admin.create(p);
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close();
    }

    @Produces
    @ApplicationScoped
    @Typed(CachingPasswordVerifier.class)
    CachingPasswordVerifier passwordVerifier(InfraConfig.Keycloak cfg) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(cfg.timeout()).build();
        return new CachingPasswordVerifier(
                new KeycloakPasswordVerifier(http, cfg.realmUrl(), cfg.clientId(), cfg.clientSecret(), cfg.timeout()),
                cfg.passwordCacheTtl(), cfg.passwordCacheMaxEntries(), Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    PasswordVerifier passwordVerifierInterface(CachingPasswordVerifier verifier) {
        return verifier;
    }

    @Produces
    @ApplicationScoped
    SharedAuthFailures sharedAuthFailures(InfraConfig.AuthGuard cfg, MongoDatabase db) {
        if (!cfg.enabled()) {
            return SharedAuthFailures.NONE;
        }
        try {
            MongoSchema.ensure(db, List.of(AuthFailureLedger.spec()));
        } catch (RuntimeException e) {
            // MongoDB down at start: counting still works once it is back; only the TTL index waits for a restart
            Logger.getLogger(InfraProducers.class).warnf("auth_failures indexes not created: %s", e.getMessage());
        }
        AuthFailureLedger ledger = new AuthFailureLedger(db, new AuthFailureLedger.Settings(cfg.window(), cfg.clientBlockAfter(),
                cfg.accountBlockAfter(), cfg.blockFor()));
        return new LedgerAuthFailures(ledger, Clock.systemUTC(), cfg.refresh());
    }

    void closeSharedAuthFailures(@Disposes SharedAuthFailures shared) {
        if (shared instanceof LedgerAuthFailures l) {
            l.close();
        }
    }

    @Produces
    @ApplicationScoped
    TokenVerifier tokenVerifier(InfraConfig.Keycloak cfg) {
        return new JwksTokenVerifier(cfg.realmUrl());
    }
}
