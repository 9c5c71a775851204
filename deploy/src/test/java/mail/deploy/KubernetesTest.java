package mail.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KubernetesTest {
    private static final Path BROKEN = Path.of("src/test/resources/broken");
    private static final Path K8S = Repo.deploy().resolve("k8s");
    private static final List<ServiceModule> SERVICES = Repo.services();

    @Test
    void everyYamlFileOfTheDeploymentParses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Repo.deploy())) {
            files = s.filter(p -> p.toString().matches(".*\\.ya?ml$") && !p.toString().contains("/target/")
                    && !p.toString().contains("/src/test/")).toList();
        }
        assertThat(files).hasSizeGreaterThan(15);
        for (Path f : files) {
            assertThat(Yaml.all(Repo.read(f))).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void everyFileOfTheBaseIsPartOfIt() throws IOException {
        Path base = K8S.resolve("base");
        List<Object> resources = Yaml.list(Yaml.one(Repo.read(base.resolve("kustomization.yaml"))), "resources");
        try (Stream<Path> s = Files.list(base)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).toList()) {
                assertThat(resources).as("resources of base/kustomization.yaml").contains(f.getFileName().toString());
            }
        }
        for (Object r : resources) {
            assertThat(base.resolve(r.toString())).exists();
        }
    }

    @Test
    void baseAndProductionMatchTheServices() {
        for (String dir : List.of("base", "overlays/production")) {
            Kubernetes k = new Kubernetes(Kustomize.render(K8S.resolve(dir)));
            assertThat(k.problems(SERVICES)).as(dir).isEmpty();
            assertThat(k.secretProblems()).as(dir).isEmpty();
            assertThat(k.imageProblems()).as(dir).isEmpty();
        }
    }

    @Test
    void productionRunsMoreCopies() {
        Kubernetes base = new Kubernetes(Kustomize.render(K8S.resolve("base")));
        Kubernetes prod = new Kubernetes(Kustomize.render(K8S.resolve("overlays/production")));
        for (String s : List.of("smtp-gateway", "imap-service")) {
            assertThat(minReplicas(prod, "HorizontalPodAutoscaler", s, "minReplicas"))
                    .isGreaterThan(minReplicas(base, "HorizontalPodAutoscaler", s, "minReplicas"));
            assertThat(minReplicas(prod, "HorizontalPodAutoscaler", s, "maxReplicas"))
                    .isGreaterThan(minReplicas(base, "HorizontalPodAutoscaler", s, "maxReplicas"));
        }
        assertThat(minReplicas(prod, "ScaledObject", "delivery-worker", "minReplicaCount"))
                .isGreaterThan(minReplicas(base, "ScaledObject", "delivery-worker", "minReplicaCount"));
        for (Map<String, Object> d : prod.ofKind("Deployment")) {
            assertThat(Yaml.str(Yaml.at(d, "metadata"), "namespace")).isEqualTo("mail");
        }
    }

    private static int minReplicas(Kubernetes k, String kind, String name, String field) {
        return ((Number) Yaml.at(k.get(kind, name), "spec", field)).intValue();
    }

    @Test
    void theJavaRendererAgreesWithKubectlWhereBothExist() {
        // the Java renderer is what runs where kubectl is missing; where both exist they must give the same answers
        if (Kustomize.onPath("kubectl") == null) {
            assertThat(Kustomize.inJava(K8S.resolve("overlays/production"))).isNotEmpty();
            return;
        }
        Path prod = K8S.resolve("overlays/production");
        Kubernetes kubectl = new Kubernetes(Kustomize.render(prod));
        Kubernetes java = new Kubernetes(Kustomize.inJava(prod));
        List<String> compared = new ArrayList<>();
        for (Map<String, Object> o : kubectl.objects()) {
            String kind = String.valueOf(o.get("kind"));
            Map<String, Object> other = java.get(kind, Kubernetes.name(o));
            assertThat(other).as(kind + " " + Kubernetes.name(o)).isNotNull();
            assertThat(other.get("spec")).as(kind + " " + Kubernetes.name(o)).isEqualTo(o.get("spec"));
            compared.add(kind);
        }
        assertThat(compared).contains("Deployment", "HorizontalPodAutoscaler", "ScaledObject", "PodDisruptionBudget");
    }

    @Test
    void theRealmForKeycloakIsTheOneTheLocalPlatformImports() throws IOException {
        Path devInfra = Repo.root().resolve("dev-infra/src/main/resources/mail-realm.json");
        assertThat(Files.readString(K8S.resolve("base/keycloak/mail-realm.json"))).isEqualTo(Files.readString(devInfra));

        // JSON is YAML: the operator's KeycloakRealmImport embeds the same realm (operators/make-realm-import.sh)
        List<Map<String, Object>> docs = Yaml.all(Repo.read(K8S.resolve("operators/keycloak-realm-import.yaml")));
        Object realm = Yaml.at(docs.stream().filter(d -> "KeycloakRealmImport".equals(d.get("kind"))).findFirst()
                .orElseThrow(), "spec", "realm");
        assertThat(realm).isEqualTo(Yaml.one(Files.readString(devInfra)));
    }

    @Test
    void operatorResourcesArePinnedAndHoldOnlyPlaceholders() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(K8S.resolve("operators"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                all.addAll(Yaml.all(Repo.read(f)));
            }
        }
        Kubernetes k = new Kubernetes(all);
        assertThat(k.imageProblems()).isEmpty();
        assertThat(k.secretProblems()).isEmpty();
        assertThat(k.ofKind("Kafka")).hasSize(1);
        assertThat(k.ofKind("MongoDBCommunity")).hasSize(1);
        assertThat(k.ofKind("Tenant")).hasSize(1);
        assertThat(k.ofKind("Keycloak")).hasSize(1);
    }

    @Test
    void wrongPortsAndProbesAreReported() {
        Kubernetes k = new Kubernetes(Yaml.all(Repo.read(BROKEN.resolve("k8s-probes.yaml"))));

        assertThat(String.join("\n", k.problems(SERVICES))).contains(
                "k8s smtp-gateway: the container's HTTP port is 8080 but quarkus.http.port is 8082",
                "k8s smtp-gateway: container port 'http' is 8080, not 8082",
                "k8s smtp-gateway: readinessProbe asks /q/health/live on 8080, expected /q/health/ready on 8082",
                "k8s smtp-gateway: livenessProbe asks /q/health/live on 2525, expected /q/health/live on 8082",
                "k8s smtp-gateway: listener mail.smtp.submissions.port on 2465 is not a container port",
                "k8s smtp-gateway: no cpu/memory requests",
                "only works on a developer machine: set MAIL_S3_ENDPOINT",
                "k8s pop3-service: no Deployment");
    }

    @Test
    void missingAutoscalingDisruptionBudgetsAndGraceAreReported() {
        Kubernetes k = new Kubernetes(Yaml.all(Repo.read(BROKEN.resolve("k8s-scaling.yaml"))));

        assertThat(String.join("\n", k.problems(SERVICES))).contains(
                "k8s delivery-worker: KEDA watches group delivery on mail.received, but the service consumes mail.received in group delivery-worker",
                "k8s delivery-worker: no PodDisruptionBudget selects its pods",
                "k8s imap-service: protocol service without a CPU HorizontalPodAutoscaler",
                "k8s imap-service: PodDisruptionBudget minAvailable 2 with only 2 replicas blocks every node drain",
                "k8s imap-service: no LoadBalancer port 993 reaches mail.imap.tls-port (2993)",
                "k8s smtp-gateway: terminationGracePeriodSeconds 60 < 300 s to drain + 10 s preStop");
    }

    @Test
    void realSecretsAndUnpinnedOperatorImagesAreReported() {
        Kubernetes k = new Kubernetes(Yaml.all(Repo.read(BROKEN.resolve("k8s-secrets.yaml"))));

        assertThat(String.join("\n", k.secretProblems())).contains(
                "k8s Secret mail-platform-secrets: MAIL_S3_SECRET_KEY is not a CHANGE-ME placeholder",
                "k8s Secret mail-platform-secrets: base64 data in a committed file");
        assertThat(String.join("\n", k.imageProblems())).contains("k8s mail-keycloak: quay.io/keycloak/keycloak has no tag");
    }
}
