package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundRequestedTest {

    @Test
    void keyedByMessageAndDomain() {
        OutboundRequested event = SampleEvents.outboundRequested();

        assertThat(event.kafkaKey()).isEqualTo(SampleEvents.SHA256 + ":example.net");
        assertThat(event.topic()).isEqualTo(Topics.MAIL_OUTBOUND);
    }

    @Test
    void everyRecipientMustBeInTheDestinationDomain() {
        assertThatThrownBy(() -> OutboundRequested.firstAttempt("delivery-worker/h", SampleEvents.mailReceived(),
                "example.net", SampleEvents.mailReceived().envelope().recipients(), null))
                .hasMessage("recipient bob@example.com is not in domain example.net");
    }

    @Test
    void domainMustBeLowerCase() {
        assertThatThrownBy(() -> OutboundRequested.firstAttempt("delivery-worker/h", SampleEvents.mailReceived(),
                "Example.NET", List.of(Recipient.of("carol@example.net")), null))
                .hasMessageContaining("domain must be lower case");
    }

    @Test
    void firstAttemptCopiesTheReceivedEnvelope() {
        MailReceived received = SampleEvents.mailReceived();

        OutboundRequested event = OutboundRequested.firstAttempt("delivery-worker/h", received, "example.net",
                List.of(Recipient.of("carol@example.net")), "acc-1");

        assertThat(event.attempt()).isEqualTo(1);
        assertThat(event.receivedEventId()).isEqualTo(received.id());
        assertThat(event.message()).isEqualTo(received.message());
        assertThat(event.reversePath()).isEqualTo("alice@example.org");
        assertThat(event.ret()).isEqualTo(DsnReturn.HDRS);
        assertThat(event.envId()).isEqualTo("QQ314159");
        assertThat(event.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(event.receivedAt()).isEqualTo(received.connection().receivedAt());
        assertThat(event.notBefore()).isEqualTo(event.time());
    }

    @Test
    void retryIsANewEventForTheRemainingRecipients() {
        OutboundRequested first = new OutboundRequested(MailEvent.newId(), "delivery-worker/h", SampleEvents.TIME,
                SampleEvents.mailReceived().id(), SampleEvents.MESSAGE, "", "example.net",
                List.of(Recipient.of("a@example.net"), Recipient.of("b@example.net")), null, null,
                BodyType.SEVEN_BIT, false, null, 1, SampleEvents.TIME, SampleEvents.RECEIVED_AT);
        Instant later = SampleEvents.TIME.plusSeconds(900);

        OutboundRequested retry = first.retry("outbound-relay/h", List.of(Recipient.of("b@example.net")), later);

        assertThat(retry.id()).isNotEqualTo(first.id());
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.notBefore()).isEqualTo(later);
        assertThat(retry.recipients()).extracting(Recipient::address).containsExactly("b@example.net");
        assertThat(retry.receivedEventId()).isEqualTo(first.receivedEventId());
        assertThat(retry.kafkaKey()).isEqualTo(first.kafkaKey());
        assertThat(retry.hasNullSender()).isTrue();
        assertThat(retry.receivedAt()).isEqualTo(first.receivedAt());
    }

    @Test
    void retryCannotAddRecipients() {
        OutboundRequested first = SampleEvents.outboundRequested();

        assertThatThrownBy(() -> first.retry("outbound-relay/h", List.of(Recipient.of("mallory@example.net")),
                SampleEvents.TIME)).hasMessageContaining("is not part of event");
    }

    @Test
    void attemptStartsAtOneAndReceivedEventIdIsAnEventId() {
        OutboundRequested sample = SampleEvents.outboundRequested();

        assertThatThrownBy(() -> new OutboundRequested(sample.id(), sample.source(), sample.time(),
                sample.receivedEventId(), sample.message(), sample.reversePath(), sample.domain(), sample.recipients(),
                null, null, BodyType.SEVEN_BIT, false, null, 0, sample.notBefore(), sample.receivedAt()))
                .hasMessageContaining("attempt must be >= 1");
        assertThatThrownBy(() -> new OutboundRequested(sample.id(), sample.source(), sample.time(),
                "msg-1", sample.message(), sample.reversePath(), sample.domain(), sample.recipients(),
                null, null, BodyType.SEVEN_BIT, false, null, 1, sample.notBefore(), sample.receivedAt()))
                .hasMessageContaining("receivedEventId must be a lower-case canonical UUID");
    }
}
