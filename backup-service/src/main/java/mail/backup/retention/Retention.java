package mail.backup.retention;

import java.time.Instant;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which backups a retention policy keeps: the newest backup of each of the last {@code daily} days that have a
 * backup and of each of the last {@code weekly} ISO weeks that have one (UTC), always the newest full backup, and
 * every backup a kept one builds on (its whole incremental chain). Days and weeks without a backup do not count (as
 * restic's --keep-daily): when backups stop for a while, retention never eats the last good ones. A policy of 0 days
 * and 0 weeks keeps everything: retention is off.
 */
public final class Retention {

    /** @param parentId null for a full backup */
    public record Backup(String id, String parentId, Instant createdAt) {
    }

    private Retention() {
    }

    public static boolean enabled(int daily, int weekly) {
        return daily > 0 || weekly > 0;
    }

    public static Set<String> keep(List<Backup> backups, int daily, int weekly) {
        if (daily < 0 || weekly < 0) {
            throw new IllegalArgumentException("retention counts cannot be negative: daily " + daily + ", weekly " + weekly);
        }
        Set<String> keep = new LinkedHashSet<>();
        if (!enabled(daily, weekly)) {
            backups.forEach(b -> keep.add(b.id()));
            return keep;
        }
        List<Backup> newestFirst = backups.stream()
                .sorted(Comparator.comparing(Backup::createdAt).thenComparing(Backup::id).reversed()).toList();
        Set<LocalDate> days = new java.util.HashSet<>();
        Set<LocalDate> weeks = new java.util.HashSet<>();
        boolean fullTaken = false;
        for (Backup b : newestFirst) {
            LocalDate day = LocalDate.ofInstant(b.createdAt(), ZoneOffset.UTC);
            if (days.size() < daily && days.add(day)) {
                keep.add(b.id());
            }
            LocalDate week = day.with(DayOfWeek.MONDAY);
            if (weeks.size() < weekly && weeks.add(week)) {
                keep.add(b.id());
            }
            if (b.parentId() == null && !fullTaken) {
                fullTaken = true;
                keep.add(b.id());
            }
        }
        // a kept incremental needs every backup below it
        Map<String, Backup> byId = new HashMap<>();
        backups.forEach(b -> byId.put(b.id(), b));
        for (String id : List.copyOf(keep)) {
            Backup b = byId.get(id);
            int guard = 0;
            while (b != null && b.parentId() != null && guard++ < backups.size()) {
                keep.add(b.parentId());
                b = byId.get(b.parentId());
            }
        }
        return keep;
    }
}
