package mail.smtp.directory;

/** Whether an authenticated account may use an address as its sender, whoever answered it. */
public enum SenderStatus {
    ALLOWED,
    REFUSED,
    /** Neither the local cache nor directory-service could answer. */
    UNAVAILABLE
}
