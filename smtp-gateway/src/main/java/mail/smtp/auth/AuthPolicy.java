package mail.smtp.auth;

import java.util.List;
import mail.auth.dmarc.DmarcRecord.Policy;
import mail.auth.dmarc.DmarcResult;
import mail.auth.spf.SpfResult;
import mail.message.dkim.DkimResult;

/**
 * What the MX does with a message once SPF, DKIM and DMARC have answered: accept it (perhaps for the Junk mailbox),
 * refuse it for good, or ask the sender to come back because a DNS answer the decision depends on is missing.
 * Pure logic over the results, so every combination is tested without DNS.
 *
 * @param dmarcReject     honour a DMARC p=reject with {@code 550 5.7.1}
 * @param dmarcQuarantine honour a DMARC p=quarantine by filing into Junk
 * @param spfFail         what an SPF fail of the MAIL FROM identity does when DMARC did not pass
 * @param spfSoftfail     the same for softfail (REJECT is not allowed: softfail means "probably not", not "no")
 * @param temperror       DEFER answers {@code 451 4.7.x} when a missing result could change the decision; ACCEPT
 *                        takes the message as if the missing check had passed
 */
public record AuthPolicy(boolean dmarcReject, boolean dmarcQuarantine, SpfAction spfFail, SpfAction spfSoftfail,
                         TempErrorAction temperror) {

    public enum SpfAction { ACCEPT, JUNK, REJECT }

    public enum TempErrorAction { DEFER, ACCEPT }

    public AuthPolicy {
        if (spfSoftfail == SpfAction.REJECT) {
            throw new IllegalArgumentException("an SPF softfail cannot be rejected; use accept or junk");
        }
    }

    /** The decision. {@code reply*} texts are for the SMTP reply; {@code junkReason} goes into the event. */
    public sealed interface Decision permits Accept, Reject, Defer {
    }

    /** @param junkReason null: the inbox */
    public record Accept(String junkReason) implements Decision {
    }

    public record Reject(String enhancedCode, String text) implements Decision {
    }

    public record Defer(String enhancedCode, String text) implements Decision {
    }

    /**
     * @param spf   the MAIL FROM identity's result
     * @param dkim  every signature's result
     * @param dmarc the DMARC result, computed with only the DKIM passes that count (see {@link SenderChecks})
     */
    public Decision decide(SpfResult spf, List<DkimResult> dkim, DmarcResult dmarc) {
        boolean dkimTemp = dkim.stream().anyMatch(r -> r.status() == DkimResult.Status.TEMPERROR);
        boolean spfTemp = spf.status() == SpfResult.Status.TEMPERROR;
        boolean defer = temperror == TempErrorAction.DEFER;
        boolean enforcing = dmarcReject || dmarcQuarantine;
        String from = dmarc.fromDomain();

        if (dmarc.status() == DmarcResult.Status.TEMPERROR && enforcing && defer) {
            return new Defer("4.7.0", "DMARC policy of " + from + " could not be looked up (DNS), try again later");
        }
        if (dmarc.status() == DmarcResult.Status.FAIL) {
            Policy disposition = dmarc.disposition();
            boolean acted = (disposition == Policy.REJECT && dmarcReject) || (disposition == Policy.QUARANTINE && dmarcQuarantine)
                    || (disposition == Policy.REJECT && dmarcQuarantine);
            if (acted && (spfTemp || dkimTemp) && defer) {
                // a result we could not get might have been the aligned pass
                return new Defer(spfTemp ? "4.7.24" : "4.7.0",
                        "Sender authentication of " + from + " incomplete (DNS), try again later");
            }
            if (disposition == Policy.REJECT && dmarcReject) {
                return new Reject("5.7.1", "Message rejected: DMARC policy of " + from + " (p=reject)");
            }
            if (disposition == Policy.REJECT && dmarcQuarantine) {
                // the reject is not honoured here, but the owner clearly does not want this mail in an inbox
                return new Accept("DMARC p=reject of " + from + " (not enforced as a rejection)");
            }
            if (disposition == Policy.QUARANTINE && dmarcQuarantine) {
                return new Accept("DMARC p=quarantine of " + from);
            }
        }
        if (dmarc.status() == DmarcResult.Status.PASS) {
            return new Accept(null);
        }
        SpfAction action = spf.status() == SpfResult.Status.FAIL ? spfFail
                : spf.status() == SpfResult.Status.SOFTFAIL ? spfSoftfail : SpfAction.ACCEPT;
        if (spfTemp && defer && (spfFail != SpfAction.ACCEPT)) {
            return new Defer("4.7.24", "SPF check of " + spf.domain() + " failed temporarily (DNS), try again later");
        }
        if (action == SpfAction.REJECT) {
            return new Reject("5.7.23", "SPF check failed: " + spf.domain() + " does not allow this host to send for it");
        }
        if (action == SpfAction.JUNK) {
            return new Accept("SPF " + spf.status().token() + " of " + spf.domain());
        }
        return new Accept(null);
    }
}
