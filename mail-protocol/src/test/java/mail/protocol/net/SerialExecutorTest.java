package mail.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void tasksRunInOrderOneAtATime() throws Exception {
        SerialExecutor e = new SerialExecutor(pool, timer);
        List<Integer> seen = new ArrayList<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            e.execute(() -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                seen.add(n);
                concurrent.decrementAndGet();
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThat(seen).hasSize(1000).isSorted();
    }

    @Test
    void continuationRunsBeforeWorkQueuedDuringTheDelayAndHoldsNoThread() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor held = new SerialExecutor(single, timer);
            SerialExecutor other = new SerialExecutor(single, timer);
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch otherRan = new CountDownLatch(1);
            CountDownLatch finished = new CountDownLatch(1);
            held.execute(() -> {
                order.add("first");
                held.continueAfter(300, () -> order.add("continuation"));
            });
            held.execute(() -> {
                order.add("queued");
                finished.countDown();
            });
            // the pool has one thread: if the delay held it, this task could not run before the continuation
            other.execute(() -> {
                order.add("other session");
                otherRan.countDown();
            });
            assertThat(otherRan.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("first", "other session", "continuation", "queued");
        } finally {
            single.shutdownNow();
        }
    }
}
