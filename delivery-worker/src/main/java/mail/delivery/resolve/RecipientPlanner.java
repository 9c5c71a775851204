package mail.delivery.resolve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.core.directory.Directory;
import mail.core.directory.Resolution;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.MailReceived;
import mail.core.event.OriginalRecipient;
import mail.core.event.Recipient;
import mail.delivery.resolve.DeliveryPlan.Failure;
import mail.delivery.resolve.DeliveryPlan.LocalTarget;
import mail.delivery.resolve.DeliveryPlan.RemoteBatch;

/**
 * Turns the envelope of a received message into a {@link DeliveryPlan} with the directory as it is now. Pure: the
 * same event and directory always give the same plan, which is what lets a redelivered event reach the same
 * accounts and the same deterministic outbound ids.
 */
public final class RecipientPlanner {
    private final Directory directory;

    public RecipientPlanner(Directory directory) {
        this.directory = directory;
    }

    public DeliveryPlan plan(MailReceived event) {
        Map<String, Account> accounts = new LinkedHashMap<>();
        Map<String, List<Recipient>> via = new LinkedHashMap<>();
        Map<String, Map<String, Recipient>> remote = new LinkedHashMap<>();
        List<Failure> failures = new ArrayList<>();
        String submitter = submitterAccount(event);
        for (Recipient rcpt : event.envelope().recipients()) {
            EmailAddress address;
            try {
                address = EmailAddress.parse(rcpt.address());
            } catch (InvalidAddressException e) {
                failures.add(new Failure(rcpt, rcpt.address(), "5.1.3", "550 5.1.3 bad recipient address syntax", "invalid"));
                continue;
            }
            Resolution r = directory.resolve(address);
            if (r instanceof Resolution.Deliverable d) {
                for (Account a : d.accounts()) {
                    accounts.putIfAbsent(a.accountId(), a);
                    via.computeIfAbsent(a.accountId(), k -> new ArrayList<>()).add(rcpt);
                }
                for (String target : d.remoteTargets()) {
                    addRemote(remote, null, forwarded(rcpt, target));
                }
            } else if (r instanceof Resolution.NotLocal) {
                if (submitter != null) {
                    addRemote(remote, submitter, rcpt);
                } else {
                    failures.add(new Failure(rcpt, rcpt.address(), "5.7.1", "550 5.7.1 relaying denied", "relay"));
                }
            } else if (r instanceof Resolution.Unknown) {
                failures.add(new Failure(rcpt, rcpt.address(), "5.1.1", "550 5.1.1 no such user", "unknown"));
            } else if (r instanceof Resolution.Disabled) {
                failures.add(new Failure(rcpt, rcpt.address(), "5.2.1", "550 5.2.1 mailbox disabled", "disabled"));
            } else if (r instanceof Resolution.Unresolvable u) {
                failures.add(unresolvable(rcpt, u));
            }
        }
        List<LocalTarget> local = new ArrayList<>();
        accounts.forEach((id, a) -> local.add(new LocalTarget(a, via.get(id))));
        List<RemoteBatch> batches = new ArrayList<>();
        remote.forEach((key, rcpts) -> {
            int bar = key.indexOf('|');
            String orig = key.substring(bar + 1);
            batches.add(new RemoteBatch(key.substring(0, bar), orig.isEmpty() ? null : orig, new ArrayList<>(rcpts.values())));
        });
        return new DeliveryPlan(local, batches, failures, sentCopyFor(event));
    }

    // Only a submission has a sender whose account is known for certain: the gateway checked that the envelope sender
    // belongs to the authenticated account. A disabled account keeps nothing new.
    private Account sentCopyFor(MailReceived event) {
        String user = event.connection().authenticatedUser();
        if (user == null) {
            return null;
        }
        return directory.account(user).filter(a -> a.enabled() && a.savesSentCopy()).orElse(null);
    }

    // Only an authenticated submission may send to remote envelope recipients; the gateway enforces it at RCPT
    // time, this is the second line in case an event says otherwise.
    private String submitterAccount(MailReceived event) {
        String user = event.connection().authenticatedUser();
        if (user == null) {
            return null;
        }
        return directory.account(user).map(Account::accountId).orElse(user);
    }

    // RFC 3461 §5.2.1: a forwarded copy keeps the original's NOTIFY, and ORCPT names what the sender addressed.
    private static Recipient forwarded(Recipient original, String target) {
        OriginalRecipient orcpt = original.orcpt() != null ? original.orcpt() : OriginalRecipient.rfc822(original.address());
        return new Recipient(target, original.notifyOn(), orcpt);
    }

    private static void addRemote(Map<String, Map<String, Recipient>> remote, String originatingAccount, Recipient rcpt) {
        String key = rcpt.domain() + "|" + (originatingAccount == null ? "" : originatingAccount);
        remote.computeIfAbsent(key, k -> new LinkedHashMap<>()).putIfAbsent(rcpt.address().toLowerCase(Locale.ROOT), rcpt);
    }

    private static Failure unresolvable(Recipient rcpt, Resolution.Unresolvable u) {
        if (u.problem() == Resolution.Problem.TOO_DEEP) {
            return new Failure(rcpt, rcpt.address(), "5.4.6", "550 5.4.6 alias expansion too deep or looping", "loop");
        }
        if (u.problem() == Resolution.Problem.TOO_MANY_TARGETS) {
            return new Failure(rcpt, rcpt.address(), "5.5.3", "550 5.5.3 alias expansion has too many recipients", "expansion");
        }
        return new Failure(rcpt, rcpt.address(), "5.1.1", "550 5.1.1 address leads to no mailbox", "unknown");
    }
}
