package mail.backup.schedule;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Optional;
import mail.backup.config.BackupConfig;
import org.jboss.logging.Logger;

/** Registers the cron schedules of mail.backup.schedule.full / incremental, when set, with the Quarkus scheduler. */
@ApplicationScoped
public class BackupSchedule {
    private static final Logger LOG = Logger.getLogger(BackupSchedule.class);

    private final Scheduler scheduler;
    private final BackupJobs backups;
    private final BackupConfig config;

    public BackupSchedule(Scheduler scheduler, BackupJobs backups, BackupConfig config) {
        this.scheduler = scheduler;
        this.backups = backups;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        register("backup-full", config.schedule().full(), false);
        register("backup-incremental", config.schedule().incremental(), true);
    }

    private void register(String name, Optional<String> cron, boolean incremental) {
        Optional<String> c = cron.map(String::trim).filter(s -> !s.isEmpty() && !s.toLowerCase(Locale.ROOT).equals("off"));
        if (c.isEmpty()) {
            return;
        }
        try {
            scheduler.newJob(name).setCron(c.get()).setTask(ex -> {
                try {
                    backups.scheduled(incremental);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "scheduled %s could not start", name);
                }
            }).schedule();
        } catch (RuntimeException e) {
            throw new IllegalStateException("mail.backup.schedule." + (incremental ? "incremental" : "full") + " is not a valid cron "
                    + "expression (Quartz syntax, seconds first, e.g. '0 0 2 * * ?'): '" + c.get() + "': " + e.getMessage(), e);
        }
        LOG.infof("%s scheduled: %s", name, c.get());
    }
}
