package mail.relay.route;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** {@link DnsLookup} with dnsjava, against the configured resolver or the system's. */
public final class DnsjavaLookup implements DnsLookup {
    private final Resolver resolver;

    public DnsjavaLookup(String resolverAddress, Duration timeout) {
        try {
            Resolver r;
            if (resolverAddress == null) {
                r = new ExtendedResolver();
            } else {
                int colon = resolverAddress.lastIndexOf(':');
                boolean withPort = colon > 0 && resolverAddress.indexOf(':') == colon;
                SimpleResolver s = new SimpleResolver(withPort ? resolverAddress.substring(0, colon) : resolverAddress);
                if (withPort) {
                    s.setPort(Integer.parseInt(resolverAddress.substring(colon + 1)));
                }
                r = s;
            }
            r.setTimeout(timeout);
            this.resolver = r;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("mail.relay.dns.resolver: " + e.getMessage(), e);
        }
    }

    @Override
    public MxAnswer mx(String domain) throws DnsFailure {
        Lookup l = lookup(domain, Type.MX);
        Record[] records = l.run();
        int result = l.getResult();
        if (result == Lookup.HOST_NOT_FOUND) {
            return new MxAnswer.NoDomain();
        }
        if (result == Lookup.TYPE_NOT_FOUND) {
            return new MxAnswer.NoRecords();
        }
        if (result != Lookup.SUCCESSFUL) {
            throw new DnsFailure("MX lookup for " + domain + " failed: " + l.getErrorString());
        }
        List<Mx> out = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof MXRecord mx) {
                out.add(new Mx(mx.getPriority(), mx.getTarget().toString(true)));
            }
        }
        return new MxAnswer.Records(out);
    }

    @Override
    public List<String> addresses(String host) throws DnsFailure {
        List<String> out = new ArrayList<>();
        int failures = 0;
        String error = null;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup l = lookup(host, type);
            Record[] records = l.run();
            int result = l.getResult();
            if (result == Lookup.SUCCESSFUL) {
                for (Record r : records) {
                    if (r instanceof ARecord a) {
                        out.add(a.getAddress().getHostAddress());
                    } else if (r instanceof AAAARecord aaaa) {
                        out.add(aaaa.getAddress().getHostAddress());
                    }
                }
            } else if (result == Lookup.TRY_AGAIN || result == Lookup.UNRECOVERABLE) {
                failures++;
                error = l.getErrorString();
            }
        }
        if (out.isEmpty() && failures > 0) {
            throw new DnsFailure("address lookup for " + host + " failed: " + error);
        }
        return out;
    }

    @Override
    public List<String> txt(String name) throws DnsFailure {
        Lookup l = lookup(name, Type.TXT);
        Record[] records = l.run();
        int result = l.getResult();
        if (result == Lookup.HOST_NOT_FOUND || result == Lookup.TYPE_NOT_FOUND) {
            return List.of();
        }
        if (result != Lookup.SUCCESSFUL) {
            throw new DnsFailure("TXT lookup for " + name + " failed: " + l.getErrorString());
        }
        List<String> out = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof TXTRecord t) {
                // a record longer than 255 octets arrives as several strings that form one value (RFC 7208 §3.3 style)
                out.add(String.join("", t.getStrings()));
            }
        }
        return out;
    }

    private Lookup lookup(String name, int type) throws DnsFailure {
        try {
            Lookup l = new Lookup(Name.fromString(name.endsWith(".") ? name : name + "."), type);
            l.setResolver(resolver);
            return l;
        } catch (TextParseException e) {
            throw new DnsFailure("not a DNS name: " + name);
        }
    }
}
