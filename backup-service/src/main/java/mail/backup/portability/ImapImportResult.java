package mail.backup.portability;

import java.util.List;

/**
 * What an IMAP import did.
 *
 * @param folders         each remote folder and the mailbox it went into ({@code "Sent Items -> Sent"})
 * @param alreadyImported messages an earlier run imported (same source folder, UIDVALIDITY and UID): not downloaded again
 * @param duplicates      messages downloaded and found already there by content (same folder, content and occurrence)
 * @param rejected        messages not imported and why (over the size limit, empty); at most 100 are listed
 */
public record ImapImportResult(String account, String source, List<String> folders, List<String> mailboxesCreated, long imported,
                               long alreadyImported, long duplicates, long bytes, List<String> rejected, long rejectedCount,
                               List<String> warnings, long millis) {
}
