package mail.backup.portability;

import java.util.List;

/**
 * What an import did.
 *
 * @param duplicates messages found already imported by an earlier run (same folder, same content, same occurrence)
 * @param rejected   messages not imported and why (empty, over the size limit); at most 100 are listed
 * @param warnings   things in the source that were not messages and were left alone; at most 100 are listed
 */
public record ImportResult(String account, String format, String path, List<String> mailboxesCreated, long imported,
                           long duplicates, long bytes, List<String> rejected, long rejectedCount, List<String> warnings,
                           long millis) {
}
