package mail.smtp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import mail.auth.dmarc.DmarcRecord.Policy;
import mail.auth.dmarc.DmarcResult;
import mail.auth.spf.SpfResult;
import mail.smtp.auth.AuthPolicy.Accept;
import mail.smtp.auth.AuthPolicy.Defer;
import mail.smtp.auth.AuthPolicy.Reject;
import mail.smtp.auth.AuthPolicy.SpfAction;
import mail.smtp.auth.AuthPolicy.TempErrorAction;
import mail.message.dkim.DkimResult;
import org.junit.jupiter.api.Test;

/** Every branch of the MX's decision, over results made by hand (no DNS). */
class AuthPolicyTest {
    private static final AuthPolicy DEFAULTS = new AuthPolicy(true, true, SpfAction.JUNK, SpfAction.ACCEPT, TempErrorAction.DEFER);

    private static SpfResult spf(SpfResult.Status s) {
        return new SpfResult(s, "sender.example.com", null, "test");
    }

    private static DkimResult dkim(DkimResult.Status s) {
        return new DkimResult(s, null, "example.com", "sel", "rsa-sha256", "@example.com", 2048, false, -1, 0, "abcdefgh");
    }

    private static DmarcResult dmarc(DmarcResult.Status s, Policy policy, Policy disposition) {
        return new DmarcResult(s, "example.com", policy, disposition, "test");
    }

    private static DmarcResult none() {
        return new DmarcResult(DmarcResult.Status.NONE, "example.com", null, null, "no record");
    }

