package mail.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogContextTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void scopesNestAndRestoreWhatTheThreadHadBefore() {
        Map<String, String> outer = new HashMap<>();
        outer.put(LogContext.SESSION_ID, "s1");
        outer.put(LogContext.ACCOUNT, null);
        try (LogContext.Scope a = LogContext.with(outer)) {
            assertThat(MDC.get(LogContext.SESSION_ID)).isEqualTo("s1");
            assertThat(MDC.getMap()).doesNotContainKey(LogContext.ACCOUNT);
            try (LogContext.Scope b = LogContext.with(Map.of(LogContext.SESSION_ID, "s2", LogContext.MESSAGE_ID, "m1"))) {
                assertThat(MDC.get(LogContext.SESSION_ID)).isEqualTo("s2");
                assertThat(MDC.get(LogContext.MESSAGE_ID)).isEqualTo("m1");
            }
            assertThat(MDC.get(LogContext.SESSION_ID)).isEqualTo("s1");
            assertThat(MDC.get(LogContext.MESSAGE_ID)).isNull();
        }
        assertThat(MDC.getMap()).isEmpty();
    }

    @Test
    void onlyAValidSpanGivesTraceFields() {
        assertThat(LogContext.of(Span.getInvalid())).isEmpty();
        Span span = Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault()));
        assertThat(LogContext.of(span)).containsEntry(LogContext.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736")
                .containsEntry(LogContext.SPAN_ID, "00f067aa0ba902b7");
    }
}
