package mail.store;

/** What STATUS and SELECT report besides UIDNEXT/UIDVALIDITY/HIGHESTMODSEQ; sizes in octets. */
public record MailboxCounts(long messages, long unseen, long size) {
}
