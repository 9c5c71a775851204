package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.MinioClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import mail.backup.adapter.s3.S3Target;
import mail.backup.archive.Manifest;
import mail.backup.restore.RestoreRequest;
import mail.backup.restore.Restorer;
import mail.store.Mailbox;
import mail.store.StoreSchema;
import org.junit.jupiter.api.Test;

/** The same backup chain in a bucket of the S3 store, through the MinIO client. */
class S3TargetTest {

    @Test
    void fullAndIncrementalToABucketVerifyAndRestore() throws Exception {
        try (Fixture source = new Fixture(); Fixture empty = new Fixture()) {
            MinioClient client = MinioClient.builder().endpoint(Fixture.INFRA.s3Endpoint())
                    .credentials(Fixture.INFRA.s3AccessKey(), Fixture.INFRA.s3SecretKey()).region("us-east-1").build();
            S3Target target = new S3Target(client, "backups-" + source.name);
            assertThat(target.backupIds()).isEmpty();
            Mailbox inbox = source.inbox("acc-" + UUID.randomUUID());
            source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "s1", "first"), List.of("\\Seen"), Instant.now());
            BackupRunner runner = new BackupRunner(source.db, source.blobs, null, null,
                    Path.of(System.getProperty("java.io.tmpdir"), "bk-test"), Clock.systemUTC());
            Manifest full = runner.run(target, BackupRunner.newId(Instant.now()), false, Progress.NONE);
            source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "s2", "second"), List.of(), Instant.now());
            Manifest inc = runner.run(target, BackupRunner.newId(Instant.now().plusSeconds(1)), true, Progress.NONE);

            assertThat(target.backupIds()).containsExactly(full.id(), inc.id());
            assertThat(inc.parentId()).isEqualTo(full.id());
            assertThat(inc.stats().blobsWritten()).isEqualTo(1);
            assertThat(new Verifier().verify(target, inc.id(), Progress.NONE).problems()).isEmpty();

            new Restorer(empty.db, empty.blobs, null, Clock.systemUTC()).restore(target,
                    new RestoreRequest(inc.id(), RestoreRequest.Scope.FULL, null, null, false), Progress.NONE);
            assertThat(empty.all(StoreSchema.MESSAGES)).isEqualTo(source.all(StoreSchema.MESSAGES));
            assertThat(empty.all(StoreSchema.MAILBOXES)).isEqualTo(source.all(StoreSchema.MAILBOXES));
        }
    }
}
