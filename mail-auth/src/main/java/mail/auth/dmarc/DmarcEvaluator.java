package mail.auth.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import mail.auth.dmarc.DmarcRecord.Policy;
import mail.auth.dns.DnsResolver;
import mail.auth.dns.DnsTemporaryException;

/**
 * RFC 7489 evaluation: the policy record of the RFC5322.From domain (or of its organisational domain), then a pass
 * when an SPF pass or a DKIM pass is aligned with the From domain. Blocks on DNS; run it off any event loop.
 */
public final class DmarcEvaluator {
    private final DnsResolver dns;
    private final IntSupplier percentile;

    /** @param percentile a number in 0..99 per call, for pct= sampling (random in production, fixed in tests) */
    public DmarcEvaluator(DnsResolver dns, IntSupplier percentile) {
        this.dns = dns;
        this.percentile = percentile;
    }

    /**
     * @param fromDomain   the domain of the single From address; null when the message has none or several (then the
     *                     answer is permerror, as RFC 7489 §6.6.1 leaves such messages to local policy)
     * @param spfPassDomain the MAIL FROM (or HELO) domain when SPF passed, else null
     * @param dkimPassDomains the d= of every DKIM signature that passed
     */
    public DmarcResult evaluate(String fromDomain, String spfPassDomain, List<String> dkimPassDomains) {
        if (fromDomain == null || fromDomain.isBlank()) {
            return new DmarcResult(DmarcResult.Status.PERMERROR, null, null, null, "no single From domain");
        }
        String from = fromDomain.toLowerCase(Locale.ROOT);
        String org = OrganizationalDomain.of(from);
        DmarcRecord record;
        boolean inherited = false;
        try {
            record = lookup(from);
            if (record == null && !org.equals(from)) {
                record = lookup(org);
                inherited = true;
            }
        } catch (DnsTemporaryException e) {
            return new DmarcResult(DmarcResult.Status.TEMPERROR, from, null, null, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new DmarcResult(DmarcResult.Status.PERMERROR, from, null, null, e.getMessage());
        }
        if (record == null) {
            return new DmarcResult(DmarcResult.Status.NONE, from, null, null, "no DMARC record");
        }
        Policy policy = inherited ? record.subdomainPolicy() : record.policy();
        boolean spfAligned = spfPassDomain != null && OrganizationalDomain.aligned(spfPassDomain, from, record.strictSpf());
        boolean dkimAligned = false;
        for (String d : dkimPassDomains) {
            dkimAligned |= OrganizationalDomain.aligned(d, from, record.strictDkim());
        }
        if (spfAligned || dkimAligned) {
            return new DmarcResult(DmarcResult.Status.PASS, from, policy, Policy.NONE,
                    (dkimAligned ? "aligned DKIM" : "") + (dkimAligned && spfAligned ? " and " : "") + (spfAligned ? "aligned SPF" : ""));
        }
        Policy disposition = policy;
        if (record.percent() < 100 && percentile.getAsInt() >= record.percent()) {
            // RFC 7489 §6.6.4: outside the sampled percentage the next weaker policy applies
            disposition = policy == Policy.REJECT ? Policy.QUARANTINE : Policy.NONE;
        }
        return new DmarcResult(DmarcResult.Status.FAIL, from, policy, disposition, "neither SPF nor DKIM aligned with " + from);
    }

    /** The record at {@code _dmarc.<domain>}; several records mean none (RFC 7489 §6.6.3). */
    private DmarcRecord lookup(String domain) {
        List<String> records = new ArrayList<>();
        for (String txt : dns.txt("_dmarc." + domain)) {
            String t = txt.trim();
            if (t.startsWith("v=DMARC1")) {
                records.add(t);
            }
        }
        return records.size() == 1 ? DmarcRecord.parse(records.get(0)) : null;
    }
}
