package mail.relay.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(List.of(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2)), Duration.ofDays(5));
    private final Instant received = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void followsTheScheduleThenRepeatsTheLastPause() {
        Instant now = received.plusSeconds(10);
        assertThat(backoff.next(1, now, received)).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(backoff.next(2, now, received)).isEqualTo(now.plus(Duration.ofMinutes(15)));
        assertThat(backoff.next(4, now, received)).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(backoff.next(5, now, received)).isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(backoff.next(40, now, received)).isEqualTo(now.plus(Duration.ofHours(2)));
    }

    @Test
    void neverSchedulesPastTheExpiry() {
        Instant late = received.plus(Duration.ofDays(5)).minus(Duration.ofMinutes(30));
        assertThat(backoff.next(10, late, received)).isEqualTo(received.plus(Duration.ofDays(5)));
    }

    @Test
    void anEmptyScheduleIsRefused() {
        assertThatThrownBy(() -> new Backoff(List.of(), Duration.ofDays(1))).hasMessageContaining("mail.relay.backoff");
    }
}
