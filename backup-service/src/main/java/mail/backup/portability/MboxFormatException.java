package mail.backup.portability;

/** A source an import cannot read as it claims to be (mbox without From_ lines, truncated, unreadable dates). */
public final class MboxFormatException extends RuntimeException {
    public MboxFormatException(String message) {
        super(message);
    }
}
