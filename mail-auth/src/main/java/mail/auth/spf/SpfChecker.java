package mail.auth.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mail.auth.dns.DnsResolver;
import mail.auth.dns.DnsTemporaryException;
import mail.auth.spf.SpfResult.Status;

/**
 * RFC 7208 check_host() for the MAIL FROM and HELO identities, with the RFC's processing limits: at most 10
 * mechanisms and modifiers that query DNS per check (include, a, mx, ptr, exists, redirect, across includes), at
 * most 2 void lookups, at most 10 MX and 10 PTR names. Thread-safe; every call blocks on DNS, so callers run it off
 * any event loop.
 */
public final class SpfChecker {
    /** RFC 7208 §4.6.4 limits; the defaults are the RFC's. */
    public record Limits(int dnsMechanisms, int voidLookups, int mxNames, int ptrNames) {
        public static final Limits RFC = new Limits(10, 2, 10, 10);
    }

    private static final Pattern MODIFIER = Pattern.compile("^([a-zA-Z][a-zA-Z0-9_.\\-]*)=(.*)$");
    private static final Pattern DUAL_CIDR = Pattern.compile("^(.*?)(?:/(\\d{1,3}))?(?://(\\d{1,3}))?$");
    private static final int MAX_DOMAIN = 253;

    private final DnsResolver dns;
    private final Limits limits;
    private final String receiver;

    /** @param receiver this host's name, for the {@code %{r}} macro of explanations */
    public SpfChecker(DnsResolver dns, Limits limits, String receiver) {
        this.dns = dns;
        this.limits = limits;
        this.receiver = receiver;
    }

    /** The MAIL FROM identity; for the null reverse-path the HELO name stands in (RFC 7208 §2.4). */
    public SpfResult checkMailFrom(InetAddress ip, String mailFrom, String helo) {
        String sender = mailFrom == null || mailFrom.isEmpty() ? "postmaster@" + helo
                : mailFrom.startsWith("@") ? "postmaster" + mailFrom : mailFrom;
        int at = sender.lastIndexOf('@');
        if (at < 0) {
            return SpfResult.of(Status.NONE, sender, "no domain in the sender");
        }
        return checkHost(ip, sender.substring(at + 1), sender, helo);
    }

    /** The HELO identity (RFC 7208 §2.3); an address literal or a name that is not a domain has none. */
    public SpfResult checkHelo(InetAddress ip, String helo) {
        if (helo == null || helo.startsWith("[") || !validDomain(helo)) {
            return SpfResult.of(Status.NONE, helo, "HELO is not a domain name");
        }
        return checkHost(ip, helo, "postmaster@" + helo, helo);
    }

