package mail.core.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where the infrastructure is. Defaults are the local platform's (DESIGN.md §5); compose and Kubernetes set the
 * same keys from the environment (MAIL_S3_ENDPOINT, MAIL_MONGO_URI, …). Secrets have no defaults here except the
 * clearly marked local-development ones, which the launcher also passes explicitly.
 */
public final class InfraConfig {
    private InfraConfig() {
    }

    @ConfigMapping(prefix = "mail.s3")
    public interface S3 {
        @WithDefault("http://127.0.0.1:9000")
        String endpoint();

        /** LOCAL DEVELOPMENT DEFAULT; production sets MAIL_S3_ACCESS_KEY. */
        @WithDefault("local-dev-access-key")
        String accessKey();

        /** LOCAL DEVELOPMENT DEFAULT; production sets MAIL_S3_SECRET_KEY. */
        @WithDefault("local-dev-secret-key")
        String secretKey();

        @WithDefault("us-east-1")
        String region();

        @WithDefault("mail-messages")
        String bucket();

        /** Where puts are spooled while their hash is computed; defaults to java.io.tmpdir. */
        Optional<String> spoolDir();
    }

    @ConfigMapping(prefix = "mail.mongo")
    public interface Mongo {
        @WithDefault("mongodb://127.0.0.1:27017")
        String uri();

        @WithDefault("mail")
        String database();

        @WithDefault("5s")
        Duration timeout();
    }

    @ConfigMapping(prefix = "mail.kafka")
    public interface Kafka {
        @WithDefault("${kafka.bootstrap.servers:127.0.0.1:9092}")
        String bootstrapServers();

        @WithDefault("8")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** How long a publish may take before the caller gets a temporary failure (SMTP 451). */
        @WithDefault("30s")
        Duration deliveryTimeout();
    }

    @ConfigMapping(prefix = "mail.keycloak")
    public interface Keycloak {
        @WithDefault("http://127.0.0.1:8180/realms/mail")
        String realmUrl();

        @WithDefault("mail-services")
        String clientId();

        /** LOCAL DEVELOPMENT DEFAULT (matches the local realm); production sets MAIL_KEYCLOAK_CLIENT_SECRET. */
        @WithDefault("local-dev-services-secret")
        String clientSecret();

        @WithDefault("5s")
        Duration timeout();

        /** How long a successful password check is remembered (salted hash only). 0 disables the cache. */
        @WithDefault("60s")
        Duration passwordCacheTtl();

        @WithDefault("100000")
        int passwordCacheMaxEntries();
    }

    /**
     * Authentication failures shared by every SMTP, IMAP and POP3 instance (MongoDB collection {@code auth_failures}):
     * a client network or an account with too many failures in the window is blocked for a while everywhere.
     */
    @ConfigMapping(prefix = "mail.auth-guard")
    public interface AuthGuard {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("15m")
        Duration window();

        /** Failures from one IPv4 address or IPv6 /64 within the window that block it. */
        @WithDefault("20")
        int clientBlockAfter();

        /** Failures for one account, from anywhere, within the window that block logins to it. */
        @WithDefault("50")
        int accountBlockAfter();

        @WithDefault("15m")
        Duration blockFor();

        /** How often each instance reads the blocks the others set. */
        @WithDefault("2s")
        Duration refresh();
    }

    @ConfigMapping(prefix = "mail.readiness")
    public interface Readiness {
        /** The dependencies this service needs: any of kafka, mongo, s3, keycloak. */
        @WithDefault("kafka,mongo,s3,keycloak")
        List<String> dependencies();

        @WithDefault("3s")
        Duration probeTimeout();
    }
}
