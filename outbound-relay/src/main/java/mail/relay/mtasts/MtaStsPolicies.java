package mail.relay.mtasts;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import mail.relay.mtasts.MtaStsPolicy.InvalidPolicy;
import mail.relay.route.DnsLookup;
import org.jboss.logging.Logger;

/**
 * Discovery and caching of MTA-STS policies (RFC 8461 §3 and §5.1). The TXT record is asked on every route (the DNS
 * client caches it); the policy is fetched only when its id changes. A cached policy stays in force until its
 * max_age passes even when the TXT record disappears or the policy server cannot be reached: otherwise whoever can
 * block DNS or HTTPS could switch the protection off (§10.2). A failed fetch is not repeated for the same id for a
 * while, so a domain with a broken policy server does not cost one HTTPS round trip per message.
 */
public final class MtaStsPolicies {
    private static final Logger LOG = Logger.getLogger(MtaStsPolicies.class);
    static final Duration FAILED_FETCH_PAUSE = Duration.ofMinutes(5);

    private final DnsLookup dns;
    private final PolicyFetcher fetcher;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, FailedFetch> failures = new ConcurrentHashMap<>();

    private record Cached(String id, MtaStsPolicy policy, Instant expiresAt) {
    }

    private record FailedFetch(String id, Instant retryAfter) {
    }

    /** What a lookup found, for the log and the metrics. */
    public enum Source { NONE, CACHED, FETCHED, CACHED_AFTER_FAILURE }

    public record Lookup(Optional<MtaStsPolicy> policy, Source source) {
    }

    public MtaStsPolicies(DnsLookup dns, PolicyFetcher fetcher, Clock clock) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    public Lookup lookup(String domain) {
        Instant now = clock.instant();
        Cached cached = cache.get(domain);
        if (cached != null && !now.isBefore(cached.expiresAt())) {
            cache.remove(domain, cached);
            cached = null;
        }
        Optional<StsRecord> record;
        try {
            record = StsRecord.select(dns.txt("_mta-sts." + domain));
        } catch (DnsLookup.DnsFailure e) {
            return keep(cached);
        }
        if (record.isEmpty()) {
            return keep(cached);
        }
        String id = record.get().id();
        if (cached != null && cached.id().equals(id)) {
            return new Lookup(Optional.of(cached.policy()), Source.CACHED);
        }
        FailedFetch failed = failures.get(domain);
        if (failed != null && failed.id().equals(id) && now.isBefore(failed.retryAfter())) {
            return afterFailure(cached);
        }
        try {
            MtaStsPolicy policy = MtaStsPolicy.parse(fetcher.fetch(domain));
            cache.put(domain, new Cached(id, policy, now.plus(policy.maxAge())));
            failures.remove(domain);
            LOG.infof("MTA-STS policy of %s (id %s): %s, mx %s, max_age %ss", domain, id, policy.mode().name().toLowerCase(),
                    policy.mx(), policy.maxAge().toSeconds());
            return new Lookup(Optional.of(policy), Source.FETCHED);
        } catch (IOException | InvalidPolicy e) {
            LOG.warnf("MTA-STS policy of %s (id %s) not usable: %s%s", domain, id, e.getMessage(),
                    cached == null ? "" : "; the cached policy stays in force");
            failures.put(domain, new FailedFetch(id, now.plus(FAILED_FETCH_PAUSE)));
            return afterFailure(cached);
        }
    }

    private static Lookup keep(Cached cached) {
        return cached == null ? new Lookup(Optional.empty(), Source.NONE) : new Lookup(Optional.of(cached.policy()), Source.CACHED);
    }

    private static Lookup afterFailure(Cached cached) {
        return cached == null ? new Lookup(Optional.empty(), Source.NONE)
                : new Lookup(Optional.of(cached.policy()), Source.CACHED_AFTER_FAILURE);
    }
}
