package mail.core.dsn;

import mail.core.event.DsnNotify;
import mail.core.event.Recipient;

/**
 * One recipient line of a DSN (RFC 3464 §2.3).
 *
 * @param recipient      the envelope recipient (its ORCPT goes into Original-Recipient)
 * @param finalRecipient the address the status is about
 * @param action         {@code failed}, {@code delayed} or {@code delivered}
 * @param status         RFC 3463 code, e.g. 5.2.2
 * @param diagnostic     an SMTP-style reply, e.g. {@code 552 5.2.2 mailbox full}; null for successes
 */
public record DsnReport(Recipient recipient, String finalRecipient, String action, String status, String diagnostic) {

    public boolean failed() {
        return "failed".equals(action);
    }

    public boolean delayed() {
        return "delayed".equals(action);
    }

    /**
     * RFC 3461 §4.1: whether the sender asked for this report. No NOTIFY means failures (and, as most MTAs do,
     * delays) only; NEVER means none.
     */
    public boolean requested() {
        var notify = recipient.notifyOn();
        if (notify.contains(DsnNotify.NEVER)) {
            return false;
        }
        if (failed()) {
            return notify.isEmpty() || notify.contains(DsnNotify.FAILURE);
        }
        if (delayed()) {
            return notify.isEmpty() || notify.contains(DsnNotify.DELAY);
        }
        return notify.contains(DsnNotify.SUCCESS);
    }
}
