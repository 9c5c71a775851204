package mail.directory.publish;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import mail.core.health.DependenciesReadiness;
import org.eclipse.microprofile.health.Readiness;
import mail.directory.adapter.mongo.DomainStore;
import mail.directory.adapter.mongo.EntryStore;
import org.jboss.logging.Logger;

/**
 * Publishes whatever is still dirty in MongoDB: changes whose publication failed, and at start everything a previous
 * run left unpublished. Domains go first so that a fresh cache knows a domain before its addresses.
 */
@ApplicationScoped
public class Republisher {
    private static final Logger LOG = Logger.getLogger(Republisher.class);

    private final ChangePublisher publisher;
    private final DomainStore domains;
    private final EntryStore entries;
    private final DependenciesReadiness readiness;
    private final AtomicBoolean running = new AtomicBoolean();

    public Republisher(ChangePublisher publisher, DomainStore domains, EntryStore entries,
                       @Readiness DependenciesReadiness readiness) {
        this.publisher = publisher;
        this.domains = domains;
        this.entries = entries;
        this.readiness = readiness;
    }

    @Scheduled(every = "${mail.directory.republish-interval:5s}", delay = 1,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        republish();
    }

    /** @return the number of keys still waiting after this pass */
    public int republish() {
        if (!running.compareAndSet(false, true)) {
            return -1;
        }
        try {
            // readiness also creates the topics (compacted directory.changes) and our collections on first success
            if (!readiness.ready()) {
                return -1;
            }
            int left = 0;
            for (String name : domains.dirty()) {
                left += publisher.publishDomain(name) ? 0 : 1;
            }
            for (String id : entries.dirty()) {
                left += publisher.publishEntry(id) ? 0 : 1;
            }
            if (left > 0) {
                LOG.warnf("%d directory changes still unpublished", left);
            }
            return left;
        } catch (RuntimeException e) {
            LOG.warnf("republishing directory changes failed: %s", e.getMessage());
            return -1;
        } finally {
            running.set(false);
        }
    }
}
