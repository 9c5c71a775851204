package mail.core.health;

import com.mongodb.client.MongoDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import mail.core.blob.S3BlobStore;
import mail.core.kafka.KafkaTopics;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.MongoSchema;
import mail.core.runtime.InfraConfig;
import mail.core.runtime.PlatformTopics;
import mail.core.runtime.SchemaContributor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.bson.Document;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness that asks each dependency the service uses (mail.readiness.dependencies) a real question, and the
 * place where start-up provisioning (bucket, topics, collections and indexes) happens: it is retried on every probe
 * until it succeeds, so a service started before its dependencies becomes ready once they are up.
 */
@Readiness
@ApplicationScoped
public class DependenciesReadiness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(DependenciesReadiness.class);

    private final InfraConfig.Readiness config;
    private final InfraConfig.Kafka kafkaConfig;
    private final InfraConfig.Keycloak keycloakConfig;
    private final Instance<Admin> admin;
    private final Instance<MongoDatabase> mongo;
    private final Instance<S3BlobStore> s3;
    private final Instance<SchemaContributor> schemas;
    private final HttpClient http;
    private final AtomicBoolean topicsReady = new AtomicBoolean();
    private final AtomicBoolean schemaReady = new AtomicBoolean();
    private final AtomicBoolean bucketReady = new AtomicBoolean();
    private final Map<String, AtomicInteger> upGauges = new LinkedHashMap<>();

    @Inject
    public DependenciesReadiness(InfraConfig.Readiness config, InfraConfig.Kafka kafkaConfig, InfraConfig.Keycloak keycloakConfig,
                                 Instance<Admin> admin, Instance<MongoDatabase> mongo, Instance<S3BlobStore> s3,
                                 Instance<SchemaContributor> schemas, MeterRegistry meters) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.keycloakConfig = keycloakConfig;
        this.admin = admin;
        this.mongo = mongo;
        this.s3 = s3;
        this.schemas = schemas;
        this.http = HttpClient.newBuilder().connectTimeout(config.probeTimeout()).build();
        for (String dep : config.dependencies()) {
            AtomicInteger v = new AtomicInteger();
            upGauges.put(dep.trim(), v);
            // alerting on a dependency outage should not need the health endpoint's JSON
            Gauge.builder("mail.dependency.up", v, AtomicInteger::get).strongReference(true).tag("dependency", dep.trim())
                    .description("1 when the last readiness probe reached the dependency").register(meters);
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("dependencies");
        boolean up = true;
        Map<String, String> results = new LinkedHashMap<>();
        for (String dep : config.dependencies()) {
            String r;
            try {
                r = switch (dep.trim()) {
                    case "kafka" -> kafka();
                    case "mongo" -> mongo();
                    case "s3" -> s3();
                    case "keycloak" -> keycloak();
                    default -> throw new IllegalStateException("unknown dependency '" + dep + "'");
                };
            } catch (Exception e) {
                up = false;
                r = "DOWN: " + describe(e);
                LOG.debugf(e, "readiness: %s is down", dep);
            }
            results.put(dep.trim(), r);
            upGauges.get(dep.trim()).set(r.startsWith("UP") ? 1 : 0);
        }
        results.forEach(b::withData);
        return b.status(up).build();
    }

    public boolean ready() {
        return call().getStatus() == HealthCheckResponse.Status.UP;
    }

    private String kafka() throws Exception {
        long ms = config.probeTimeout().toMillis();
        int nodes = admin.get().describeCluster(new DescribeClusterOptions().timeoutMs((int) ms))
                .nodes().get(ms, TimeUnit.MILLISECONDS).size();
        if (nodes == 0) {
            throw new IllegalStateException("no brokers");
        }
        if (!topicsReady.get()) {
            KafkaTopics.ensure(admin.get(), PlatformTopics.all(kafkaConfig.partitions(), kafkaConfig.replicationFactor()));
            topicsReady.set(true);
        }
        return "UP (" + nodes + " broker" + (nodes == 1 ? "" : "s") + ")";
    }

    private String mongo() {
        MongoDatabase db = mongo.get();
        db.runCommand(new Document("ping", 1));
        if (!schemaReady.get()) {
            List<CollectionSpec> specs = new ArrayList<>();
            schemas.forEach(s -> specs.addAll(s.collections()));
            MongoSchema.ensure(db, specs);
            schemaReady.set(true);
        }
        return "UP";
    }

    private String s3() {
        S3BlobStore store = s3.get();
        if (!bucketReady.get()) {
            store.ensureBucket();
            bucketReady.set(true);
        } else if (!store.bucketExists()) {
            throw new IllegalStateException("bucket " + store.bucket() + " is missing");
        }
        return "UP";
    }

    private String keycloak() throws IOException, InterruptedException {
        URI uri = URI.create(keycloakConfig.realmUrl().replaceAll("/$", "") + "/.well-known/openid-configuration");
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(config.probeTimeout()).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("realm answered HTTP " + r.statusCode());
        }
        return "UP";
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + (msg.length() > 160 ? msg.substring(0, 160) : msg));
    }
}
