package mail.protocol.net;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.MDC;

/**
 * Runs one session's tasks one at a time and in order on a shared pool: commands of a session complete in order, while
 * sessions proceed in parallel and may block (object store, Kafka, identity provider) without touching the event loop.
 *
 * <p>A task may also hold the session back for a while ({@link #continueAfter}, {@link #continueLater}): the session's
 * later tasks wait, but no pool thread does, so thousands of throttled or slow-reading sessions cost timers or
 * callbacks rather than threads.
 */
public final class SerialExecutor implements Executor {
    private final Executor pool;
    private final ScheduledExecutorService timer;
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private boolean suspended;
    /** The session's log fields (session id, account), put in the MDC around each task on whichever pool thread runs it. */
    private volatile Map<String, String> logFields = Map.of();
    /** The executor whose task this thread runs now, if any. */
    private static final ThreadLocal<SerialExecutor> RUNNING = new ThreadLocal<>();

    public SerialExecutor(Executor pool, ScheduledExecutorService timer) {
        this.pool = pool;
        this.timer = timer;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running || suspended) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    /**
     * Runs {@code continuation} after {@code delayMs}, before anything queued meanwhile. Called from one of this
     * executor's own tasks; the executor stops once that task returns and resumes with the continuation.
     */
    public void continueAfter(long delayMs, Runnable continuation) {
        timer.schedule(continueLater(continuation), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /**
     * Like {@link #continueAfter}, but the executor resumes when the returned handle is run, from any thread (a write
     * queue drained, a reply arrived). Running the handle more than once does nothing more.
     */
    public Runnable continueLater(Runnable continuation) {
        synchronized (tasks) {
            tasks.addFirst(continuation);
            suspended = true;
        }
        AtomicBoolean resumed = new AtomicBoolean();
        return () -> {
            if (resumed.compareAndSet(false, true)) {
                resume();
            }
        };
    }

    /** Sets (or, with null, removes) a log field of this session from now on; the running task sees it at once. */
    public void logField(String key, String value) {
        synchronized (tasks) {
            Map<String, String> next = new HashMap<>(logFields);
            if (value == null) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
            logFields = Map.copyOf(next);
        }
        if (RUNNING.get() == this) {
            // the task that changed it logs next: a login line already names the account
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
    }

    public String logField(String key) {
        return logFields.get(key);
    }

    private void resume() {
        synchronized (tasks) {
            suspended = false;
            if (running || tasks.isEmpty()) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = suspended ? null : tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            Map<String, String> fields = logFields;
            fields.forEach(MDC::put);
            RUNNING.set(this);
            try {
                next.run();
            } catch (RuntimeException e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            } finally {
                RUNNING.remove();
                // pool threads serve many sessions: none of this one's fields may stay on the thread
                fields.keySet().forEach(MDC::remove);
                logFields.keySet().forEach(MDC::remove);
            }
        }
    }
}
