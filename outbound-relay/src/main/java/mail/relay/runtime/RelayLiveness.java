package mail.relay.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN when the mail.outbound feed or a delivery thread has ended while the service runs (an Error, or a bug that
 * escaped their retry loops): such a copy takes no new mail and delivers nothing, so the orchestrator restarts it.
 */
@Liveness
@ApplicationScoped
public class RelayLiveness implements HealthCheck {
    private final RelayRuntime runtime;

    public RelayLiveness(RelayRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("outbound-relay threads").status(runtime.running()).build();
    }
}
