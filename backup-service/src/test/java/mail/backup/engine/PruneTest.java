package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.MinioClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import mail.backup.adapter.s3.S3Target;
import mail.backup.archive.ArchiveNames;
import mail.backup.archive.Manifest;
import mail.backup.location.BackupTarget;
import mail.backup.location.DirectoryTarget;
import mail.backup.retention.PruneResult;
import mail.backup.retention.Pruner;
import mail.store.Mailbox;
import mail.store.StoredMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention applied to real targets (a directory and a bucket): the backups the policy drops are gone with their
 * files and the blobs nobody kept needs; the kept chain still verifies, and the list of backups stays consistent.
 */
class PruneTest {
    @TempDir
    Path dir;

    /** A clock the test moves: each backup is taken "on" its own day. */
    private static final class At extends Clock {
        Instant now;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private record Timeline(Manifest f1, Manifest i1, Manifest f2, Manifest i2, Manifest i3, Manifest i4, String onlyInF1, String inI1) {
    }

    private Timeline backups(Fixture f, BackupTarget target) throws Exception {
        At clock = new At();
        BackupRunner runner = new BackupRunner(f.db, f.blobs, null, null, dir.resolve("spool"), clock);
        Mailbox inbox = f.inbox("acc-" + UUID.randomUUID());
        StoredMessage m1 = f.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "one", "first " + UUID.randomUUID()), List.of(),
                Instant.parse("2026-11-01T10:00:00Z"));
        String b1 = f.store.messages().list(inbox.id()).get(0).getString("sha256");
        clock.now = Instant.parse("2026-11-02T02:00:00Z");
        Manifest f1 = runner.run(target, BackupRunner.newId(clock.now), false, Progress.NONE);
        f.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "two", "second " + UUID.randomUUID()), List.of(),
                Instant.parse("2026-11-02T10:00:00Z"));
        String b2 = f.store.messages().list(inbox.id()).get(1).getString("sha256");
        clock.now = Instant.parse("2026-11-03T02:00:00Z");
        Manifest i1 = runner.run(target, BackupRunner.newId(clock.now), true, Progress.NONE);
        // the first message goes: only the first backup refers to its blob
        f.store.expunge(inbox, List.of(m1.uid()));
        clock.now = Instant.parse("2026-11-09T02:00:00Z");
        Manifest f2 = runner.run(target, BackupRunner.newId(clock.now), false, Progress.NONE);
        f.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "three", "third"), List.of(), Instant.now());
        clock.now = Instant.parse("2026-11-10T02:00:00Z");
        Manifest i2 = runner.run(target, BackupRunner.newId(clock.now), true, Progress.NONE);
        f.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "four", "fourth"), List.of("\\Seen"), Instant.now());
        clock.now = Instant.parse("2026-11-10T14:00:00Z");
        Manifest i3 = runner.run(target, BackupRunner.newId(clock.now), true, Progress.NONE);
        f.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "five", "fifth"), List.of(), Instant.now());
        clock.now = Instant.parse("2026-11-11T02:00:00Z");
        Manifest i4 = runner.run(target, BackupRunner.newId(clock.now), true, Progress.NONE);
        assertThat(i4.parentId()).isEqualTo(i3.id());
        assertThat(i1.parentId()).isEqualTo(f1.id());
        return new Timeline(f1, i1, f2, i2, i3, i4, b1, b2);
    }

    private void pruneKeepsTheNewestDayAndItsChain(Fixture f, BackupTarget target) throws Exception {
        Timeline t = backups(f, target);
        assertThat(target.exists(ArchiveNames.blobFile(t.onlyInF1()))).isTrue();

        PruneResult dry = new Pruner().prune(target, 1, 0, true, Progress.NONE);
        assertThat(dry.deleted()).containsExactly(t.i1().id(), t.f1().id());
        assertThat(target.backupIds()).hasSize(6);

        PruneResult r = new Pruner().prune(target, 1, 0, false, Progress.NONE);
        assertThat(r.deleted()).containsExactly(t.i1().id(), t.f1().id());
        assertThat(r.kept()).containsExactly(t.f2().id(), t.i2().id(), t.i3().id(), t.i4().id());
        assertThat(target.backupIds()).containsExactly(t.f2().id(), t.i2().id(), t.i3().id(), t.i4().id());
        for (Manifest gone : List.of(t.f1(), t.i1())) {
            assertThat(target.exists(ArchiveNames.manifest(gone.id()))).isFalse();
            assertThat(gone.files()).filteredOn(c -> ArchiveNames.blobDigest(c.name()) == null)
                    .allSatisfy(c -> assertThat(target.exists(c.name())).as(c.name()).isFalse());
        }
        // the expunged message's blob was needed by the deleted backups only; the second one's is still in the kept state
        assertThat(target.exists(ArchiveNames.blobFile(t.onlyInF1()))).isFalse();
        assertThat(target.exists(ArchiveNames.blobFile(t.inI1()))).isTrue();
        assertThat(r.blobsDeleted()).isEqualTo(1);
        assertThat(new Verifier().verify(target, t.i4().id(), Progress.NONE).problems()).isEmpty();
        assertThat(new Verifier().verify(target, t.i2().id(), Progress.NONE).problems()).isEmpty();

        PruneResult again = new Pruner().prune(target, 1, 0, false, Progress.NONE);
        assertThat(again.deleted()).isEmpty();
        assertThat(target.backupIds()).hasSize(4);
    }

    @Test
    void pruningADirectoryTarget() throws Exception {
        try (Fixture f = new Fixture()) {
            DirectoryTarget target = new DirectoryTarget(dir.resolve("backups"));
            pruneKeepsTheNewestDayAndItsChain(f, target);
            assertThat(dir.resolve("backups")).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("20261102"));
        }
    }

    @Test
    void pruningABucket() throws Exception {
        try (Fixture f = new Fixture()) {
            MinioClient client = MinioClient.builder().endpoint(Fixture.INFRA.s3Endpoint())
                    .credentials(Fixture.INFRA.s3AccessKey(), Fixture.INFRA.s3SecretKey()).region("us-east-1").build();
            pruneKeepsTheNewestDayAndItsChain(f, new S3Target(client, "backups-" + f.name));
        }
    }

    @Test
    void withoutAPolicyNothingIsDeletedAndAnUnreadableManifestKeepsEveryBlob() throws Exception {
        try (Fixture f = new Fixture()) {
            DirectoryTarget target = new DirectoryTarget(dir.resolve("backups"));
            Timeline t = backups(f, target);
            PruneResult none = new Pruner().prune(target, 0, 0, false, Progress.NONE);
            assertThat(none.deleted()).isEmpty();
            assertThat(target.backupIds()).hasSize(6);

            java.nio.file.Files.writeString(dir.resolve("backups").resolve(t.i1().id()).resolve("manifest.json"), "{\"formatVersion\":99}");
            PruneResult r = new Pruner().prune(target, 1, 0, false, Progress.NONE);
            assertThat(r.unreadable()).singleElement().asString().startsWith(t.i1().id());
            // the unreadable one stays; the first full goes, but no blob does: nobody knows what the unreadable one needs
            assertThat(r.deleted()).containsExactly(t.f1().id());
            assertThat(r.blobsDeleted()).isZero();
            assertThat(target.exists(ArchiveNames.blobFile(t.onlyInF1()))).isTrue();
            assertThat(target.exists(ArchiveNames.manifest(t.i1().id()))).isTrue();
        }
    }
}
