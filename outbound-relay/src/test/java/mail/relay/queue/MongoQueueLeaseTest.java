package mail.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import mail.core.event.BodyType;
import mail.core.event.OutboundRequested;
import mail.relay.adapter.mongo.MongoOutboundQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a copy killed mid-delivery leaves behind, on the real MongoDB-compatible server: its lease runs out, another
 * copy claims the entry and finishes it, and the dead copy's late result (had it only been paused) is refused.
 */
class MongoQueueLeaseTest {
    private static QueueDatabase database;
    private static MongoOutboundQueue queue;

    @BeforeAll
    static void connect() {
        database = new QueueDatabase("relay-lease");
        queue = database.queue;
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void theSameEventIsQueuedOnce() {
        OutboundRequested r = QueueDatabase.request("once.test");
        assertThat(queue.enqueue(r, Instant.now())).isTrue();
        assertThat(queue.enqueue(r, Instant.now())).isFalse();
        assertThat(queue.list(new OutboundQueue.Filter(null, null, "once.test", null), 10)).hasSize(1);
    }

    @Test
    void aDeadCopysLeaseRunsOutAndAnotherCopyTakesOverWhileTheLateResultIsRefused() {
        OutboundRequested r = QueueDatabase.request("lease.test");
        queue.enqueue(r, Instant.now());
        OutboundQueue.Claim dead = claimOwn(r.id(), Duration.ofSeconds(1)).orElseThrow();
        assertThat(claimOwn(r.id(), Duration.ofSeconds(30))).as("leased: nobody else gets it").isEmpty();

        await().atMost(Duration.ofSeconds(20)).until(() -> claimOwn(r.id(), Duration.ofSeconds(30)).isPresent());
        QueueEntry e = queue.find(r.id()).orElseThrow();
        assertThat(e.recipients()).allMatch(q -> q.state() == RecipientState.PENDING);

        // the copy that was presumed dead comes back with a result: refused, nothing overwritten
        QueueEntry late = dead.entry().with(EntryState.DONE, dead.entry().recipients(), 1, Instant.now(), false, null);
        assertThat(queue.save(dead, late, true)).isFalse();
        assertThat(queue.find(r.id()).orElseThrow().state()).isEqualTo(EntryState.QUEUED);
    }

    @Test
    void aRenewedLeaseOutlastsTheOriginalOneAndALostOneCannotBeRenewed() {
        OutboundRequested r = QueueDatabase.request("renew.test");
        Instant now = Instant.now();
        queue.enqueue(r, now);
        OutboundQueue.Claim worker = queue.claim(r.id(), now, Duration.ofSeconds(1)).orElseThrow();
        assertThat(queue.renew(worker, now.plus(Duration.ofMinutes(10)))).isTrue();
        // five minutes on, the original 1 s lease would long have run out; the renewed one has not
        assertThat(queue.claim(r.id(), now.plus(Duration.ofMinutes(5)), Duration.ofSeconds(30))).isEmpty();
        OutboundQueue.Claim successor = queue.claim(r.id(), now.plus(Duration.ofMinutes(11)), Duration.ofMinutes(30)).orElseThrow();
        assertThat(queue.renew(worker, now.plus(Duration.ofMinutes(20)))).as("the old holder's token no longer matches").isFalse();
        assertThat(queue.renew(successor, now.plus(Duration.ofMinutes(40)))).isTrue();
    }

    @Test
    void anAdministratorCannotTakeAnEntryAWorkerHolds() {
        OutboundRequested r = QueueDatabase.request("admin.test");
        queue.enqueue(r, Instant.now());
        OutboundQueue.Claim worker = claimOwn(r.id(), Duration.ofSeconds(30)).orElseThrow();
        assertThat(queue.claim(r.id(), Instant.now(), Duration.ofSeconds(30))).isEmpty();
        QueueEntry done = worker.entry().with(EntryState.DONE, worker.entry().recipients(), 1, Instant.now(), false, null);
        assertThat(queue.save(worker, done, true)).isTrue();
        assertThat(queue.claim(r.id(), Instant.now(), Duration.ofSeconds(30))).as("done entries are not claimable").isEmpty();
        assertThat(queue.retryNow(r.id(), Instant.now())).isFalse();
    }

    @Test
    void claimsTakeTheMostOverdueFirstAndSkipFutureOnes() {
        Instant now = Instant.now();
        OutboundRequested later = QueueDatabase.request("future.test");
        later = new OutboundRequested(later.id(), later.source(), later.time(), later.receivedEventId(), later.message(),
                later.reversePath(), later.domain(), later.recipients(), null, null, BodyType.SEVEN_BIT, false, null, 1,
                now.plus(Duration.ofHours(1)), now);
        queue.enqueue(later, now);
        assertThat(claimOwn(later.id(), Duration.ofSeconds(5))).isEmpty();
        assertThat(queue.retryNow(later.id(), now)).isTrue();
        assertThat(claimOwn(later.id(), Duration.ofSeconds(5))).isPresent();
    }

    /** Claims due entries until the wanted one comes up (other tests' entries are released again). */
    private static Optional<OutboundQueue.Claim> claimOwn(String id, Duration lease) {
        Optional<OutboundQueue.Claim> c = queue.claim(id, Instant.now(), lease);
        if (c.isPresent() && !isDue(c.get().entry())) {
            queue.save(c.get(), c.get().entry(), true);
            return Optional.empty();
        }
        return c;
    }

    private static boolean isDue(QueueEntry e) {
        return !e.nextAttemptAt().isAfter(Instant.now());
    }
}
