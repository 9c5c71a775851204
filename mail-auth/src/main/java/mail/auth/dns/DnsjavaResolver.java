package mail.auth.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link DnsResolver} over dnsjava: the configured servers (or the system's), a timeout per question, no search
 * path (every name is absolute), and a cache of its own that honours the records' TTLs.
 */
public final class DnsjavaResolver implements DnsResolver {
    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);

    /**
     * @param servers {@code host} or {@code host:port} entries; empty for the system's resolvers
     * @param timeout for one question, retries included
     */
    public DnsjavaResolver(List<String> servers, Duration timeout) {
        try {
            if (servers.isEmpty()) {
                resolver = new ExtendedResolver();
            } else {
                List<Resolver> each = new ArrayList<>();
                for (String s : servers) {
                    int colon = s.lastIndexOf(':');
                    boolean withPort = colon > 0 && s.indexOf(':') == colon;
                    SimpleResolver r = new SimpleResolver(withPort ? s.substring(0, colon) : s);
                    if (withPort) {
                        r.setPort(Integer.parseInt(s.substring(colon + 1)));
                    }
                    each.add(r);
                }
                resolver = new ExtendedResolver(each);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("DNS server not usable: " + e.getMessage(), e);
        }
        resolver.setTimeout(timeout);
    }

    @Override
    public List<String> txt(String name) {
        List<String> out = new ArrayList<>();
        for (Record r : query(name, Type.TXT)) {
            out.add(String.join("", ((TXTRecord) r).getStrings()));
        }
        return out;
    }

    @Override
    public List<InetAddress> addresses(String name, boolean ipv6) {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : query(name, ipv6 ? Type.AAAA : Type.A)) {
            out.add(ipv6 ? ((AAAARecord) r).getAddress() : ((ARecord) r).getAddress());
        }
        return out;
    }

    @Override
    public List<String> mx(String name) {
        List<MXRecord> records = new ArrayList<>();
        for (Record r : query(name, Type.MX)) {
            records.add((MXRecord) r);
        }
        records.sort(Comparator.comparingInt(MXRecord::getPriority));
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(relative(r.getTarget())));
        return out;
    }

    @Override
    public List<String> ptr(InetAddress address) {
        List<String> out = new ArrayList<>();
        for (Record r : query(ReverseMap.fromAddress(address), Type.PTR)) {
            out.add(relative(((PTRRecord) r).getTarget()));
        }
        return out;
    }

    private List<Record> query(String name, int type) {
        Name n;
        try {
            n = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            // not a name DNS can carry: nothing can exist there
            return List.of();
        }
        return query(n, type);
    }

    private List<Record> query(Name name, int type) {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        Record[] records = lookup.run();
        switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL:
                List<Record> out = new ArrayList<>();
                for (Record r : records) {
                    if (r.getType() == type) {
                        out.add(r);
                    }
                }
                return out;
            case Lookup.HOST_NOT_FOUND:
            case Lookup.TYPE_NOT_FOUND:
                return List.of();
            default:
                throw new DnsTemporaryException(Type.string(type) + " " + name + ": " + lookup.getErrorString());
        }
    }

    private static String relative(Name n) {
        String s = n.toString();
        return (s.endsWith(".") ? s.substring(0, s.length() - 1) : s).toLowerCase(Locale.ROOT);
    }
}
