package mail.smtp.abuse;

import mail.core.abuse.SharedRateLimits;

/**
 * What sessions check clients against: shared rate limits and, on the MX, DNS blocklists.
 *
 * @param dnsbl null when no zone is configured
 */
public record AbuseProtection(SharedRateLimits limits, RateLimitPolicy policy, Dnsbl dnsbl, AbuseMetrics metrics) {
}
