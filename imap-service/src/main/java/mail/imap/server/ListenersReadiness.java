package mail.imap.server;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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

    private volatile boolean leaving;
    private final ImapServer server;

    public ListenersReadiness(ImapServer server) {
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        boolean draining = server.draining();
        return HealthCheckResponse.named("imap-listeners").status(!draining && !leaving)
                .withData("state", draining ? "draining" : leaving ? "leaving" : "accepting").build();
    }

    /**
     * SIGTERM with quarkus.shutdown.delay set: readiness turns DOWN at once while the listeners still greet, so that
     * the load balancer (Kubernetes endpoints, HAProxy's check) stops sending clients before the drain begins.
     */
    void leaving(@Observes ShutdownDelayInitiatedEvent event) {
        leaving = true;
    }

    /** How long a drain waits for sessions to finish: quarkus.shutdown.timeout. */
    static Duration grace() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.shutdown.timeout", Duration.class).orElse(DEFAULT_GRACE);
    }
}
