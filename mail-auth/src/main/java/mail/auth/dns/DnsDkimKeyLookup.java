package mail.auth.dns;

import mail.message.dkim.DkimKeyLookup;

/** DKIM key records ({@code selector._domainkey.domain} TXT) through a {@link DnsResolver}. */
public final class DnsDkimKeyLookup implements DkimKeyLookup {
    private final DnsResolver dns;

    public DnsDkimKeyLookup(DnsResolver dns) {
        this.dns = dns;
    }

    @Override
    public Answer lookup(String selector, String domain) {
        try {
            var txt = dns.txt(selector + "._domainkey." + domain);
            return txt.isEmpty() ? new NotFound() : new Records(txt);
        } catch (DnsTemporaryException e) {
            return new TemporaryFailure(e.getMessage());
        }
    }
}