    @Test
    void dmarcRejectIsRefusedQuarantineGoesToJunkAndNoneIsDelivered() {
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.NONE), List.of(), dmarc(DmarcResult.Status.FAIL, Policy.REJECT, Policy.REJECT)))
                .isEqualTo(new Reject("5.7.1", "Message rejected: DMARC policy of example.com (p=reject)"));
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.NONE), List.of(), dmarc(DmarcResult.Status.FAIL, Policy.QUARANTINE, Policy.QUARANTINE)))
                .isEqualTo(new Accept("DMARC p=quarantine of example.com"));
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.NONE), List.of(), dmarc(DmarcResult.Status.FAIL, Policy.NONE, Policy.NONE)))
                .isEqualTo(new Accept(null));
        // pct= sampled the reject down to quarantine
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.NONE), List.of(), dmarc(DmarcResult.Status.FAIL, Policy.REJECT, Policy.QUARANTINE)))
                .isEqualTo(new Accept("DMARC p=quarantine of example.com"));
    }

    @Test
    void aDmarcPassWinsOverAnSpfFail() {
        AuthPolicy rejecting = new AuthPolicy(true, true, SpfAction.REJECT, SpfAction.JUNK, TempErrorAction.DEFER);
        assertThat(rejecting.decide(spf(SpfResult.Status.FAIL), List.of(dkim(DkimResult.Status.PASS)),
                dmarc(DmarcResult.Status.PASS, Policy.REJECT, Policy.NONE))).isEqualTo(new Accept(null));
    }

    @Test
    void spfFailAndSoftfailFollowTheirSettingsWhenDmarcDidNotPass() {
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.FAIL), List.of(), none()))
                .isEqualTo(new Accept("SPF fail of sender.example.com"));
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.SOFTFAIL), List.of(), none())).isEqualTo(new Accept(null));
        AuthPolicy strict = new AuthPolicy(true, true, SpfAction.REJECT, SpfAction.JUNK, TempErrorAction.DEFER);
        assertThat(strict.decide(spf(SpfResult.Status.FAIL), List.of(), none())).isInstanceOf(Reject.class)
                .extracting(d -> ((Reject) d).enhancedCode()).isEqualTo("5.7.23");
        assertThat(strict.decide(spf(SpfResult.Status.SOFTFAIL), List.of(), none()))
                .isEqualTo(new Accept("SPF softfail of sender.example.com"));
        AuthPolicy lax = new AuthPolicy(true, true, SpfAction.ACCEPT, SpfAction.ACCEPT, TempErrorAction.DEFER);
        assertThat(lax.decide(spf(SpfResult.Status.FAIL), List.of(), none())).isEqualTo(new Accept(null));
    }

    @Test
    void aTemporaryFailureDefersOnlyWhereTheDecisionNeedsTheAnswer() {
        DmarcResult dnsDown = new DmarcResult(DmarcResult.Status.TEMPERROR, "example.com", null, null, "timeout");
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.PASS), List.of(), dnsDown)).isInstanceOf(Defer.class)
                .extracting(d -> ((Defer) d).enhancedCode()).isEqualTo("4.7.0");
        // p=reject failed, but the DKIM key could not be fetched: it might have been the aligned pass
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.NONE), List.of(dkim(DkimResult.Status.TEMPERROR)),
                dmarc(DmarcResult.Status.FAIL, Policy.REJECT, Policy.REJECT))).isInstanceOf(Defer.class);
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.TEMPERROR), List.of(),
                dmarc(DmarcResult.Status.FAIL, Policy.QUARANTINE, Policy.QUARANTINE))).isInstanceOf(Defer.class)
                .extracting(d -> ((Defer) d).enhancedCode()).isEqualTo("4.7.24");
        // SPF temperror matters while an SPF fail would be acted on
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.TEMPERROR), List.of(), none())).isInstanceOf(Defer.class);
        // ... and not when the policy does nothing with SPF and DMARC has no record
        AuthPolicy spfIgnored = new AuthPolicy(true, true, SpfAction.ACCEPT, SpfAction.ACCEPT, TempErrorAction.DEFER);
        assertThat(spfIgnored.decide(spf(SpfResult.Status.TEMPERROR), List.of(), none())).isEqualTo(new Accept(null));
        // p=none does not need the missing answer either
        assertThat(DEFAULTS.decide(spf(SpfResult.Status.NONE), List.of(dkim(DkimResult.Status.TEMPERROR)),
                dmarc(DmarcResult.Status.FAIL, Policy.NONE, Policy.NONE))).isEqualTo(new Accept(null));
    }

    @Test
    void temperrorAcceptTakesTheMessageAsIfTheMissingCheckHadPassed() {
        AuthPolicy accepting = new AuthPolicy(true, true, SpfAction.JUNK, SpfAction.ACCEPT, TempErrorAction.ACCEPT);
        DmarcResult dnsDown = new DmarcResult(DmarcResult.Status.TEMPERROR, "example.com", null, null, "timeout");
        assertThat(accepting.decide(spf(SpfResult.Status.TEMPERROR), List.of(), dnsDown)).isEqualTo(new Accept(null));
        assertThat(accepting.decide(spf(SpfResult.Status.NONE), List.of(dkim(DkimResult.Status.TEMPERROR)),
                dmarc(DmarcResult.Status.FAIL, Policy.REJECT, Policy.REJECT))).isInstanceOf(Reject.class);
    }

    @Test
    void withDmarcEnforcementOffNothingIsRefusedOrDeferredForDmarc() {
        AuthPolicy off = new AuthPolicy(false, false, SpfAction.ACCEPT, SpfAction.ACCEPT, TempErrorAction.DEFER);
        assertThat(off.decide(spf(SpfResult.Status.NONE), List.of(), dmarc(DmarcResult.Status.FAIL, Policy.REJECT, Policy.REJECT)))
                .isEqualTo(new Accept(null));
        assertThat(off.decide(spf(SpfResult.Status.NONE), List.of(),
                new DmarcResult(DmarcResult.Status.TEMPERROR, "example.com", null, null, "timeout"))).isEqualTo(new Accept(null));
        AuthPolicy quarantineOnly = new AuthPolicy(false, true, SpfAction.ACCEPT, SpfAction.ACCEPT, TempErrorAction.DEFER);
        assertThat(quarantineOnly.decide(spf(SpfResult.Status.NONE), List.of(), dmarc(DmarcResult.Status.FAIL, Policy.REJECT, Policy.REJECT)))
                .isInstanceOf(Accept.class).extracting(d -> ((Accept) d).junkReason()).asString().contains("p=reject");
    }

    @Test
    void aSoftfailCannotBeConfiguredToReject() {
        assertThatThrownBy(() -> new AuthPolicy(true, true, SpfAction.JUNK, SpfAction.REJECT, TempErrorAction.DEFER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("softfail");
    }
}
