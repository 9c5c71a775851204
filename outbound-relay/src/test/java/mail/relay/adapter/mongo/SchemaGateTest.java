package mail.relay.adapter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SchemaGateTest {
    @Test
    void manyThreadsAtOnceCreateTheSchemaOnceAndOneAtATime() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        SchemaGate gate = new SchemaGate(() -> {
            if (inside.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            runs.incrementAndGet();
            Thread.onSpinWait();
            inside.decrementAndGet();
        });
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                gate.run();
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(overlaps.get()).isZero();
    }

    @Test
    void aFailedCreationIsTriedAgainByTheNextCaller() {
        AtomicInteger attempts = new AtomicInteger();
        SchemaGate gate = new SchemaGate(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("test: MongoDB is down");
            }
        });
        assertThatThrownBy(gate::run).hasMessageContaining("MongoDB is down");
        gate.run();
        gate.run();
        assertThat(attempts.get()).isEqualTo(2);
    }
}
