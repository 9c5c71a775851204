package mail.protocol.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Who may connect to one listener. With {@code proxyProtocol} on, every connection must start with a PROXY protocol
 * header (v1 or v2) and come from a {@code trustedProxies} network, or it is closed: anyone else could claim any client
 * address. {@code allow} and {@code deny} are checked on the client address (the proxied one behind a proxy); a deny
 * entry wins over an allow entry, and an empty allow list allows every address not denied.
 */
public record ListenerAccess(boolean proxyProtocol, List<String> trustedProxies, List<String> allow, List<String> deny) {
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

    /** No PROXY header, everybody allowed: what a listener has without settings. */
    public static final ListenerAccess OPEN = new ListenerAccess(false, LOOPBACK, List.of(), List.of());

    public ListenerAccess {
        trustedProxies = List.copyOf(trustedProxies);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** Checks every network once, so a typo stops the start instead of letting everybody in. */
    Rules rules() {
        return new Rules(proxyProtocol, Cidr.parseAll(trustedProxies), Cidr.parseAll(allow), Cidr.parseAll(deny));
    }

    record Rules(boolean proxyProtocol, List<Cidr> trustedProxies, List<Cidr> allow, List<Cidr> deny) {
        boolean trustedProxy(InetAddress peer) {
            return matches(trustedProxies, peer);
        }

        boolean permits(String clientIp) {
            InetAddress a;
            try {
                // a literal from the socket or the PROXY header (which Netty validated), so no DNS lookup happens here
                a = InetAddress.getByName(clientIp);
            } catch (UnknownHostException e) {
                return false;
            }
            if (matches(deny, a)) {
                return false;
            }
            return allow.isEmpty() || matches(allow, a);
        }

        private static boolean matches(List<Cidr> networks, InetAddress a) {
            for (Cidr c : networks) {
                if (c.contains(a)) {
                    return true;
                }
            }
            return false;
        }
    }
}
