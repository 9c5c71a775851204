package mail.auth.spf;

import java.util.Locale;

/**
 * The outcome of an SPF check (RFC 7208 §2.6) and why.
 *
 * @param mechanism the directive that matched ({@code -all}, {@code ip4:192.0.2.0/24}, ...), null when none did
 * @param reason    a short text for logs and the Authentication-Results comment
 */
public record SpfResult(Status status, String domain, String mechanism, String reason) {

    public enum Status {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static SpfResult of(Status status, String domain, String reason) {
        return new SpfResult(status, domain, null, reason);
    }
}
