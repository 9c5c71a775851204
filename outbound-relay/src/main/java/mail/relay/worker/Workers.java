package mail.relay.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mail.relay.queue.OutboundQueue;
import mail.relay.queue.OutboundQueue.Claim;
import mail.relay.smtp.SmtpClient;
import org.jboss.logging.Logger;

/** The delivery threads of one copy: each claims due work under a lease, delivers it, and looks again. */
public final class Workers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Workers.class);
    private static final long MAX_ERROR_PAUSE_MS = 10_000;

    private final OutboundQueue queue;
    private final Deliveries deliveries;
    private final SmtpClient smtp;
    private final Duration lease;
    private final Duration pollInterval;
    private final Clock clock;
    private final Runnable prepare;
    private final List<Thread> threads = new ArrayList<>();
    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile boolean prepared;

    /** @param prepare run until it succeeds before the first claim (collections and indexes); shared with the feed */
    public Workers(OutboundQueue queue, Deliveries deliveries, SmtpClient smtp, Duration lease, Duration pollInterval, Clock clock,
                   Runnable prepare) {
        this.queue = queue;
        this.deliveries = deliveries;
        this.smtp = smtp;
        this.lease = lease;
        this.pollInterval = pollInterval;
        this.clock = clock;
        this.prepare = prepare;
    }

    public void start(int count) {
        for (int i = 1; i <= count; i++) {
            Thread t = new Thread(this::loop, "relay-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** New work arrived: idle workers look at once instead of at their next poll. */
    public void wakeUp() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        long errorPause = 250;
        while (running) {
            try {
                if (!prepared) {
                    prepare.run();
                    prepared = true;
                }
                Optional<Claim> claim = queue.claim(clock.instant(), lease);
                if (claim.isPresent()) {
                    deliveries.handle(claim.get());
                } else {
                    smtp.expireIdle();
                    synchronized (signal) {
                        if (running) {
                            signal.wait(pollInterval.toMillis());
                        }
                    }
                }
                errorPause = 250;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // MongoDB or S3 down: the claimed entry's lease runs out and it is tried again, here or elsewhere
                LOG.warnf("relay worker: %s; pausing %d ms", e.toString(), errorPause);
                try {
                    Thread.sleep(errorPause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                errorPause = Math.min(MAX_ERROR_PAUSE_MS, errorPause * 2);
            }
        }
    }

    /** Whether every delivery thread is still running (one ended by an Error delivers nothing more): liveness. */
    public boolean alive() {
        return running && threads.stream().allMatch(Thread::isAlive);
    }

    @Override
    public void close() {
        running = false;
        wakeUp();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        smtp.close();
    }
}
