package mail.relay.metrics;

import io.prometheus.client.exemplars.ExemplarSampler;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * No exemplars on /q/metrics. With OpenTelemetry present Quarkus attaches the current span to counter samples
 * ("... 3.0 # {trace_id=...} 1.0 1795977500.890"), which the plain "name value" readers of our metrics (tests,
 * scripts, older Prometheus) misread; traces are found by the ids in the logs instead.
 */
public final class NoExemplars {
    @Produces
    @Singleton
    @Alternative
    @Priority(1000)
    Optional<ExemplarSampler> exemplarSampler() {
        return Optional.empty();
    }
}
