package mail.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of backup-service; each key can be set from the environment (MAIL_BACKUP_…). */
@ConfigMapping(prefix = "mail.backup")
public interface BackupConfig {
    /** where backups are written */
    @WithDefault("mail-backups")
    String bucket();

    /** how long backups are kept */
    @WithDefault("30")
    int retentionDays();
}
