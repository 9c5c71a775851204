package mail.backup.api;

import java.time.Instant;
import mail.backup.engine.Progress;

/** One backup or restore run as the API shows it; written by the worker thread, read by requests. */
public final class Job implements Progress {
    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    private final String id;
    private final String kind;
    private final Instant queuedAt;
    private final String trigger;
    private volatile java.util.Map<String, Long> counters;
    private volatile State state = State.QUEUED;
    private volatile String phase = "queued";
    private volatile long done;
    private volatile long total;
    private volatile Instant finishedAt;
    private volatile String error;
    private volatile Object result;

    Job(String id, String kind, Instant queuedAt, String trigger) {
        this.id = id;
        this.kind = kind;
        this.queuedAt = queuedAt;
        this.trigger = trigger;
    }

    @Override
    public void phase(String phase, long total) {
        this.phase = phase;
        this.total = total;
        this.done = 0;
    }

    @Override
    public void advance(long done) {
        this.done = done;
    }

    @Override
    public void counters(java.util.Map<String, Long> counters) {
        this.counters = java.util.Map.copyOf(counters);
    }

    public String trigger() {
        return trigger;
    }

    void running() {
        state = State.RUNNING;
    }

    void succeeded(Object result, Instant at) {
        this.result = result;
        this.phase = "done";
        this.finishedAt = at;
        this.state = State.SUCCEEDED;
    }

    void failed(String error, Instant at) {
        this.error = error;
        this.finishedAt = at;
        this.state = State.FAILED;
    }

    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public State state() {
        return state;
    }

    public View view() {
        return new View(id, kind, state.name().toLowerCase(java.util.Locale.ROOT), phase, done, total,
                total > 0 ? Math.min(100, (int) (done * 100 / total)) : null, queuedAt, finishedAt, error, result, trigger, counters);
    }

    /**
     * @param percent  of the current phase, null when its size is unknown
     * @param trigger  {@code api} or {@code scheduled}
     * @param counters further figures of a running job (an IMAP import's folders and bytes), null when there are none
     */
    public record View(String id, String kind, String state, String phase, long done, long total, Integer percent,
                       Instant queuedAt, Instant finishedAt, String error, Object result, String trigger,
                       java.util.Map<String, Long> counters) {
    }
}
