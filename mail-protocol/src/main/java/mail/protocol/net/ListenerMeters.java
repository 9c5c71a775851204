package mail.protocol.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections of one listener: {@code mail_connections_current{protocol,listener}} (admitted and still open) and
 * {@code mail_connections_total{protocol,listener,outcome}} with outcome accepted, over_limit, denied or draining.
 */
final class ListenerMeters {
    static final String ACCEPTED = "accepted";
    static final String OVER_LIMIT = "over_limit";
    static final String DENIED = "denied";
    static final String DRAINING = "draining";

    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Counter> outcomes;

    ListenerMeters(MeterRegistry registry, String protocol, String listener) {
        if (registry == null) {
            outcomes = Map.of();
            return;
        }
        // a registry keeps the first gauge of a name and tags, and only weakly: a listener started again in the same
        // registry (a restarted server, several apps in one test JVM) would otherwise report a collected counter (NaN)
        registry.find("mail.connections.current").tag("protocol", protocol).tag("listener", listener).meters()
                .forEach(registry::remove);
        Gauge.builder("mail.connections.current", open, AtomicInteger::get).description("Connections open now, per listener")
                .tag("protocol", protocol).tag("listener", listener).strongReference(true).register(registry);
        outcomes = Map.of(ACCEPTED, counter(registry, protocol, listener, ACCEPTED),
                OVER_LIMIT, counter(registry, protocol, listener, OVER_LIMIT),
                DENIED, counter(registry, protocol, listener, DENIED),
                DRAINING, counter(registry, protocol, listener, DRAINING));
    }

    private static Counter counter(MeterRegistry registry, String protocol, String listener, String outcome) {
        return Counter.builder("mail.connections").description("Connections received, per listener and what became of them")
                .tag("protocol", protocol).tag("listener", listener).tag("outcome", outcome).register(registry);
    }

    void connection(String outcome) {
        Counter c = outcomes.get(outcome);
        if (c != null) {
            c.increment();
        }
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }
}
