package mail.backup.schedule;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * One backup-writing job (backup or prune) at a time across every copy of backup-service: a lease document in
 * MongoDB, taken by a conditional update (only when it has run out) and renewed while the job runs, so a copy that
 * died holding it blocks the others for one lease time at most.
 */
public final class BackupLease {
    public static final String COLLECTION = "backup_leases";
    private static final Logger LOG = Logger.getLogger(BackupLease.class);
    private static final String ID = "backup-target";

    private final MongoCollection<Document> leases;
    private final String owner;
    private final Duration ttl;
    private final Clock clock;
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "backup-lease");
        t.setDaemon(true);
        return t;
    });

    public BackupLease(MongoDatabase db, String owner, Duration ttl, Clock clock) {
        this.leases = db.getCollection(COLLECTION);
        this.owner = owner;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The lease while held; closing it gives it back. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the lease if nobody holds it; empty if another job (here or in another copy) does. */
    public Optional<Held> tryAcquire(String job) {
        Instant now = clock.instant();
        try {
            leases.insertOne(new Document("_id", ID).append("owner", "").append("job", "").append("until", new Date(0)));
        } catch (MongoException e) {
            // it exists already (the local server reports a duplicate _id as a generic error)
        }
        long changed = leases.updateOne(and(eq("_id", ID), lt("until", Date.from(now))), Updates.combine(Updates.set("owner", owner),
                Updates.set("job", job), Updates.set("since", Date.from(now)), Updates.set("until", Date.from(now.plus(ttl)))))
                .getModifiedCount();
        if (changed != 1) {
            return Optional.empty();
        }
        var renewal = renewer.scheduleAtFixedRate(() -> renew(job), ttl.toMillis() / 3, ttl.toMillis() / 3, TimeUnit.MILLISECONDS);
        return Optional.of(() -> {
            renewal.cancel(false);
            leases.updateOne(and(eq("_id", ID), eq("owner", owner), eq("job", job)), Updates.set("until", new Date(0)));
        });
    }

    /** Who holds the lease now, for the error of a job that could not take it. */
    public String holder() {
        Document d = leases.find(eq("_id", ID)).first();
        if (d == null || d.getDate("until") == null || !d.getDate("until").toInstant().isAfter(clock.instant())) {
            return "nobody";
        }
        return "job " + d.getString("job") + " of " + d.getString("owner") + " (since " + d.getDate("since").toInstant() + ")";
    }

    private void renew(String job) {
        try {
            leases.updateOne(and(eq("_id", ID), eq("owner", owner), eq("job", job)),
                    Updates.set("until", Date.from(clock.instant().plus(ttl))));
        } catch (RuntimeException e) {
            LOG.warnf("renewing the backup lease for %s failed: %s", job, e.toString());
        }
    }

    public void shutdown() {
        renewer.shutdownNow();
    }
}
