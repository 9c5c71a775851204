package mail.smtp.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections in total and per client IP, so one host cannot take all of the gateway's sessions. */
public final class ConnectionLimiter {
    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    public enum Admission { ADMITTED, TOO_MANY_TOTAL, TOO_MANY_FROM_IP }

    public Admission tryAcquire(String ip) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Admission.TOO_MANY_TOTAL;
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
        perIp.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    public int open() {
        return total.get();
    }

    public int openFrom(String ip) {
        AtomicInteger n = perIp.get(ip);
        return n == null ? 0 : n.get();
    }
}
