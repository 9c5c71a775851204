package mail.directory.account;

import java.time.Instant;

/** An account as the admin API shows it; usage is read from the mailbox store (0 before any delivery). */
public record AccountView(String address, String accountId, String displayName, long quotaBytes, Long quotaMessages,
                          boolean enabled, boolean saveSentCopy, Usage usage, long revision, Instant createdAt) {

    public record Usage(long bytes, long messages) {
    }
}
