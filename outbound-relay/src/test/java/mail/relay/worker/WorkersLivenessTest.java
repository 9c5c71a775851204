package mail.relay.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import mail.relay.smtp.SmtpClient;
import mail.relay.smtp.SmtpSettings;
import org.junit.jupiter.api.Test;

/**
 * What the liveness check reads from the delivery threads: a failing dependency keeps them retrying (alive), an Error
 * that ends one leaves the copy unable to deliver (not alive), and a closed copy is not alive either.
 */
class WorkersLivenessTest {
    private static SmtpClient smtp() throws Exception {
        Duration t = Duration.ofSeconds(2);
        return new SmtpClient(new SmtpSettings("relay.test", t, t, t, t, t, t, SSLContext.getDefault(), 1, Duration.ofSeconds(5)));
    }

    @Test
    void aDependencyThatKeepsFailingKeepsTheWorkersRetrying() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        Workers w = new Workers(null, null, smtp(), Duration.ofSeconds(20), Duration.ofMillis(100), Clock.systemUTC(), () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("test: the database is down");
        });
        w.start(2);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> tries.get() >= 4);
            assertThat(w.alive()).isTrue();
        } finally {
            w.close();
        }
        assertThat(w.alive()).isFalse();
    }

    @Test
    void aWorkerEndedByAnErrorMakesTheCopyNotAlive() throws Exception {
        Workers w = new Workers(null, null, smtp(), Duration.ofSeconds(20), Duration.ofMillis(100), Clock.systemUTC(), () -> {
            throw new StackOverflowError("test: an Error no retry loop catches");
        });
        w.start(2);
        try {
            // the Error is the point here: Awaitility would otherwise rethrow it from the worker's thread into the test
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).until(() -> !w.alive());
        } finally {
            w.close();
        }
    }
}
