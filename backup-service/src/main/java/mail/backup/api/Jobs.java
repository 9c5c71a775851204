package mail.backup.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import mail.backup.archive.Manifest;
import mail.backup.portability.ExportResult;
import mail.backup.portability.ImportResult;
import mail.backup.restore.RestoreResult;
import org.jboss.logging.Logger;

/**
 * Runs backups and restores one at a time on a worker thread: two restores racing, or a backup reading a half
 * restored platform, would each be correct alone and confusing together. Jobs are kept in memory (the latest 200);
 * a backup's lasting record is its manifest in the target.
 */
@ApplicationScoped
public class Jobs {
    private static final Logger LOG = Logger.getLogger(Jobs.class);
    private static final int KEEP = 200;

    public interface Work {
        Object run(Job job) throws Exception;
    }

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "backup-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final MeterRegistry registry;
    private final AtomicLong lastBackupSuccess = new AtomicLong();
    private final AtomicLong lastBackupBytes = new AtomicLong();

    public Jobs(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("mail_backup_last_success_timestamp_seconds", lastBackupSuccess);
        registry.gauge("mail_backup_last_bytes_written", lastBackupBytes);
    }

    public Job submit(String id, String kind, Work work) {
        return submit(id, kind, TRIGGER_API, work);
    }

    public static final String TRIGGER_API = "api";
    public static final String TRIGGER_SCHEDULED = "scheduled";

    public Job submit(String id, String kind, String trigger, Work work) {
        Job job = new Job(id, kind, clock.instant(), trigger);
        synchronized (jobs) {
            jobs.put(id, job);
            while (jobs.size() > KEEP) {
                jobs.remove(jobs.keySet().iterator().next());
            }
        }
        worker.submit(() -> execute(job, work));
        return job;
    }

    private void execute(Job job, Work work) {
        job.running();
        Timer.Sample sample = Timer.start(registry);
        String outcome = "failed";
        try {
            Object result = work.run(job);
            job.succeeded(result, clock.instant());
            outcome = "succeeded";
            if (result instanceof Manifest m) {
                lastBackupSuccess.set(m.finishedAt().getEpochSecond());
                lastBackupBytes.set(m.stats().bytesWritten());
                Counter.builder("mail_backup_bytes_written_total").register(registry).increment(m.stats().bytesWritten());
                Counter.builder("mail_backup_blobs_written_total").register(registry).increment(m.stats().blobsWritten());
            } else if (result instanceof RestoreResult r) {
                Counter.builder("mail_restore_messages_total").register(registry).increment(r.messages());
            } else if (result instanceof ImportResult r) {
                Counter.builder("mail_import_messages_total").register(registry).increment(r.imported());
            } else if (result instanceof mail.backup.portability.ImapImportResult r) {
                Counter.builder("mail_import_messages_total").register(registry).increment(r.imported());
            } else if (result instanceof ExportResult r) {
                Counter.builder("mail_export_messages_total").register(registry).increment(r.messages());
            }
        } catch (Throwable e) {
            LOG.warnf(e, "%s %s failed", job.kind(), job.id());
            job.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), clock.instant());
        } finally {
            sample.stop(Timer.builder("mail_backup_job_duration").tag("kind", job.kind()).tag("outcome", outcome).register(registry));
            Counter.builder("mail_backup_jobs_total").tag("kind", job.kind()).tag("outcome", outcome).register(registry).increment();
        }
    }

    public Optional<Job> find(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    public List<Job> list(String kindPrefix) {
        synchronized (jobs) {
            List<Job> out = new ArrayList<>();
            for (Job j : jobs.values()) {
                if (j.kind().startsWith(kindPrefix)) {
                    out.add(j);
                }
            }
            return out;
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
