package mail.pop3.server;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN from the start of a drain, so that a load balancer stops sending clients while sessions finish. */
@Readiness
@ApplicationScoped
public class ListenersReadiness implements HealthCheck {
    /** The grace period when quarkus.shutdown.timeout is not set; below Kubernetes' default 30 s before SIGKILL. */
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(25);

    private final Pop3Server server;

    public ListenersReadiness(Pop3Server server) {
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("pop3-listeners").status(!server.draining())
                .withData("state", server.draining() ? "draining" : "accepting").build();
    }

    /** How long a drain waits for sessions to finish: quarkus.shutdown.timeout. */
    static Duration grace() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.shutdown.timeout", Duration.class).orElse(DEFAULT_GRACE);
    }
}
