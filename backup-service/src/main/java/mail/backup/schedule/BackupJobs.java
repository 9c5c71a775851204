package mail.backup.schedule;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import mail.backup.api.Job;
import mail.backup.api.Jobs;
import mail.backup.archive.Manifest;
import mail.backup.config.BackupConfig;
import mail.backup.engine.BackupRunner;
import mail.backup.location.BackupTarget;
import mail.backup.retention.PruneResult;
import mail.backup.retention.Pruner;
import org.jboss.logging.Logger;

/**
 * Starts the jobs that write to the backup target — backups and prunes — from the API or the schedule. Each one holds
 * the {@link BackupLease} while it runs: a prune deleting a blob that a backup in another copy has just decided not
 * to copy again (it was there) would break that backup.
 */
@ApplicationScoped
public class BackupJobs {
    private static final Logger LOG = Logger.getLogger(BackupJobs.class);

    private final Jobs jobs;
    private final BackupRunner runner;
    private final BackupTarget target;
    private final Pruner pruner;
    private final BackupLease lease;
    private final BackupConfig config;
    private final Clock clock = Clock.systemUTC();

    public BackupJobs(Jobs jobs, BackupRunner runner, BackupTarget target, Pruner pruner, BackupLease lease, BackupConfig config) {
        this.jobs = jobs;
        this.runner = runner;
        this.target = target;
        this.pruner = pruner;
        this.lease = lease;
        this.config = config;
    }

    public Job backup(boolean incremental) {
        String id = BackupRunner.newId(clock.instant());
        return jobs.submit(id, kind(incremental), Jobs.TRIGGER_API, j -> {
            try (BackupLease.Held held = take(id)) {
                return runner.run(target, id, incremental, j);
            }
        });
    }

    public Job prune(boolean dryRun) {
        String id = "prune-" + UUID.randomUUID();
        return jobs.submit(id, "prune", Jobs.TRIGGER_API, j -> {
            try (BackupLease.Held held = take(id)) {
                return pruner.prune(target, config.retention().daily(), config.retention().weekly(), dryRun, j);
            }
        });
    }

    /**
     * A scheduled backup, unless a backup or prune is queued or running here or holds the lease in another copy:
     * then this run is skipped (the next one comes). With a retention policy, a prune follows a successful backup.
     */
    public Optional<Job> scheduled(boolean incremental) {
        if (busy()) {
            LOG.infof("scheduled %s backup skipped: another backup job is queued or running here", kind(incremental));
            return Optional.empty();
        }
        String id = BackupRunner.newId(clock.instant());
        Optional<BackupLease.Held> held = lease.tryAcquire(id);
        if (held.isEmpty()) {
            LOG.infof("scheduled %s backup skipped: the backup lease is held by %s", kind(incremental), lease.holder());
            return Optional.empty();
        }
        try {
            return Optional.of(jobs.submit(id, kind(incremental), Jobs.TRIGGER_SCHEDULED, j -> {
                Manifest m;
                try (BackupLease.Held h = held.get()) {
                    m = runner.run(target, id, incremental, j);
                }
                if (mail.backup.retention.Retention.enabled(config.retention().daily(), config.retention().weekly())) {
                    String pruneId = "prune-" + UUID.randomUUID();
                    jobs.submit(pruneId, "prune", Jobs.TRIGGER_SCHEDULED, p -> {
                        try (BackupLease.Held h = take(pruneId)) {
                            PruneResult r = pruner.prune(target, config.retention().daily(), config.retention().weekly(), false, p);
                            LOG.infof("retention after %s: deleted %s", id, r.deleted());
                            return r;
                        }
                    });
                }
                return m;
            }));
        } catch (RuntimeException e) {
            held.get().close();
            throw e;
        }
    }

    /** Whether a backup or prune job is queued or running in this copy. */
    public boolean busy() {
        for (String prefix : new String[] {"backup", "prune"}) {
            for (Job j : jobs.list(prefix)) {
                if (j.state() == Job.State.QUEUED || j.state() == Job.State.RUNNING) {
                    return true;
                }
            }
        }
        return false;
    }

    private BackupLease.Held take(String job) {
        return lease.tryAcquire(job).orElseThrow(() -> new IllegalStateException(
                "another backup job holds the backup target: " + lease.holder() + "; try again when it has finished"));
    }

    private static String kind(boolean incremental) {
        return incremental ? "backup-incremental" : "backup-full";
    }
}
