package mail.auth.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * The DNS questions sender authentication asks. An empty answer means the name does not exist or has no record of
 * that type (both are "void" lookups for SPF); a failure that may go away (timeout, SERVFAIL, no server reachable) is
 * a {@link DnsTemporaryException}. Implementations bound every question by a timeout.
 */
public interface DnsResolver {

    /** TXT records at {@code name}, each record's character-strings joined without separator (RFC 7208 §3.3). */
    List<String> txt(String name);

    /** A records ({@code ipv6 == false}) or AAAA records at {@code name}. */
    List<InetAddress> addresses(String name, boolean ipv6);

    /** The exchange host names of the MX records at {@code name}, lowest preference first. */
    List<String> mx(String name);

    /** PTR names of {@code address}, without the trailing dot. */
    List<String> ptr(InetAddress address);
}
