package mail.relay.route;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import mail.relay.mtasts.MtaSts;
import mail.relay.route.DnsLookup.DnsFailure;
import mail.relay.smtp.Destination;

/** Static routes first, then the smart host, then MX (with the domain's MTA-STS policy applied when enabled). */
public final class Router {
    private final Map<String, HostPort> routes;
    private final Optional<HostPort> smartHost;
    private final Optional<Destination.Credentials> smartHostCredentials;
    private final boolean smartHostRequireTls;
    private final Set<String> requireTls;
    private final MxSelector mx;
    private final Optional<MtaSts> mtaSts;

    public Router(Map<String, String> routes, Optional<String> smartHost, Optional<Destination.Credentials> credentials,
                  boolean smartHostRequireTls, List<String> requireTlsDomains, MxSelector mx) {
        this(routes, smartHost, credentials, smartHostRequireTls, requireTlsDomains, mx, Optional.empty());
    }

    public Router(Map<String, String> routes, Optional<String> smartHost, Optional<Destination.Credentials> credentials,
                  boolean smartHostRequireTls, List<String> requireTlsDomains, MxSelector mx, Optional<MtaSts> mtaSts) {
        this.routes = routes.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT).replace("\"", ""), e -> HostPort.parse(e.getValue(), "mail.relay.routes." + e.getKey())));
        this.smartHost = smartHost.map(s -> HostPort.parse(s, "mail.relay.smart-host.address"));
        this.smartHostCredentials = credentials;
        // credentials never go over an unverified connection
        this.smartHostRequireTls = smartHostRequireTls || credentials.isPresent();
        this.requireTls = requireTlsDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.mx = mx;
        this.mtaSts = mtaSts;
    }

    public Route route(String domain) throws DnsFailure {
        String d = domain.toLowerCase(Locale.ROOT);
        boolean tls = requireTls.contains(d);
        HostPort fixed = routes.get(d);
        if (fixed != null) {
            return new Route.Hosts(List.of(new Destination(fixed.host(), fixed.host(), fixed.port(), tls, Optional.empty())));
        }
        if (smartHost.isPresent()) {
            HostPort s = smartHost.get();
            return new Route.Hosts(List.of(new Destination(s.host(), s.host(), s.port(), tls || smartHostRequireTls, smartHostCredentials)));
        }
        // a static route or smart host is the administrator's choice of next hop; MTA-STS is about MX records
        Route viaMx = mx.select(d, tls);
        return mtaSts.isPresent() ? mtaSts.get().apply(d, viaMx) : viaMx;
    }

    record HostPort(String host, int port) {
        static HostPort parse(String value, String key) {
            String v = value.trim();
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || v.startsWith("[") && !v.substring(0, colon).endsWith("]")) {
                return new HostPort(unbracket(v), MxSelector.SMTP_PORT);
            }
            try {
                int port = Integer.parseInt(v.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(unbracket(v.substring(0, colon)), port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": '" + value + "' is not host:port");
            }
        }

        private static String unbracket(String h) {
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }
    }
}
