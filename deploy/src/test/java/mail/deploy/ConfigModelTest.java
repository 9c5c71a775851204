package mail.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The method that finds what a service needs from its environment, on a sample and on the real services. */
class ConfigModelTest {
    private static final Path RESOURCES = Path.of("src/test/resources/config");

    private ConfigModel sample(Path tmp) throws IOException {
        Path src = tmp.resolve("src/sample");
        Files.createDirectories(src);
        Files.copy(RESOURCES.resolve("SampleConfig.java.txt"), src.resolve("SampleConfig.java"));
        return ConfigModel.load(RESOURCES.resolve("sample.properties"), List.of(tmp.resolve("src")));
    }

    @Test
    void mappingMembersBecomeKeysWithTheirDefaults(@TempDir Path tmp) throws IOException {
        ConfigModel model = sample(tmp);

        assertThat(model.keys()).containsKeys("mail.sample.region", "mail.sample.hostname", "mail.sample.policy",
                "mail.sample.key-encryption-key", "mail.sample.spool", "mail.sample.inbound.port",
                "mail.sample.inbound.idle-timeout");
        assertThat(model.keys().get("mail.sample.policy").defaultValue()).isEqualTo("v=DMARC1; p=none");
        assertThat(model.keys().get("mail.sample.key-encryption-key").optional()).isTrue();
        assertThat(model.effective("mail.sample.inbound.port", Map.of())).isEqualTo("2599");
        assertThat(model.effective("mail.sample.spool", Map.of())).isEqualTo("/jvm-system-property/sample");
        assertThat(model.effective("mail.sample.spool", Map.of("MAIL_DATA_DIR", "/data"))).isEqualTo("/data");
    }

    @Test
    void anEmptyEnvironmentNamesEveryVariableADeploymentMustSet(@TempDir Path tmp) throws IOException {
        List<String> problems = sample(tmp).problems("sample", Map.of());

        assertThat(String.join("\n", problems))
                .contains("mail.sample.region has no value and no default: set MAIL_SAMPLE_REGION")
                .contains("mail.sample.token has no value and no default: set MAIL_SAMPLE_TOKEN")
                .contains("mail.sample.hostname = 'localhost' only works on a developer machine: set MAIL_SAMPLE_HOSTNAME")
                .contains("quarkus.http.host = '127.0.0.1' only works on a developer machine: set QUARKUS_HTTP_HOST")
                .contains("quarkus.oidc.auth-server-url = 'http://127.0.0.1:8180/realms/mail'")
                .contains("mail.sample.key-encryption-key is missing and would be replaced by a local-development substitute")
                .doesNotContain("idle-timeout").doesNotContain("mail.sample.policy").doesNotContain("test-region");
    }

    @Test
    void anEnvironmentThatSetsThemSatisfiesTheService(@TempDir Path tmp) throws IOException {
        // the OIDC URL is an expression over mail.sample.realm-url: setting that key's variable is enough
        Map<String, String> env = Map.of("MAIL_SAMPLE_REGION", "eu", "SAMPLE_TOKEN", "t", "MAIL_SAMPLE_HOSTNAME",
                "mail.example.com", "QUARKUS_HTTP_HOST", "0.0.0.0", "MAIL_SAMPLE_REALM_URL", "http://kc:8080/realms/mail",
                "MAIL_SAMPLE_KEY_ENCRYPTION_KEY", "k");

        assertThat(sample(tmp).problems("sample", env)).isEmpty();
    }

    @Test
    void theRealGatewayNeedsItsEndpointsSecretsBindHostAndCertificate() {
        ServiceModule smtp = Repo.service("smtp-gateway");
        String problems = String.join("\n", smtp.config().problems("smtp-gateway", Map.of()));

        // mail-core's InfraConfig (a library module) is part of the service's configuration
        assertThat(problems).contains("set MAIL_S3_ENDPOINT", "set MAIL_KAFKA_BOOTSTRAP_SERVERS", "set MAIL_MONGO_URI",
                "set MAIL_KEYCLOAK_CLIENT_SECRET", "set MAIL_S3_SECRET_KEY", "set MAIL_SMTP_BIND_HOST",
                "set MAIL_SMTP_TLS_CERT_FILE", "set MAIL_SMTP_HOSTNAME", "set MAIL_SMTP_DIRECTORY_LOOKUP_URL");
        assertThat(smtp.listeners(Map.of())).containsEntry("mail.smtp.mx.port", 2525)
                .containsEntry("mail.smtp.submissions.port", 2465).hasSize(3);
        assertThat(smtp.listeners(Map.of("MAIL_SMTP_MX_PORT", "25"))).containsEntry("mail.smtp.mx.port", 25);
    }

    @Test
    void servicesAreFoundFromTheParentPom() {
        assertThat(Repo.services()).extracting(ServiceModule::name).containsExactlyInAnyOrder("smtp-gateway",
                "delivery-worker", "outbound-relay", "directory-service", "imap-service", "pop3-service", "backup-service");
    }
}