    SpfResult checkHost(InetAddress ip, String domain, String sender, String helo) {
        InetAddress client = unmapped(ip);
        String d = stripDot(domain).toLowerCase(Locale.ROOT);
        MacroExpander.Context ctx = new MacroExpander.Context(client, sender, d, helo == null ? "unknown" : helo, receiver);
        try {
            return evaluate(ctx, d, new Budget(limits));
        } catch (Abort a) {
            return SpfResult.of(a.status, d, a.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ evaluation

    private SpfResult evaluate(MacroExpander.Context outer, String domain, Budget budget) {
        if (!validDomain(domain)) {
            return SpfResult.of(Status.NONE, domain, "not a valid domain name");
        }
        MacroExpander.Context ctx = new MacroExpander.Context(outer.ip(), outer.sender(), domain, outer.helo(), outer.receiver());
        List<String> records = new ArrayList<>();
        for (String txt : txt(domain)) {
            String lower = txt.toLowerCase(Locale.ROOT);
            if (lower.equals("v=spf1") || lower.startsWith("v=spf1 ")) {
                records.add(txt);
            }
        }
        if (records.isEmpty()) {
            return SpfResult.of(Status.NONE, domain, "no SPF record");
        }
        if (records.size() > 1) {
            return SpfResult.of(Status.PERMERROR, domain, "more than one SPF record");
        }
        Record record;
        try {
            record = Record.parse(records.get(0));
        } catch (SpfSyntaxException e) {
            return SpfResult.of(Status.PERMERROR, domain, e.getMessage());
        }
        for (Directive d : record.directives) {
            boolean match;
            try {
                match = matches(d, ctx, budget);
            } catch (SpfSyntaxException e) {
                throw new Abort(Status.PERMERROR, e.getMessage());
            }
            if (match) {
                Status status = d.qualifier;
                String reason = "matched " + d.text;
                if (status == Status.FAIL && record.exp != null) {
                    String why = explanation(record.exp, ctx);
                    if (why != null) {
                        reason = reason + ": " + why;
                    }
                }
                return new SpfResult(status, domain, d.text, reason);
            }
        }
        if (record.redirect != null) {
            budget.lookup("redirect");
            String target = target(record.redirect, ctx);
            SpfResult sub = evaluate(ctx, target, budget);
            if (sub.status() == Status.NONE) {
                throw new Abort(Status.PERMERROR, "redirect to " + target + ", which has no SPF record");
            }
            return sub;
        }
        return SpfResult.of(Status.NEUTRAL, domain, "no mechanism matched");
    }

    private boolean matches(Directive d, MacroExpander.Context ctx, Budget budget) {
        InetAddress ip = ctx.ip();
        boolean v6 = ip instanceof Inet6Address;
        switch (d.name) {
            case "all":
                return true;
            case "include": {
                budget.lookup("include");
                String target = target(d.domainSpec, ctx);
                SpfResult sub = evaluate(ctx, target, budget);
                switch (sub.status()) {
                    case PASS:
                        return true;
                    case FAIL:
                    case SOFTFAIL:
                    case NEUTRAL:
                        return false;
                    case TEMPERROR:
                        throw new Abort(Status.TEMPERROR, "include:" + target + ": " + sub.reason());
                    default:
                        throw new Abort(Status.PERMERROR, "include:" + target + ": " + sub.reason());
                }
            }
            case "a": {
                budget.lookup("a");
                String target = d.domainSpec == null ? ctx.domain() : target(d.domainSpec, ctx);
                List<InetAddress> addresses = addresses(target, v6);
                budget.voidIf(addresses.isEmpty());
                return anyInNetwork(addresses, ip, v6 ? d.cidr6 : d.cidr4);
            }
            case "mx": {
                budget.lookup("mx");
                String target = d.domainSpec == null ? ctx.domain() : target(d.domainSpec, ctx);
                List<String> hosts = mx(target);
                budget.voidIf(hosts.isEmpty());
                if (hosts.size() > limits.mxNames()) {
                    throw new Abort(Status.PERMERROR, "mx:" + target + " has more than " + limits.mxNames() + " MX names");
                }
                for (String host : hosts) {
                    if (!host.isEmpty() && anyInNetwork(addresses(host, v6), ip, v6 ? d.cidr6 : d.cidr4)) {
                        return true;
                    }
                }
                return false;
            }
            case "ptr": {
                budget.lookup("ptr");
                String target = d.domainSpec == null ? ctx.domain() : target(d.domainSpec, ctx);
                return ptrMatches(ip, target, budget);
            }
            case "ip4":
                return !v6 && inNetwork(d.network, ip, d.cidr4);
            case "ip6":
                return v6 && inNetwork(d.network, ip, d.cidr6);
            case "exists": {
                budget.lookup("exists");
                String target = target(d.domainSpec, ctx);
                List<InetAddress> addresses = addresses(target, false);
                budget.voidIf(addresses.isEmpty());
                return !addresses.isEmpty();
            }
            default:
                throw new Abort(Status.PERMERROR, "unknown mechanism " + d.name);
        }
    }

    /** RFC 7208 §5.5: DNS errors here only make the mechanism not match. */
    private boolean ptrMatches(InetAddress ip, String target, Budget budget) {
        List<String> names;
        try {
            names = dns.ptr(ip);
        } catch (DnsTemporaryException e) {
            return false;
        }
        budget.voidIf(names.isEmpty());
        int checked = 0;
        for (String name : names) {
            if (checked++ >= limits.ptrNames()) {
                break;
            }
            String n = stripDot(name).toLowerCase(Locale.ROOT);
            if (!(n.equals(target) || n.endsWith("." + target))) {
                continue;
            }
            try {
                if (dns.addresses(n, ip instanceof Inet6Address).contains(ip)) {
                    return true;
                }
            } catch (DnsTemporaryException e) {
                // an unvalidated name is skipped
            }
        }
        return false;
    }

    private String explanation(String expSpec, MacroExpander.Context ctx) {
        try {
            String target = target(expSpec, ctx);
            List<String> txt = dns.txt(target);
            return txt.size() == 1 ? MacroExpander.expand(txt.get(0), ctx, true) : null;
        } catch (RuntimeException e) {
            // RFC 7208 §6.2: any problem with the explanation leaves it out, the result stays fail
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------ DNS

    private List<String> txt(String name) {
        try {
            return dns.txt(name);
        } catch (DnsTemporaryException e) {
            throw new Abort(Status.TEMPERROR, e.getMessage());
        }
    }

    private List<InetAddress> addresses(String name, boolean v6) {
        try {
            return dns.addresses(name, v6);
        } catch (DnsTemporaryException e) {
            throw new Abort(Status.TEMPERROR, e.getMessage());
        }
    }

    private List<String> mx(String name) {
        try {
            return dns.mx(name);
        } catch (DnsTemporaryException e) {
            throw new Abort(Status.TEMPERROR, e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ names and networks

    /** Expands a domain-spec and shortens it from the left to 253 octets (RFC 7208 §7.3). */
    private static String target(String spec, MacroExpander.Context ctx) {
        String name = stripDot(MacroExpander.expand(spec, ctx, false)).toLowerCase(Locale.ROOT);
        while (name.length() > MAX_DOMAIN && name.indexOf('.') > 0) {
            name = name.substring(name.indexOf('.') + 1);
        }
        return name;
    }

    static boolean validDomain(String domain) {
        String d = stripDot(domain);
        if (d.isEmpty() || d.length() > MAX_DOMAIN || d.indexOf('.') < 0) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return true;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static InetAddress unmapped(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (b.length == 16) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ip;
    }

    private static boolean anyInNetwork(List<InetAddress> addresses, InetAddress ip, int prefix) {
        for (InetAddress a : addresses) {
            if (inNetwork(a, ip, prefix)) {
                return true;
            }
        }
        return false;
    }

    static boolean inNetwork(InetAddress network, InetAddress ip, int prefix) {
        byte[] n = network.getAddress();
        byte[] a = ip.getAddress();
        if (n.length != a.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (n[i] != a[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (n[full] & mask) == (a[full] & mask);
    }

    // ------------------------------------------------------------------------------------------ record syntax

    /** One directive of a record, parsed. */
    private static final class Directive {
        String text;
        Status qualifier;
        String name;
        String domainSpec;
        InetAddress network;
        int cidr4 = 32;
        int cidr6 = 128;
    }

    private static final class Record {
        final List<Directive> directives = new ArrayList<>();
        String redirect;
        String exp;

        static Record parse(String txt) {
            Record r = new Record();
            String[] terms = txt.substring("v=spf1".length()).trim().split(" +");
            for (String term : terms) {
                if (term.isEmpty()) {
                    continue;
                }
                Matcher m = MODIFIER.matcher(term);
                if (m.matches()) {
                    String name = m.group(1).toLowerCase(Locale.ROOT);
                    if (name.equals("redirect")) {
                        if (r.redirect != null) {
                            throw new SpfSyntaxException("redirect= appears twice");
                        }
                        r.redirect = domainSpec(m.group(2));
                    } else if (name.equals("exp")) {
                        if (r.exp != null) {
                            throw new SpfSyntaxException("exp= appears twice");
                        }
                        r.exp = domainSpec(m.group(2));
                    } else {
                        // unknown modifiers are ignored, but their value must still be a macro-string
                        checkMacroString(m.group(2));
                    }
                    continue;
                }
                r.directives.add(directive(term));
            }
            // RFC 7208 §6.1: with an "all" mechanism present, redirect is ignored
            if (r.directives.stream().anyMatch(d -> d.name.equals("all"))) {
                r.redirect = null;
            }
            return r;
        }

        private static Directive directive(String term) {
            Directive d = new Directive();
            d.text = term;
            String t = term;
            d.qualifier = Status.PASS;
            switch (t.charAt(0)) {
                case '+':
                    t = t.substring(1);
                    break;
                case '-':
                    d.qualifier = Status.FAIL;
                    t = t.substring(1);
                    break;
                case '~':
                    d.qualifier = Status.SOFTFAIL;
                    t = t.substring(1);
                    break;
                case '?':
                    d.qualifier = Status.NEUTRAL;
                    t = t.substring(1);
                    break;
                default:
                    break;
            }
            int end = 0;
            while (end < t.length() && t.charAt(end) != ':' && t.charAt(end) != '/') {
                end++;
            }
            d.name = t.substring(0, end).toLowerCase(Locale.ROOT);
            String rest = t.substring(end);
            switch (d.name) {
                case "all":
                    if (!rest.isEmpty()) {
                        throw new SpfSyntaxException("'all' takes no argument: " + term);
                    }
                    break;
                case "include":
                case "exists":
                    if (!rest.startsWith(":") || rest.length() == 1) {
                        throw new SpfSyntaxException(d.name + " needs a domain: " + term);
                    }
                    d.domainSpec = domainSpec(rest.substring(1));
                    break;
                case "ptr":
                    if (rest.startsWith(":")) {
                        d.domainSpec = domainSpec(rest.substring(1));
                    } else if (!rest.isEmpty()) {
                        throw new SpfSyntaxException("malformed ptr: " + term);
                    }
                    break;
                case "a":
                case "mx": {
                    Matcher m = DUAL_CIDR.matcher(rest);
                    if (!m.matches()) {
                        throw new SpfSyntaxException("malformed " + d.name + ": " + term);
                    }
                    String spec = m.group(1);
                    if (spec.startsWith(":")) {
                        d.domainSpec = domainSpec(spec.substring(1));
                    } else if (!spec.isEmpty()) {
                        throw new SpfSyntaxException("malformed " + d.name + ": " + term);
                    }
                    d.cidr4 = cidr(m.group(2), 32);
                    d.cidr6 = cidr(m.group(3), 128);
                    break;
                }
                case "ip4":
                case "ip6": {
                    if (!rest.startsWith(":")) {
                        throw new SpfSyntaxException(d.name + " needs a network: " + term);
                    }
                    String net = rest.substring(1);
                    int slash = net.indexOf('/');
                    boolean v6 = d.name.equals("ip6");
                    int max = v6 ? 128 : 32;
                    int prefix = slash < 0 ? max : cidr(net.substring(slash + 1), max);
                    d.network = address(slash < 0 ? net : net.substring(0, slash), v6);
                    if (v6) {
                        d.cidr6 = prefix;
                    } else {
                        d.cidr4 = prefix;
                    }
                    break;
                }
                default:
                    throw new SpfSyntaxException("unknown mechanism '" + d.name + "'");
            }
            return d;
        }

        private static int cidr(String digits, int max) {
            if (digits == null) {
                return max;
            }
            if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw new SpfSyntaxException("malformed CIDR length /" + digits);
            }
            int n = Integer.parseInt(digits);
            if (n > max) {
                throw new SpfSyntaxException("CIDR length /" + n + " is longer than " + max);
            }
            return n;
        }

        private static InetAddress address(String text, boolean v6) {
            boolean looksV4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            if (v6 ? !text.contains(":") || !text.matches("[0-9a-fA-F:.]+") : !looksV4) {
                throw new SpfSyntaxException("malformed " + (v6 ? "IPv6" : "IPv4") + " network " + text);
            }
            if (looksV4) {
                for (String part : text.split("\\.")) {
                    if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                        throw new SpfSyntaxException("malformed IPv4 network " + text);
                    }
                }
            }
            try {
                InetAddress a = InetAddress.getByName(text);
                if (v6 != (a instanceof Inet6Address) && !(v6 && a instanceof Inet4Address)) {
                    throw new SpfSyntaxException("malformed network " + text);
                }
                return a;
            } catch (UnknownHostException e) {
                throw new SpfSyntaxException("malformed network " + text);
            }
        }

        /** A domain-spec: a macro-string whose literal form ends in a top label (RFC 7208 §7.1). */
        private static String domainSpec(String spec) {
            checkMacroString(spec);
            if (spec.isEmpty()) {
                throw new SpfSyntaxException("empty domain-spec");
            }
            if (!spec.contains("%")) {
                String d = stripDot(spec);
                int dot = d.lastIndexOf('.');
                String top = dot < 0 ? d : d.substring(dot + 1);
                if (dot < 0 || top.isEmpty() || top.chars().allMatch(Character::isDigit) || !top.matches("[A-Za-z0-9-]+")
                        || top.startsWith("-") || top.endsWith("-")) {
                    throw new SpfSyntaxException("invalid domain-spec '" + spec + "'");
                }
            }
            return spec;
        }

        /** Syntax only: expanding with placeholder values finds malformed macros before any DNS query. */
        private static void checkMacroString(String s) {
            try {
                MacroExpander.expand(s, new MacroExpander.Context(InetAddress.getByAddress(new byte[4]), "a@b.example",
                        "b.example", "b.example", "r.example"), false);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The shared DNS budget of one check_host(), includes and redirects included. */
    private static final class Budget {
        private final Limits limits;
        private int lookups;
        private int voids;

        Budget(Limits limits) {
            this.limits = limits;
        }

        void lookup(String what) {
            if (++lookups > limits.dnsMechanisms()) {
                throw new Abort(Status.PERMERROR, "more than " + limits.dnsMechanisms() + " DNS-querying terms (at " + what + ")");
            }
        }

        void voidIf(boolean empty) {
            if (empty && ++voids > limits.voidLookups()) {
                throw new Abort(Status.PERMERROR, "more than " + limits.voidLookups() + " void DNS lookups");
            }
        }
    }

    /** Ends the whole check_host() with a result, from however deep in includes it happens. */
    private static final class Abort extends RuntimeException {
        final Status status;

        Abort(Status status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }
}
