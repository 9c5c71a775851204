package mail.relay.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import mail.relay.route.DnsLookup.DnsFailure;
import mail.relay.route.DnsLookup.Mx;
import mail.relay.route.DnsLookup.MxAnswer;
import mail.relay.smtp.Destination;

/** RFC 5321 §5.1 host selection with RFC 7505 null MX, over any {@link DnsLookup}. */
public final class MxSelector {
    /** Bounds the time one attempt can spend on a domain with very many MX hosts or addresses. */
    static final int MAX_DESTINATIONS = 10;
    static final int SMTP_PORT = 25;

    private final DnsLookup dns;
    private final Random random;
    private final int port;

    public MxSelector(DnsLookup dns, Random random, int port) {
        this.dns = dns;
        this.random = random;
        this.port = port;
    }

    /** @throws DnsFailure when the answer is not known yet (temporary) */
    public Route select(String domain, boolean requireTls) throws DnsFailure {
        MxAnswer answer = dns.mx(domain);
        if (answer instanceof MxAnswer.NoDomain) {
            return new Route.Undeliverable("550 5.1.2 domain " + domain + " does not exist (NXDOMAIN)", "5.1.2");
        }
        if (answer instanceof MxAnswer.NoRecords) {
            List<String> own = dns.addresses(domain);
            if (own.isEmpty()) {
                return new Route.Undeliverable("550 5.1.2 domain " + domain + " has no MX, A or AAAA record", "5.1.2");
            }
            return new Route.Hosts(destinations(domain, own, requireTls, new ArrayList<>()));
        }
        List<Mx> records = ((MxAnswer.Records) answer).targets();
        List<Mx> real = records.stream().filter(m -> !isRoot(m.host())).toList();
        if (real.isEmpty()) {
            return new Route.Undeliverable("556 5.1.10 domain " + domain + " accepts no mail (null MX)", "5.1.10");
        }
        // equal preferences are shuffled so that load spreads over them (RFC 5321 §5.1)
        Map<Integer, List<String>> byPreference = new TreeMap<>();
        for (Mx m : real) {
            byPreference.computeIfAbsent(m.preference(), k -> new ArrayList<>()).add(normalize(m.host()));
        }
        List<Destination> out = new ArrayList<>();
        DnsFailure lastFailure = null;
        for (List<String> hosts : byPreference.values()) {
            Collections.shuffle(hosts, random);
            for (String host : hosts) {
                if (out.size() >= MAX_DESTINATIONS) {
                    break;
                }
                try {
                    destinations(host, dns.addresses(host), requireTls, out);
                } catch (DnsFailure e) {
                    lastFailure = e;
                }
            }
        }
        if (out.isEmpty()) {
            if (lastFailure != null) {
                throw lastFailure;
            }
            // an MX whose hosts have no addresses is usually a DNS mistake being fixed: keep trying
            throw new DnsFailure("no MX host of " + domain + " has an address");
        }
        return new Route.Hosts(out);
    }

    private List<Destination> destinations(String host, List<String> addresses, boolean requireTls, List<Destination> out) {
        for (String a : addresses) {
            if (out.size() < MAX_DESTINATIONS) {
                out.add(new Destination(host, a, port, requireTls, Optional.empty()));
            }
        }
        return out;
    }

    private static boolean isRoot(String host) {
        return host == null || host.isEmpty() || ".".equals(host);
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
