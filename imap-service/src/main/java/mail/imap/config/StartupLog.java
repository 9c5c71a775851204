package mail.imap.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import mail.core.runtime.ConfigDescription;
import mail.core.runtime.InfraConfig;
import org.jboss.logging.Logger;

/** One line at start saying what this copy will talk to, so a misrouted deployment is obvious from the log. */
@ApplicationScoped
public class StartupLog {
    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent ev, ImapConfig config, InfraConfig.Readiness readiness) {
        LOG.infof("imap-service starting: %s; dependencies %s", ConfigDescription.of(config, ImapConfig.class), readiness.dependencies());
    }
}
