package mail.core.logging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * The fields that tie a log line to what it concerns (session, message, account, trace), kept in the logging MDC
 * of the thread that logs. Sessions and consumers run on pooled threads: every value put here is taken away again
 * by {@link Scope#close()}, which restores what the thread had before, so nothing leaks into the next task.
 */
public final class LogContext {
    public static final String SESSION_ID = "sessionId";
    public static final String MESSAGE_ID = "messageId";
    public static final String ACCOUNT = "account";
    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private LogContext() {
    }

    /** Puts the non-null values; closing the scope puts back what each key held before. */
    public static Scope with(Map<String, String> values) {
        Map<String, Object> previous = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getValue() != null) {
                previous.put(e.getKey(), MDC.put(e.getKey(), e.getValue()));
            }
        }
        return new Scope(previous);
    }

    /** The span's trace and span ids, when it is a valid one; nothing otherwise. */
    public static Map<String, String> of(Span span) {
        SpanContext c = span.getSpanContext();
        Map<String, String> m = new LinkedHashMap<>();
        if (c.isValid()) {
            m.put(TRACE_ID, c.getTraceId());
            m.put(SPAN_ID, c.getSpanId());
        }
        return m;
    }

    public static final class Scope implements AutoCloseable {
        private final Map<String, Object> previous;

        private Scope(Map<String, Object> previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            for (Map.Entry<String, Object> e : previous.entrySet()) {
                if (e.getValue() == null) {
                    MDC.remove(e.getKey());
                } else {
                    MDC.put(e.getKey(), e.getValue());
                }
            }
        }
    }
}
