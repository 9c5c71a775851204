package mail.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObservabilityTest {
    private static final Path BROKEN = Path.of("src/test/resources/broken");

    @Test
    void theScannerFindsTheMetersTheServicesRegister() {
        Set<String> meters = Dashboard.meterNames(Repo.root());

        // one of each kind: a counter, a tagged counter, a timer's histogram, gauges of two styles
        assertThat(meters).contains("mail_delivery_delivered_total", "mail_relay_recipients_total",
                "mail_delivery_latency_seconds_bucket", "mail_relay_queue_size", "mail_delivery_consuming",
                "mail_dependency_up");
    }

    @Test
    void theDashboardAsksOnlyForMetersThatExist() {
        String json = Repo.read(Repo.deploy().resolve("grafana/mail-platform.json"));

        assertThat(Dashboard.problems(json, Dashboard.meterNames(Repo.root()))).isEmpty();
        String all = String.join("\n", Dashboard.expressions(json));
        assertThat(all).contains("mail_delivery_", "mail_relay_", "mail_dependency_up", "mail_delivery_latency_seconds_bucket");
    }

    @Test
    void aDashboardWithAnUnknownMetricIsReported() {
        List<String> problems = Dashboard.problems(Repo.read(BROKEN.resolve("dashboard.json")),
                Dashboard.meterNames(Repo.root()));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("dashboard: mail_smtp_teleports_total is not a meter of any service");
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertThat(Dashboard.metricNames(
                "histogram_quantile(0.99, sum by (le, job) (rate(mail_delivery_latency_seconds_bucket{job=~\"$service\"}[5m])))"))
                .containsExactly("mail_delivery_latency_seconds_bucket");
        assertThat(Dashboard.metricNames("sum by (job, dependency) (1 - mail_dependency_up)")).containsExactly("mail_dependency_up");
    }

    @Test
    void prometheusScrapesEveryCopyOfEveryService() {
        Map<String, Object> config = Yaml.one(Repo.read(Repo.deploy().resolve("prometheus/prometheus-compose.yml")));
        assertThat(Prometheus.composeProblems(config, Repo.services())).isEmpty();

        Map<String, Object> k8s = Yaml.one(Repo.read(Repo.deploy().resolve("prometheus/prometheus-k8s.yml")));
        assertThat(Yaml.list(k8s, "scrape_configs")).hasSize(1);
    }

    @Test
    void aScrapeConfigThatMissesServicesIsReported() {
        Map<String, Object> config = Yaml.one(Repo.read(BROKEN.resolve("prometheus-compose.yml")));

        assertThat(String.join("\n", Prometheus.composeProblems(config, Repo.services()))).contains(
                "prometheus imap-service: no DNS discovery of imap-service on port 8084",
                "prometheus: no job for pop3-service",
                "prometheus smtp-gateway: metrics_path /metrics is not /q/metrics");
    }
}
