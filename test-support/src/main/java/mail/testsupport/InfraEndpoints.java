package mail.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Where the shared test infrastructure listens, and the local-development credentials it was started with. */
public record InfraEndpoints(String kafkaBootstrap, String mongoUri, String s3Endpoint, String s3AccessKey, String s3SecretKey,
                             String keycloakUrl, String realmUrl, String servicesClientId, String servicesSecret,
                             String adminUser, String adminPassword) {

    static InfraEndpoints from(Properties p) {
        return new InfraEndpoints(p.getProperty("kafka.bootstrap"), p.getProperty("mongo.uri"), p.getProperty("s3.endpoint"),
                p.getProperty("s3.access-key"), p.getProperty("s3.secret-key"), p.getProperty("keycloak.url"),
                p.getProperty("keycloak.realm-url"), p.getProperty("keycloak.services-client-id"),
                p.getProperty("keycloak.services-secret"), p.getProperty("admin.user"), p.getProperty("admin.password"));
    }

    /** The configuration every service reads (the same keys the launcher and the container images set). */
    public Map<String, String> quarkusConfig() {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap.servers", kafkaBootstrap);
        m.put("mail.kafka.bootstrap-servers", kafkaBootstrap);
        m.put("mail.mongo.uri", mongoUri);
        m.put("mail.s3.endpoint", s3Endpoint);
        m.put("mail.s3.access-key", s3AccessKey);
        m.put("mail.s3.secret-key", s3SecretKey);
        m.put("mail.keycloak.realm-url", realmUrl);
        m.put("mail.keycloak.client-id", servicesClientId);
        m.put("mail.keycloak.client-secret", servicesSecret);
        // every test client is 127.0.0.1 and the whole build shares one database: the wrong passwords of hundreds of
        // tests must not block each other. Tests of blocking write blocks into the ledger themselves.
        m.put("mail.auth-guard.client-block-after", "1000000");
        m.put("mail.auth-guard.account-block-after", "1000000");
        m.put("mail.auth-guard.refresh", "300ms");
        return m;
    }
}
