package mail.auth.dmarc;

import com.google.common.net.InternetDomainName;
import java.util.Locale;

/**
 * RFC 7489 §3.2: the organisational domain is the public suffix plus one label, from the Public Suffix List as Guava
 * ships and maintains it (ICANN and private sections, as DMARC implementations use it).
 */
public final class OrganizationalDomain {
    private OrganizationalDomain() {
    }

    public static String of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            return d;
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a name the list knows how to split: the domain stands for itself
            return d;
        }
    }

    /** Relaxed alignment: the same organisational domain; strict: the same name. */
    public static boolean aligned(String a, String b, boolean strict) {
        if (a == null || b == null) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return strict ? x.equals(y) : of(x).equals(of(y));
    }
}
