package mail.protocol.net;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
            try {
                next.run();
            } catch (RuntimeException e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
    }
}
