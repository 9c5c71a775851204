package mail.backup.portability;

/** What an export wrote; {@code path} is the directory the admin named (relative to the exchange directory). */
public record ExportResult(String account, String format, String path, int mailboxes, long messages, long bytes,
                           long millis) {
}
