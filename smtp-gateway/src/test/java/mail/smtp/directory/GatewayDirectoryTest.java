package mail.smtp.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import mail.core.address.EmailAddress;
import mail.core.directory.DirectoryState;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import org.junit.jupiter.api.Test;

/** Which source answers: the loaded cache, else the remote directory, else nobody (UNAVAILABLE). */
class GatewayDirectoryTest {

    private static final class FakeRemote implements RemoteDirectory {
        final List<String> asked = new ArrayList<>();
        RecipientStatus recipient = RecipientStatus.DELIVERABLE;
        SenderStatus sender = SenderStatus.ALLOWED;

        @Override
        public RecipientStatus recipient(EmailAddress address) {
            asked.add(address.canonical());
            return recipient;
        }

        @Override
        public SenderStatus sender(String account, EmailAddress address) {
            asked.add(account + " as " + address.canonical());
            return sender;
        }
    }

    private static DirectoryState cache() {
        DirectoryState s = new DirectoryState();
        s.apply(DirectoryChanged.upserted("t", 1, new DirectorySnapshot.Domain("example.test", List.of())));
        s.apply(DirectoryChanged.upserted("t", 1, new DirectorySnapshot.Account("alice@example.test", "a", "A", 0, true)));
        return s;
    }

    @Test
    void aLoadedCacheAnswersAndTheRemoteIsNotAsked() {
        FakeRemote remote = new FakeRemote();
        GatewayDirectory d = new GatewayDirectory(cache(), () -> true, remote);
        assertThat(d.recipient(EmailAddress.parse("alice@example.test"))).isEqualTo(RecipientStatus.DELIVERABLE);
        assertThat(d.recipient(EmailAddress.parse("nobody@example.test"))).isEqualTo(RecipientStatus.UNKNOWN);
        assertThat(d.recipient(EmailAddress.parse("x@elsewhere.example"))).isEqualTo(RecipientStatus.NOT_LOCAL);
        assertThat(d.sender("alice@example.test", EmailAddress.parse("alice+x@example.test"))).isEqualTo(SenderStatus.ALLOWED);
        assertThat(d.sender("alice@example.test", EmailAddress.parse("bob@example.test"))).isEqualTo(SenderStatus.REFUSED);
        assertThat(remote.asked).isEmpty();
    }

    @Test
    void whileTheCacheLoadsTheRemoteAnswersAndAfterwardsTheCache() {
        FakeRemote remote = new FakeRemote();
        AtomicBoolean loaded = new AtomicBoolean(false);
        GatewayDirectory d = new GatewayDirectory(cache(), loaded::get, remote);
        remote.recipient = RecipientStatus.UNKNOWN;
        assertThat(d.recipient(EmailAddress.parse("alice@example.test"))).isEqualTo(RecipientStatus.UNKNOWN);
        remote.sender = SenderStatus.UNAVAILABLE;
        assertThat(d.sender("alice@example.test", EmailAddress.parse("alice@example.test"))).isEqualTo(SenderStatus.UNAVAILABLE);
        assertThat(remote.asked).containsExactly("alice@example.test", "alice@example.test as alice@example.test");
        loaded.set(true);
        assertThat(d.recipient(EmailAddress.parse("alice@example.test"))).isEqualTo(RecipientStatus.DELIVERABLE);
        assertThat(remote.asked).hasSize(2);
    }

    @Test
    void withoutTheFallbackAnUnloadedCacheMeansUnavailable() {
        GatewayDirectory d = new GatewayDirectory(cache(), () -> false, null);
        assertThat(d.recipient(EmailAddress.parse("alice@example.test"))).isEqualTo(RecipientStatus.UNAVAILABLE);
        assertThat(d.sender("alice@example.test", EmailAddress.parse("alice@example.test"))).isEqualTo(SenderStatus.UNAVAILABLE);
    }

    @Test
    void theTtlCacheKeepsEachAnswerForItsOwnTimeAndStaysBounded() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T06:00:00Z"));
        InstantSource clock = now::get;
        TtlCache<String, RecipientStatus> c = new TtlCache<>(clock, 3);
        c.put("yes", RecipientStatus.DELIVERABLE, Duration.ofSeconds(60));
        c.put("no", RecipientStatus.UNKNOWN, Duration.ofSeconds(10));
        c.put("never", RecipientStatus.UNKNOWN, Duration.ZERO);
        assertThat(c.get("yes")).isEqualTo(RecipientStatus.DELIVERABLE);
        assertThat(c.get("no")).isEqualTo(RecipientStatus.UNKNOWN);
        assertThat(c.get("never")).isNull();
        now.set(now.get().plusSeconds(10));
        assertThat(c.get("no")).isNull();
        assertThat(c.get("yes")).isEqualTo(RecipientStatus.DELIVERABLE);
        now.set(now.get().plusSeconds(50));
        assertThat(c.get("yes")).isNull();
        for (int i = 0; i < 10; i++) {
            c.put("k" + i, RecipientStatus.DELIVERABLE, Duration.ofSeconds(60));
        }
        assertThat(c.size()).isLessThanOrEqualTo(3);
        assertThat(c.get("k9")).isEqualTo(RecipientStatus.DELIVERABLE);
    }
}
