package mail.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeTest {
    private static final Path BROKEN = Path.of("src/test/resources/broken");
    private static final List<ServiceModule> SERVICES = Repo.services();

    private static Compose real() {
        Path dir = Repo.deploy().resolve("compose");
        return new Compose(Repo.read(dir.resolve("docker-compose.yml")),
                Compose.parseDotEnv(Repo.read(dir.resolve(".env.example"))));
    }

    private static Compose broken(String file) {
        return new Compose(Repo.read(BROKEN.resolve(file)), Map.of());
    }

    @Test
    void theStackHasEveryServiceWithWhatItNeeds() {
        Compose c = real();

        assertThat(c.missingServices(SERVICES)).isEmpty();
        assertThat(c.environmentProblems(SERVICES)).isEmpty();
        assertThat(c.portProblems(SERVICES)).isEmpty();
        assertThat(c.imageProblems()).isEmpty();
        assertThat(c.scalingProblems(SERVICES)).isEmpty();
        assertThat(c.dependencyProblems(SERVICES)).isEmpty();
        assertThat(c.dotEnvProblems()).isEmpty();
        assertThat(c.volumeProblems()).isEmpty();
    }

    @Test
    void theInfrastructureIsKraftKafkaAReplicaSetAndKeycloakWithOurRealm() {
        Compose c = real();
        Map<String, String> kafka = c.environment("kafka");
        assertThat(kafka.get("KAFKA_PROCESS_ROLES")).contains("broker", "controller");
        assertThat(Yaml.str(c.service("kafka"), "image")).startsWith("apache/kafka:");

        assertThat(Yaml.list(c.service("mongo"), "command")).contains("--replSet");
        assertThat(String.valueOf(c.service("mongo-init").get("command"))).contains("rs.initiate");

        assertThat(Yaml.list(c.service("keycloak"), "command")).contains("--import-realm");
        String mount = Yaml.list(c.service("keycloak"), "volumes").get(0).toString().split(":")[0];
        Path realm = Repo.deploy().resolve("compose").resolve(mount).normalize();
        assertThat(realm).isEqualTo(Repo.root().resolve("dev-infra/src/main/resources/mail-realm.json"));
        // every ${…} placeholder of the realm file is given to Keycloak, which fills them at import
        Map<String, String> kc = c.environment("keycloak");
        assertThat(kc).containsKeys("SSL_REQUIRED", "ADMIN_USER", "ADMIN_PASSWORD", "SERVICES_SECRET");
        assertThat(kc.get("SERVICES_SECRET")).isEqualTo(c.environment("smtp-gateway").get("MAIL_KEYCLOAK_CLIENT_SECRET"));
    }

    @Test
    void haproxyPublishesEveryListenerOnItsStandardPortAndTheAdminApiOnHttps() {
        Compose c = real();
        Haproxy h = new Haproxy(Repo.read(Repo.deploy().resolve("compose/haproxy/haproxy.cfg")));

        assertThat(h.problems(c, SERVICES)).isEmpty();
        Haproxy.Section https = h.sections().values().stream().filter(s -> s.binds().contains(443)).findFirst().orElseThrow();
        Haproxy.Server admin = h.sections().get("backend " + https.defaultBackend()).servers().get(0);
        assertThat(admin.host()).isEqualTo("directory-service");
        assertThat(admin.port()).isEqualTo(Repo.service("directory-service").httpPort());
        // every mail backend sends PROXY protocol v2 (problems() checks each listener expects it), the HTTPS one does not
        assertThat(h.sections().values().stream().filter(s -> s.kind().equals("backend") && s.sendsProxy()).count()).isEqualTo(7);
        assertThat(h.sections().get("backend " + https.defaultBackend()).sendsProxy()).isFalse();
        assertThat(Yaml.list(c.service("haproxy"), "ports")).hasSize(9);
    }

    /** haproxy's own parser, where haproxy is installed; the certificate is left out. */
    @Test
    void haproxyAcceptsItsConfigurationWhereInstalled(@TempDir Path tmp) throws Exception {
        Path bin = Kustomize.onPath("haproxy");
        String cfg = Repo.read(Repo.deploy().resolve("compose/haproxy/haproxy.cfg"));
        String withoutCertificate = cfg.replaceAll(" ssl crt \\S+", "");
        assertThat(withoutCertificate).isNotEqualTo(cfg);
        if (bin == null) {
            return;
        }
        Path file = tmp.resolve("haproxy.cfg");
        Files.writeString(file, withoutCertificate);
        Process p = new ProcessBuilder(bin.toString(), "-c", "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void aMissingServiceIsReported() {
        assertThat(broken("compose-missing-service.yml").missingServices(SERVICES))
                .contains("compose: service pop3-service is missing").hasSize(SERVICES.size() - 1);
    }

    @Test
    void aServiceWithoutItsEnvironmentIsReported() {
        assertThat(String.join("\n", broken("compose-env.yml").environmentProblems(SERVICES))).contains(
                "compose smtp-gateway: mail.s3.endpoint = 'http://127.0.0.1:9000' only works on a developer machine: set MAIL_S3_ENDPOINT",
                "set MAIL_SMTP_BIND_HOST", "set MAIL_SMTP_TLS_CERT_FILE",
                "mail.s3.secret-key = 'local-dev-secret-key' only works on a developer machine");
    }

    @Test
    void portsThatDoNotMatchTheServiceAreReported() {
        assertThat(String.join("\n", broken("compose-ports.yml").portProblems(SERVICES))).contains(
                "compose smtp-gateway: HTTP port 8080 but quarkus.http.port is 8082",
                "compose smtp-gateway: healthcheck does not ask /q/health/ready on 8082");
    }

    @Test
    void unpinnedImagesAreReported() {
        assertThat(String.join("\n", broken("compose-images.yml").imageProblems())).contains(
                "compose kafka: apache/kafka:latest is not pinned", "compose mongo: mongo has no tag",
                "compose minio: minio/minio: is not pinned", "compose imap-service: no image");
    }

    @Test
    void fixedNamesAndHostPortsOnScaledServicesAreReported() {
        assertThat(String.join("\n", broken("compose-scaling.yml").scalingProblems(SERVICES))).contains(
                "compose imap-service: container_name prevents --scale",
                "compose delivery-worker: publishes host ports [8083:8083]");
    }

    @Test
    void startOrderWithoutHealthIsReported() {
        assertThat(String.join("\n", broken("compose-depends.yml").dependencyProblems(SERVICES))).contains(
                "compose delivery-worker: depends_on without conditions",
                "compose smtp-gateway: waits for kafka to be healthy, but it has no healthcheck",
                "compose smtp-gateway: depends on unknown service search");
    }

    @Test
    void anIncompleteEnvExampleIsReported() {
        Compose c = new Compose(Repo.read(BROKEN.resolve("compose-dotenv.yml")),
                Compose.parseDotEnv(Repo.read(BROKEN.resolve("dotenv-broken"))));

        assertThat(String.join("\n", c.dotEnvProblems())).contains(
                ".env.example: MAIL_S3_REGION is used by the compose file but not listed",
                ".env.example: MAIL_UNUSED is listed but the compose file never uses it",
                ".env.example: MAIL_S3_SECRET_KEY looks like a secret but is not a CHANGE-ME placeholder");
    }

    @Test
    void dataWithoutANamedVolumeIsReported() {
        assertThat(String.join("\n", broken("compose-volumes.yml").volumeProblems())).contains(
                "compose mongo: keeps data but has no named volume",
                "compose kafka: volume kafka-logs is not declared");
    }

    @Test
    void aHaproxyThatMissesTheServicesIsReported() {
        Haproxy h = new Haproxy(Repo.read(BROKEN.resolve("haproxy-broken.cfg")));

        assertThat(String.join("\n", h.problems(real(), SERVICES))).contains(
                "haproxy imaps: does not send PROXY protocol but imap-service's mail.imap.tls-listener.proxy-protocol is true",
                "haproxy: '.if streq(\"${MAIL_PROXY_PROTOCOL}\",\"v2\")': conditional blocks",
                "haproxy imaps: port 993 goes to imap-service:2143 but imap-service listens on 2993 (mail.imap.tls-port)",
                "haproxy imaps: health check port null is not imap-service's HTTP port 8084",
                "haproxy: nothing binds port 25 for smtp-gateway");
    }
}
