package mail.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import mail.core.event.OutboundRequested;
import mail.core.tracing.TraceHeaders;
import mail.relay.adapter.mongo.MongoOutboundQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trace context an entry was queued under outlives the Kafka record: it is stored with the entry, comes back with
 * every claim (possibly on another copy, hours later) and survives every write of an attempt's result. Real
 * MongoDB-compatible server.
 */
class QueueTraceparentTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static QueueDatabase database;
    private static MongoOutboundQueue queue;

    @BeforeAll
    static void connect() {
        database = new QueueDatabase("relay-trace");
        queue = database.queue;
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void theStoredTraceparentComesBackWithEveryClaimAndSurvivesAttempts() {
        OutboundRequested r = QueueDatabase.request("traced.test");
        assertThat(queue.enqueue(r, Instant.now(), TRACEPARENT)).isTrue();
        // a redelivered record (at-least-once) does not replace the first context
        assertThat(queue.enqueue(r, Instant.now(), "00-11111111111111111111111111111111-2222222222222222-01")).isFalse();

        OutboundQueue.Claim claim = queue.claim(r.id(), Instant.now(), Duration.ofSeconds(30)).orElseThrow();
        assertThat(claim.entry().traceparent()).isEqualTo(TRACEPARENT);
        assertThat(TraceHeaders.spanContext(claim.entry().traceparent()).getSpanId()).isEqualTo("00f067aa0ba902b7");

        QueueEntry deferred = claim.entry().with(EntryState.DEFERRED, claim.entry().recipients(), 1,
                Instant.now().plusSeconds(60), false, "451 try later").signed("");
        assertThat(queue.save(claim, deferred, true)).isTrue();
        assertThat(queue.find(r.id()).orElseThrow().traceparent()).isEqualTo(TRACEPARENT);
    }

    @Test
    void anUntracedEntryHasNoContextAndItsAttemptsStartNewTraces() {
        OutboundRequested r = QueueDatabase.request("untraced.test");
        assertThat(queue.enqueue(r, Instant.now())).isTrue();
        QueueEntry e = queue.find(r.id()).orElseThrow();
        assertThat(e.traceparent()).isNull();
        assertThat(TraceHeaders.spanContext(e.traceparent()).isValid()).isFalse();
    }
}
