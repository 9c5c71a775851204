package mail.directory.publish;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.directory.adapter.mongo.DomainStore;
import mail.directory.adapter.mongo.EntryStore;
import mail.directory.adapter.mongo.PurgeQueue;
import mail.directory.config.DirectoryConfig;
import mail.directory.domain.DomainRecord;
import mail.directory.entry.Entry;
import org.jboss.logging.Logger;

/**
 * Publishes the current MongoDB state of one key to directory.changes. MongoDB is the source of truth: every write
 * marks the document dirty, and a publish reads the document as it is now and clears the flag only if the document
 * was not written again meanwhile. A failed publish leaves the flag set for {@link Republisher}.
 *
 * <p>Publishing one key is serialised (striped locks) so that its records reach the partition in revision order; the
 * last record of a key in the compacted log must be its newest state. With several copies of directory-service this
 * guarantee needs one active publisher (not provided yet; see README).
 */
@ApplicationScoped
public class ChangePublisher {
    private static final Logger LOG = Logger.getLogger(ChangePublisher.class);
    private static final int STRIPES = 64;

    private final EventPublisher publisher;
    private final DomainStore domains;
    private final EntryStore entries;
    private final PurgeQueue purges;
    private final DirectoryConfig config;
    private final String source = "directory-service/" + ProcessHandle.current().pid();
    private final Object[] locks = new Object[STRIPES];
    private final AtomicLong failures = new AtomicLong();

    public ChangePublisher(EventPublisher publisher, DomainStore domains, EntryStore entries, PurgeQueue purges,
                           DirectoryConfig config) {
        this.publisher = publisher;
        this.domains = domains;
        this.entries = entries;
        this.purges = purges;
        this.config = config;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** @return whether the key's current state is now on the topic (false: left for the republisher) */
    public boolean publishDomain(String name) {
        DirectoryKey key = new DirectoryKey(EntityKind.DOMAIN, name);
        synchronized (lock(key)) {
            Optional<DomainRecord> d = domains.primary(name);
            if (d.isEmpty()) {
                return true;
            }
            DomainRecord r = d.get();
            try {
                if (r.deleted()) {
                    deleted(key, r.revision());
                    domains.removeDeleted(name, r.revision());
                } else {
                    send(key, DirectoryChanged.upserted(source, r.revision(), r.snapshot()));
                    domains.markPublished(name, r.revision());
                }
                return true;
            } catch (RuntimeException e) {
                return failed(key, e);
            }
        }
    }

    public boolean publishEntry(String id) {
        Optional<Entry> e = entries.find(id);
        if (e.isEmpty()) {
            return true;
        }
        DirectoryKey key = new DirectoryKey(e.get().kind(), id);
        synchronized (lock(key)) {
            e = entries.find(id);
            if (e.isEmpty()) {
                return true;
            }
            Entry r = e.get();
            try {
                if (r.deleted()) {
                    deleted(key, r.revision());
                    if (r.kind() == EntityKind.ACCOUNT) {
                        purges.request(r.accountId(), r.address(), Instant.now());
                    }
                    entries.removeDeleted(id, r.revision());
                } else {
                    send(key, DirectoryChanged.upserted(source, r.revision(), r.snapshot()));
                    entries.markPublished(id, r.revision());
                }
                return true;
            } catch (RuntimeException ex) {
                return failed(key, ex);
            }
        }
    }

    public long failures() {
        return failures.get();
    }

    // DELETED first (readable by caught-up consumers), then the tombstone that lets compaction forget the key
    private void deleted(DirectoryKey key, long revision) {
        send(key, DirectoryChanged.deleted(source, key.kind(), key.key(), revision));
        await(publisher.publishTombstone(Topics.DIRECTORY_CHANGES, key.compactionKey()));
    }

    private void send(DirectoryKey key, DirectoryChanged event) {
        await(publisher.publish(Topics.DIRECTORY_CHANGES, key.compactionKey(), event));
    }

    private void await(java.util.concurrent.CompletableFuture<EventPublisher.Published> f) {
        try {
            f.get(config.publishWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (Exception e) {
            throw new IllegalStateException("publish failed: " + e.getMessage(), e);
        }
    }

    private boolean failed(DirectoryKey key, RuntimeException e) {
        failures.incrementAndGet();
        LOG.warnf("publishing %s to %s failed, will retry: %s", key.compactionKey(), Topics.DIRECTORY_CHANGES,
                e.getMessage());
        return false;
    }

    private Object lock(DirectoryKey key) {
        return locks[Math.floorMod(key.compactionKey().hashCode(), STRIPES)];
    }
}
