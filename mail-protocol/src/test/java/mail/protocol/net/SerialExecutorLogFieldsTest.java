package mail.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sessions share pool threads: each task sees its own session's log fields and leaves none behind. */
class SerialExecutorLogFieldsTest {
    // one thread, so that the two sessions' tasks are sure to share it
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void eachTaskSeesItsSessionsFieldsAndThePoolThreadKeepsNone() throws Exception {
        SerialExecutor a = new SerialExecutor(pool, timer);
        SerialExecutor b = new SerialExecutor(pool, timer);
        a.logField(SessionIo.SESSION_ID, "aaaa");
        b.logField(SessionIo.SESSION_ID, "bbbb");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        a.execute(() -> {
            seen.add("a:" + MDC.get(SessionIo.SESSION_ID) + ":" + MDC.get("account"));
            // a login: the lines logged after it in the same task already name the account
            a.logField("account", "alice@example.test");
            seen.add("a:" + MDC.get("account"));
        });
        b.execute(() -> seen.add("b:" + MDC.get(SessionIo.SESSION_ID) + ":" + MDC.get("account")));
        a.execute(() -> seen.add("a:" + MDC.get(SessionIo.SESSION_ID) + ":" + MDC.get("account")));
        a.execute(() -> {
            a.logField("account", null);
            seen.add("a:" + MDC.get("account"));
        });
        pool.execute(() -> {
            Map<String, Object> left = MDC.getMap();
            seen.add("pool:" + left.keySet());
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // sessions interleave on the thread in any order; each session's own lines are in order
        assertThat(seen.stream().filter(x -> x.startsWith("a:")).toList()).containsExactly(
                "a:aaaa:null", "a:alice@example.test", "a:aaaa:alice@example.test", "a:null");
        assertThat(seen.stream().filter(x -> x.startsWith("b:")).toList()).containsExactly("b:bbbb:null");
        assertThat(seen.get(seen.size() - 1)).isEqualTo("pool:[]");
        assertThat(a.logField("account")).isNull();
        assertThat(a.logField(SessionIo.SESSION_ID)).isEqualTo("aaaa");
    }

    @Test
    void settingAFieldFromAnotherThreadDoesNotTouchThatThreadsMdc() {
        SerialExecutor a = new SerialExecutor(pool, timer);
        a.logField("account", "bob@example.test");
        assertThat(MDC.get("account")).isNull();
        assertThat(a.logField("account")).isEqualTo("bob@example.test");
    }

    @Test
    void sessionIdsAreShortHexAndDistinct() {
        String one = SessionIds.next();
        assertThat(one).matches("[0-9a-f]{12}");
        assertThat(SessionIds.next()).isNotEqualTo(one);
    }
}
