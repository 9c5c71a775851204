package mail.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The compose scrape config reaches every copy of every service on its metrics endpoint. */
final class Prometheus {
    private Prometheus() {
    }

    static List<String> composeProblems(Map<String, Object> config, List<ServiceModule> modules) {
        List<String> out = new ArrayList<>();
        for (ServiceModule m : modules) {
            Object job = Yaml.list(config, "scrape_configs").stream()
                    .filter(j -> m.name().equals(Yaml.str(j, "job_name"))).findFirst().orElse(null);
            if (job == null) {
                out.add("prometheus: no job for " + m.name());
                continue;
            }
            if (!"/q/metrics".equals(Yaml.str(job, "metrics_path"))) {
                out.add("prometheus " + m.name() + ": metrics_path " + Yaml.str(job, "metrics_path") + " is not /q/metrics");
            }
            boolean reaches = Yaml.list(job, "dns_sd_configs").stream().anyMatch(sd ->
                    Yaml.list(sd, "names").contains(m.name())
                            && Objects.equals(((Map<?, ?>) sd).get("port"), m.httpPort()));
            if (!reaches) {
                out.add("prometheus " + m.name() + ": no DNS discovery of " + m.name() + " on port " + m.httpPort());
            }
        }
        return out;
    }
}
