package mail.backup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
    /** A timeline of backups: "F@2026-11-02T02:00" is a full one, "I@..." an increment on the one before it. */
    private static List<Retention.Backup> timeline(String... entries) {
        List<Retention.Backup> out = new ArrayList<>();
        String previous = null;
        for (String e : entries) {
            String at = e.substring(2);
            String id = e.charAt(0) + at;
            out.add(new Retention.Backup(id, e.charAt(0) == 'F' ? null : previous, Instant.parse(at + ":00Z")));
            previous = id;
        }
        return out;
    }

    @Test
    void noPolicyKeepsEverything() {
        List<Retention.Backup> all = timeline("F@2026-01-01T02:00", "I@2026-01-02T02:00", "F@2026-03-01T02:00");
        assertThat(Retention.keep(all, 0, 0)).containsExactlyInAnyOrder("F2026-01-01T02:00", "I2026-01-02T02:00", "F2026-03-01T02:00");
    }

    @Test
    void dailyKeepsTheNewestOfEachOfTheLastDaysAndTheChainsTheyNeed() {
        List<Retention.Backup> all = timeline("F@2026-11-01T02:00", "I@2026-11-01T14:00", "F@2026-11-02T02:00", "I@2026-11-02T14:00",
                "I@2026-11-02T20:00", "F@2026-11-03T02:00", "I@2026-11-03T14:00", "F@2026-11-04T02:00", "I@2026-11-04T08:00",
                "I@2026-11-04T14:00");
        // 11-04: its newest, whose chain goes down to the full of 11-04; 11-03: its newest and its full
        assertThat(Retention.keep(all, 2, 0)).containsExactlyInAnyOrder("I2026-11-04T14:00", "I2026-11-04T08:00", "F2026-11-04T02:00",
                "I2026-11-03T14:00", "F2026-11-03T02:00");
        assertThat(Retention.keep(all, 3, 0)).contains("I2026-11-02T20:00", "I2026-11-02T14:00", "F2026-11-02T02:00")
                .doesNotContain("I2026-11-01T14:00", "F2026-11-01T02:00");
    }

    @Test
    void onlyDaysThatHaveABackupCountSoAPauseNeverEatsTheLastGoodOnes() {
        List<Retention.Backup> all = timeline("F@2026-06-01T02:00", "I@2026-06-02T02:00", "I@2026-06-03T02:00", "F@2026-06-04T02:00",
                "I@2026-06-05T02:00");
        // backups stopped on June 5th; whatever the date today, the last three days with backups are kept
        assertThat(Retention.keep(all, 3, 0)).containsExactlyInAnyOrder("I2026-06-05T02:00", "F2026-06-04T02:00", "I2026-06-03T02:00",
                "I2026-06-02T02:00", "F2026-06-01T02:00");
    }

    @Test
    void weeklyUsesIsoWeeksAcrossTheYearEnd() {
        // 2026-12-28 is the Monday of ISO week 53 of 2026, which runs to Sunday 2027-01-03; 2027-01-04 starts week 1
        List<Retention.Backup> all = timeline("F@2026-12-20T02:00", "F@2026-12-27T02:00", "F@2026-12-28T02:00", "F@2027-01-03T23:59",
                "F@2027-01-04T00:00", "F@2027-01-05T02:00");
        assertThat(Retention.keep(all, 0, 2)).containsExactlyInAnyOrder("F2027-01-05T02:00", "F2027-01-03T23:59");
        assertThat(Retention.keep(all, 0, 3)).containsExactlyInAnyOrder("F2027-01-05T02:00", "F2027-01-03T23:59", "F2026-12-27T02:00");
    }

    @Test
    void dailyAndWeeklyTogetherKeepTheUnion() {
        List<Retention.Backup> all = timeline("F@2026-10-05T02:00", "I@2026-10-06T02:00", "F@2026-10-12T02:00", "I@2026-10-13T02:00",
                "F@2026-10-19T02:00", "I@2026-10-20T02:00", "I@2026-10-21T02:00");
        assertThat(Retention.keep(all, 1, 2)).containsExactlyInAnyOrder(
                // daily: 10-21, with its chain
                "I2026-10-21T02:00", "I2026-10-20T02:00", "F2026-10-19T02:00",
                // weekly: the week of 10-19 (the same backup) and the week of 10-12, whose newest needs its full
                "I2026-10-13T02:00", "F2026-10-12T02:00");
    }

    @Test
    void anIncrementalKeepsItsWholeChainHoweverOldAndTheNewestFullIsAlwaysKept() {
        List<Retention.Backup> all = new ArrayList<>(timeline("F@2025-01-01T02:00"));
        String parent = "F2025-01-01T02:00";
        for (int day = 2; day <= 28; day++) {
            String id = "I2025-02-" + (day < 10 ? "0" : "") + day;
            all.add(new Retention.Backup(id, parent, Instant.parse("2025-02-" + (day < 10 ? "0" : "") + day + "T02:00:00Z")));
            parent = id;
        }
        assertThat(Retention.keep(all, 1, 0)).hasSize(28).contains("F2025-01-01T02:00", "I2025-02-02", "I2025-02-28");
        List<Retention.Backup> withLaterFull = new ArrayList<>(all);
        withLaterFull.add(new Retention.Backup("F2025-03-01", null, Instant.parse("2025-03-01T02:00:00Z")));
        withLaterFull.add(new Retention.Backup("X2025-03-02", "F2025-03-01", Instant.parse("2025-03-02T02:00:00Z")));
        assertThat(Retention.keep(withLaterFull, 0, 1)).containsExactlyInAnyOrder("X2025-03-02", "F2025-03-01");
    }

    @Test
    void negativeCountsAreRefused() {
        assertThatThrownBy(() -> Retention.keep(List.of(), -1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be negative");
    }
}
