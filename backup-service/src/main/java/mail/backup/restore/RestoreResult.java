package mail.backup.restore;

import java.util.List;

/**
 * @param inserted  documents written because they were missing
 * @param skipped   documents left alone because they exist (a repeated or resumed restore)
 * @param restoredInto mailboxes restored under a new name because one of the old name exists
 */
public record RestoreResult(String backupId, RestoreRequest.Scope scope, long inserted, long skipped,
                            long messages, long blobsRestored, long usersCreated, List<String> restoredInto, List<String> warnings,
                            long millis) {
}
