package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mail.backup.archive.ArchiveNames;
import org.junit.jupiter.api.Test;

class BackupIdTest {

    @Test
    void idsTakenInTheSameSecondSortInTheOrderTheyWereTaken() {
        Instant second = Instant.parse("2026-11-29T12:00:00.250Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(BackupRunner.newId(second.plusMillis(i % 700)));
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(ArchiveNames::isBackupId)
                .allMatch(id -> id.startsWith("20261129T120000Z-"));
        assertThat(BackupRunner.newId(second.plusSeconds(1))).startsWith("20261129T120001Z-");
    }
}
