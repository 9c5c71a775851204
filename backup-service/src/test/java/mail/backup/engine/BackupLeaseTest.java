package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import mail.backup.schedule.BackupLease;
import org.junit.jupiter.api.Test;

/** The lease that lets one backup-writing job run at a time across copies of the service, against the real MongoDB. */
class BackupLeaseTest {
    @Test
    void oneHolderAtATimeGivenBackOnCloseAndTakenOverWhenItRanOut() throws Exception {
        try (Fixture f = new Fixture()) {
            Instant t0 = Instant.parse("2026-11-29T02:00:00Z");
            BackupLease a = new BackupLease(f.db, "copy-a", Duration.ofMinutes(2), Clock.fixed(t0, ZoneOffset.UTC));
            BackupLease b = new BackupLease(f.db, "copy-b", Duration.ofMinutes(2), Clock.fixed(t0.plusSeconds(10), ZoneOffset.UTC));
            Optional<BackupLease.Held> held = a.tryAcquire("backup-1");
            assertThat(held).isPresent();
            assertThat(b.tryAcquire("backup-2")).isEmpty();
            assertThat(b.holder()).contains("backup-1", "copy-a");
            assertThat(a.tryAcquire("prune-1")).as("not even the same copy twice").isEmpty();
            held.get().close();
            assertThat(b.holder()).isEqualTo("nobody");
            Optional<BackupLease.Held> second = b.tryAcquire("backup-2");
            assertThat(second).isPresent();

            // copy b dies holding it: after the lease time another copy takes over
            BackupLease c = new BackupLease(f.db, "copy-c", Duration.ofMinutes(2), Clock.fixed(t0.plusSeconds(10 + 121), ZoneOffset.UTC));
            Optional<BackupLease.Held> third = c.tryAcquire("backup-3");
            assertThat(third).isPresent();
            // the dead copy's late close does not free the lease it no longer holds
            second.get().close();
            assertThat(c.holder()).contains("backup-3");
            third.get().close();
            a.shutdown();
            b.shutdown();
            c.shutdown();
        }
    }
}
