package mail.backup.restore;

/**
 * @param account  for ACCOUNT and MAILBOX: an address, or the account id the mailboxes are stored under
 * @param mailbox  for MAILBOX: the full UTF-8 name
 * @param force    allow a full restore into a platform that is not empty (or resume one that stopped half way);
 *                 even then a document that exists is kept, never overwritten, since it may be newer than the backup
 */
public record RestoreRequest(String backupId, Scope scope, String account, String mailbox, boolean force) {
    public enum Scope { FULL, ACCOUNT, MAILBOX }
}
