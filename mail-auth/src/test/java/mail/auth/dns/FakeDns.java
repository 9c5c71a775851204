package mail.auth.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Zone data for unit tests of pure logic; counts the questions asked. Names are case-insensitive. */
public final class FakeDns implements DnsResolver {
    private final Map<String, List<String>> txt = new HashMap<>();
    private final Map<String, List<InetAddress>> a = new HashMap<>();
    private final Map<String, List<InetAddress>> aaaa = new HashMap<>();
    private final Map<String, List<String>> mx = new HashMap<>();
    private final Map<String, List<String>> ptr = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    public int queries;

    public FakeDns txt(String name, String... records) {
        txt.computeIfAbsent(key(name), k -> new ArrayList<>()).addAll(List.of(records));
        return this;
    }

    public FakeDns a(String name, String... addresses) {
        for (String s : addresses) {
            InetAddress ip = ip(s);
            (ip.getAddress().length == 4 ? a : aaaa).computeIfAbsent(key(name), k -> new ArrayList<>()).add(ip);
        }
        return this;
    }

    public FakeDns mx(String name, String... hosts) {
        mx.computeIfAbsent(key(name), k -> new ArrayList<>()).addAll(List.of(hosts));
        return this;
    }

    public FakeDns ptr(String address, String... names) {
        ptr.computeIfAbsent(ip(address).getHostAddress(), k -> new ArrayList<>()).addAll(List.of(names));
        return this;
    }

    /** Every question about this name times out. */
    public FakeDns failing(String name) {
        failing.add(key(name));
        return this;
    }

    public static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private void ask(String name) {
        queries++;
        if (failing.contains(key(name))) {
            throw new DnsTemporaryException("timeout asking for " + name);
        }
    }

    @Override
    public List<String> txt(String name) {
        ask(name);
        return txt.getOrDefault(key(name), List.of());
    }

    @Override
    public List<InetAddress> addresses(String name, boolean ipv6) {
        ask(name);
        return (ipv6 ? aaaa : a).getOrDefault(key(name), List.of());
    }

    @Override
    public List<String> mx(String name) {
        ask(name);
        return mx.getOrDefault(key(name), List.of());
    }

    @Override
    public List<String> ptr(InetAddress address) {
        queries++;
        return ptr.getOrDefault(address.getHostAddress(), List.of());
    }
}
