package mail.imap.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import mail.core.event.MailboxChanged;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.core.kafka.KafkaTopics;
import mail.core.runtime.PlatformTopics;
import mail.testsupport.RestartableKafka;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The feed against a broker that is not there when imap-service starts (what a loaded machine looks like: metadata
 * requests time out). It used to stop for good at the first timeout, so IDLE sessions never heard of new mail; now it
 * keeps trying and delivers the first event published once the broker answers.
 */
class MailboxChangeFeedTest {

    @Test
    void aBrokerThatIsDownAtStartDelaysTheFeedButDoesNotEndIt() throws Exception {
        RestartableKafka kafka = new RestartableKafka();
        kafka.start();
        try {
            RestartableKafka.down();
            List<MailboxChanged> received = new CopyOnWriteArrayList<>();
            try (MailboxChangeFeed feed = MailboxChangeFeed.start(RestartableKafka.bootstrap())) {
                feed.subscribe("acc-feed", received::add);
                waitFor(() -> feed.failures() >= 1, "a failed attempt while the broker is down");
                assertThat(feed.assigned()).isFalse();

                RestartableKafka.up();
                try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", RestartableKafka.bootstrap()))) {
                    KafkaTopics.ensure(admin, PlatformTopics.all(3, (short) 1));
                }
                waitFor(feed::assigned, "the feed reading mailbox.changes once the broker is back");
                MailboxChanged change = MailboxChanged.create("feed-test", "acc-feed", "mbx-1", "INBOX", 7,
                        MailboxChanged.ChangeKind.MESSAGE_ADDED, List.of(1L), 2, null);
                try (KafkaEventPublisher p = KafkaEventPublisher.create(RestartableKafka.bootstrap(), "feed-test", Duration.ofSeconds(30))) {
                    p.publish(Topics.MAILBOX_CHANGES, "acc-feed", change).get(30, TimeUnit.SECONDS);
                }
                waitFor(() -> !received.isEmpty(), "the event reaching the subscriber");
                assertThat(received).extracting(MailboxChanged::id).containsExactly(change.id());
            }
        } finally {
            kafka.stop();
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
