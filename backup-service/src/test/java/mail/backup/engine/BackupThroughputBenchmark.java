package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import mail.backup.archive.Manifest;
import mail.backup.restore.RestoreRequest;
import mail.backup.restore.RestoreResult;
import mail.backup.restore.Restorer;
import mail.backup.location.DirectoryTarget;
import mail.store.Mailbox;
import mail.store.StoreSchema;
import org.junit.jupiter.api.Test;

/**
 * Not part of the build's test run (surefire does not pick up *Benchmark): backup and restore throughput against the
 * build's real infrastructure. Run with
 * {@code ./mvnw -B -ntp -pl backup-service test-compile surefire:test@engine -Dtest=BackupThroughputBenchmark -Dbench.messages=1000}.
 */
class BackupThroughputBenchmark {

    @Test
    void measure() throws Exception {
        int count = Integer.getInteger("bench.messages", 1000);
        int size = Integer.getInteger("bench.size", 20_000);
        Random random = new Random(42);
        Path dir = Files.createTempDirectory("bk-bench");
        try (Fixture source = new Fixture(); Fixture empty = new Fixture()) {
            Mailbox inbox = source.inbox("acc-" + UUID.randomUUID());
            long rawBytes = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                StringBuilder body = new StringBuilder();
                while (body.length() < size) {
                    // words, not random bytes: mail compresses like text does
                    body.append(Long.toString(random.nextLong() & 0xffffff, 36)).append(random.nextInt(12) == 0 ? "\r\n" : " ");
                }
                byte[] raw = Fixture.message("a@bench.test", "b@bench.test", "bench " + i, body.toString());
                rawBytes += raw.length;
                source.deliver(inbox, raw, i % 3 == 0 ? List.of("\\Seen") : List.of(), Instant.now());
            }
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            DirectoryTarget target = new DirectoryTarget(dir);
            BackupRunner runner = new BackupRunner(source.db, source.blobs, null, null, dir.resolveSibling(dir.getFileName() + "-spool"),
                    Clock.systemUTC());

            long b0 = System.nanoTime();
            Manifest full = runner.run(target, BackupRunner.newId(Instant.now()), false, Progress.NONE);
            double backupSeconds = (System.nanoTime() - b0) / 1e9;

            int extra = Math.max(1, count / 10);
            for (int i = 0; i < extra; i++) {
                source.deliver(inbox, Fixture.message("a@bench.test", "b@bench.test", "more " + i, "x" + i + " ".repeat(size)),
                        List.of(), Instant.now());
            }
            long i0 = System.nanoTime();
            Manifest inc = runner.run(target, BackupRunner.newId(Instant.now().plusSeconds(1)), true, Progress.NONE);
            double incSeconds = (System.nanoTime() - i0) / 1e9;

            long v0 = System.nanoTime();
            assertThat(new Verifier().verify(target, inc.id(), Progress.NONE).ok()).isTrue();
            double verifySeconds = (System.nanoTime() - v0) / 1e9;

            long r0 = System.nanoTime();
            RestoreResult r = new Restorer(empty.db, empty.blobs, null, Clock.systemUTC()).restore(target,
                    new RestoreRequest(full.id(), RestoreRequest.Scope.FULL, null, null, false), Progress.NONE);
            double restoreSeconds = (System.nanoTime() - r0) / 1e9;
            assertThat(empty.all(StoreSchema.MESSAGES)).hasSize(count);

            double mb = rawBytes / 1e6;
            System.out.printf("BENCH messages=%d raw=%.1fMB fill=%.1fs%n", count, mb, fillSeconds);
            System.out.printf("BENCH full backup: %.1fs  %.2f MB/s  %.1f msg/s  stored %.1fMB%n", backupSeconds, mb / backupSeconds,
                    count / backupSeconds, full.stats().bytesWritten() / 1e6);
            System.out.printf("BENCH incremental (+%d msgs): %.1fs  changed docs %d  blobs %d  stored %.2fMB%n", extra, incSeconds,
                    inc.stats().changed(), inc.stats().blobsWritten(), inc.stats().bytesWritten() / 1e6);
            System.out.printf("BENCH verify chain: %.1fs  %.2f MB/s%n", verifySeconds, mb / verifySeconds);
            System.out.printf("BENCH full restore: %.1fs  %.2f MB/s  %.1f msg/s  (%d documents)%n", restoreSeconds, mb / restoreSeconds,
                    count / restoreSeconds, r.inserted());
        }
    }
}
