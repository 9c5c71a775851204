package mail.backup.archive;

/** A backup that cannot be trusted: a checksum mismatch, a missing file, an unknown format, a forbidden name. */
public final class BackupFormatException extends RuntimeException {
    public BackupFormatException(String message) {
        super(message);
    }

    public BackupFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
