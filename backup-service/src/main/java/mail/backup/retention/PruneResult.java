package mail.backup.retention;

import java.util.List;

/**
 * What a prune kept and deleted (or, with dryRun, would delete).
 *
 * @param unreadable backups whose manifest could not be read: never deleted, listed so that someone looks at them
 */
public record PruneResult(boolean dryRun, int daily, int weekly, List<String> kept, List<String> deleted, long blobsDeleted,
                          long filesDeleted, List<String> unreadable) {
}
