package mail.backup.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of backup-service; each key can be set from the environment (MAIL_BACKUP_…). */
@ConfigMapping(prefix = "mail.backup")
public interface BackupConfig {
    /** where backups go: {@code s3} (the bucket below, on the platform's S3 endpoint) or {@code directory} */
    @WithDefault("s3")
    String target();

    /** the bucket backups are written to; separate from the messages' bucket */
    @WithDefault("mail-backups")
    String bucket();

    /** the directory backups are written to when target is {@code directory} */
    Optional<String> directory();

    /** unused: superseded by mail.backup.retention.daily / weekly; kept so that existing settings still start the service */
    @WithDefault("30")
    int retentionDays();

    /** include the Keycloak realm (users, groups, roles) in backups and restores */
    @WithDefault("true")
    boolean includeRealm();

    /** record the Kafka end offsets a backup covers; a backup fails if Kafka cannot be asked */
    @WithDefault("true")
    boolean recordKafkaOffsets();

    /** where files are compressed before upload; defaults to java.io.tmpdir */
    Optional<String> spoolDir();

    /**
     * the directory exports are written into and imports read from; the API names paths relative to it. Defaults to
     * java.io.tmpdir/mail-exchange
     */
    Optional<String> exchangeDir();

    /** an imported message larger than this is not imported (listed as rejected); 50 MiB */
    @WithDefault("52428800")
    long importMaxMessageBytes();

    /** connect and read timeout of the IMAP import's connection to the remote server */
    @WithDefault("60s")
    java.time.Duration imapTimeout();

    Schedule schedule();

    Retention retention();

    /** Cron expressions (Quartz syntax: seconds first, e.g. {@code 0 0 2 * * ?}); absent, empty or {@code off}: not scheduled. */
    interface Schedule {
        Optional<String> full();

        Optional<String> incremental();

        /** how long the backup lease runs before it must be renewed; a copy that died holding it blocks others this long */
        @WithDefault("2m")
        java.time.Duration lease();
    }

    /** Keep the newest backup of each of the last {@code daily} days and {@code weekly} ISO weeks that have one; 0 and 0: keep all. */
    interface Retention {
        @WithDefault("0")
        int daily();

        @WithDefault("0")
        int weekly();
    }
}
