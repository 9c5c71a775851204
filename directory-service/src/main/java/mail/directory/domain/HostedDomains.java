package mail.directory.domain;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import mail.directory.adapter.mongo.DomainStore;
import mail.directory.domain.DomainRecord;

/**
 * Which domains are hosted, for validating addresses. Domains change rarely and are read on every address write, so
 * a hit is trusted for a short time; a miss always asks MongoDB, so a domain created by another copy is never
 * refused. This copy's own domain changes update the cache directly.
 */
@ApplicationScoped
public class HostedDomains {
    private static final Duration TTL = Duration.ofSeconds(10);

    private final DomainStore store;
    private final Clock clock = Clock.systemUTC();
    private Map<String, String> primaryOf = Map.of();
    private Instant loadedAt = Instant.EPOCH;

    public HostedDomains(DomainStore store) {
        this.store = store;
    }

    /** The primary domain hosting {@code asciiDomain} (itself or the domain it is an alias of). */
    public synchronized Optional<String> primaryOf(String asciiDomain) {
        if (clock.instant().isBefore(loadedAt.plus(TTL)) && primaryOf.containsKey(asciiDomain)) {
            return Optional.of(primaryOf.get(asciiDomain));
        }
        reload();
        return Optional.ofNullable(primaryOf.get(asciiDomain));
    }

    public synchronized void invalidate() {
        loadedAt = Instant.EPOCH;
    }

    private void reload() {
        Map<String, String> m = new HashMap<>();
        for (DomainRecord d : store.primaries()) {
            m.put(d.name(), d.name());
            d.aliasDomains().forEach(a -> m.put(a, d.name()));
        }
        primaryOf = m;
        loadedAt = clock.instant();
    }
}
