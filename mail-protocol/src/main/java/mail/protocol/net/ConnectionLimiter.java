package mail.protocol.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections in total and per client IP, so one host cannot take all of the gateway's sessions. Clients
 * in an exempt network count towards the total only.
 */
public final class ConnectionLimiter {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final List<Cidr> exempt;
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        this(maxTotal, maxPerIp, List.of());
    }

    public ConnectionLimiter(int maxTotal, int maxPerIp, List<Cidr> exempt) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.exempt = List.copyOf(exempt);
    }

    public enum Admission { ADMITTED, TOO_MANY_TOTAL, TOO_MANY_FROM_IP }

    public Admission tryAcquire(String ip) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Admission.TOO_MANY_TOTAL;
        }
        if (isExempt(ip)) {
            return Admission.ADMITTED;
        }
        boolean[] admitted = {false};
        // compute() makes the check and the increment one step per IP, racing with release()
        perIp.compute(ip, (k, v) -> {
            AtomicInteger n = v == null ? new AtomicInteger() : v;
            if (n.get() < maxPerIp) {
                n.incrementAndGet();
                admitted[0] = true;
            }
            return n.get() == 0 ? null : n;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            return Admission.TOO_MANY_FROM_IP;
        }
        return Admission.ADMITTED;
    }

    public void release(String ip) {
        total.decrementAndGet();
        if (isExempt(ip)) {
            return;
        }
        perIp.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    private boolean isExempt(String ip) {
        if (exempt.isEmpty()) {
            return false;
        }
        InetAddress a;
        try {
            // a literal from the socket, so no DNS lookup happens here
            a = InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return false;
        }
        for (Cidr c : exempt) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    public int open() {
        return total.get();
    }

    public int openFrom(String ip) {
        AtomicInteger n = perIp.get(ip);
        return n == null ? 0 : n.get();
    }
}
