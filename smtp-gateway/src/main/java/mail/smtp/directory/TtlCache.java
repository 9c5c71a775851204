package mail.smtp.directory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small cache of lookup answers, each kept for the time its kind allows (positive answers longer than negative
 * ones, so a just-created address is not refused for long). Bounded crudely: when full it starts over, which is
 * fine for a cache that only bridges the minutes until the directory cache has loaded.
 */
final class TtlCache<K, V> {
    private final InstantSource clock;
    private final int maxEntries;
    private final Map<K, Held<V>> entries = new ConcurrentHashMap<>();

    private record Held<V>(V value, Instant until) {
    }

    TtlCache(InstantSource clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    V get(K key) {
        Held<V> h = entries.get(key);
        if (h == null) {
            return null;
        }
        if (!clock.instant().isBefore(h.until())) {
            entries.remove(key, h);
            return null;
        }
        return h.value();
    }

    void put(K key, V value, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative() || maxEntries <= 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Held<>(value, clock.instant().plus(ttl)));
    }

    int size() {
        return entries.size();
    }
}
