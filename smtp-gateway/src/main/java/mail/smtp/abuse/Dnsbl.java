package mail.smtp.abuse;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mail.auth.dns.DnsResolver;
import org.jboss.logging.Logger;

/**
 * DNS blocklists of client addresses (RFC 5782): the address, reversed (IPv4 octets, IPv6 nibbles), is looked up as an
 * A record under each zone; an answer in 127.0.0.0/8 means listed. 127.255.255.0/24 is what large lists answer to
 * refused or malformed queries (Spamhaus), so it is not a listing. Lookups run on a pool of their own, all zones at
 * once; a timeout or failure of a zone counts as not listed (fail open) and is logged.
 */
public final class Dnsbl implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Dnsbl.class);

    /** The client is listed in {@code zone}. */
    public record Listing(String zone, String address) {
    }

    private final DnsResolver dns;
    private final List<String> zones;
    private final Duration timeout;
    private final AbuseMetrics metrics;
    private final ThreadPoolExecutor pool;

    public Dnsbl(DnsResolver dns, List<String> zones, Duration timeout, int threads, AbuseMetrics metrics) {
        this.dns = dns;
        this.zones = zones.stream().map(z -> z.trim().toLowerCase(Locale.ROOT)).map(z -> z.endsWith(".") ? z.substring(0, z.length() - 1) : z)
                .filter(z -> !z.isEmpty()).toList();
        this.timeout = timeout;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "dnsbl-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public List<String> zones() {
        return zones;
    }

    /** The first zone, in configured order, that lists the client; empty when none does or none answered in time. */
    public CompletableFuture<Optional<Listing>> check(InetAddress client) {
        List<CompletableFuture<Boolean>> each = zones.stream().map(zone -> listedIn(client, zone)).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            for (int i = 0; i < zones.size(); i++) {
                if (each.get(i).join()) {
                    return Optional.of(new Listing(zones.get(i), client.getHostAddress()));
                }
            }
            return Optional.empty();
        });
    }

    private CompletableFuture<Boolean> listedIn(InetAddress client, String zone) {
        String name = queryName(client, zone);
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    answer.complete(listing(dns.addresses(name, false), name));
                } catch (RuntimeException e) {
                    // DnsTemporaryException (timeout, SERVFAIL) and anything unexpected: not listed, logged below
                    answer.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(e);
        }
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            metrics.dnsblUnanswered(zone);
            LOG.infof("DNSBL %s did not answer for %s (%s): taken as not listed", zone, client.getHostAddress(),
                    cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            return false;
        });
    }

    private static boolean listing(List<InetAddress> answers, String name) {
        for (InetAddress a : answers) {
            byte[] b = a.getAddress();
            if (b.length != 4 || (b[0] & 0xff) != 127) {
                continue;
            }
            if ((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255) {
                LOG.warnf("DNSBL refused the query %s (answer %s): check the resolver used for DNSBL queries", name,
                        a.getHostAddress());
                continue;
            }
            return true;
        }
        return false;
    }

    /** {@code 4.3.2.1.zone} for 1.2.3.4; 32 reversed nibbles of the full address for IPv6 (RFC 5782 §2.4). */
    public static String queryName(InetAddress client, String zone) {
        byte[] b = client.getAddress();
        StringBuilder name = new StringBuilder(80);
        if (client instanceof Inet6Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                name.append(Character.forDigit(b[i] & 0x0f, 16)).append('.')
                        .append(Character.forDigit((b[i] >> 4) & 0x0f, 16)).append('.');
            }
        } else {
            for (int i = b.length - 1; i >= 0; i--) {
                name.append(b[i] & 0xff).append('.');
            }
        }
        return name.append(zone).toString();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
