package mail.delivery.resolve;

import java.util.List;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.Recipient;

/**
 * What to do with one received message: each local account once, remote recipients grouped per domain, and the
 * envelope recipients that cannot be delivered with their RFC 3463 status.
 *
 * @param sentCopyFor the authenticated submitter's account when its setting asks for a copy in its Sent mailbox, else
 *                    null
 */
public record DeliveryPlan(List<LocalTarget> local, List<RemoteBatch> remote, List<Failure> failures,
                           Account sentCopyFor) {

    public DeliveryPlan {
        local = List.copyOf(local);
        remote = List.copyOf(remote);
        failures = List.copyOf(failures);
    }

    /** @param via the envelope recipients whose expansion reached this account (for DSNs), first one first */
    public record LocalTarget(Account account, List<Recipient> via) {
        public LocalTarget {
            via = List.copyOf(via);
        }
    }

    /**
     * @param originatingAccount the authenticated submitter's account for envelope recipients of a submission,
     *                           null for addresses reached by forwarding (aliases and groups with remote targets)
     */
    public record RemoteBatch(String domain, String originatingAccount, List<Recipient> recipients) {
        public RemoteBatch {
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * @param finalRecipient the address that failed: the envelope recipient, or the account it led to
     * @param status         RFC 3463 enhanced status code, e.g. 5.1.1
     * @param reason         a short metric tag: unknown, disabled, quota, relay, loop, invalid
     */
    public record Failure(Recipient recipient, String finalRecipient, String status, String diagnostic, String reason) {
    }
}
