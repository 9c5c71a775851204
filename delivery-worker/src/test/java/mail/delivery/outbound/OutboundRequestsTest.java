package mail.delivery.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import mail.core.event.BodyType;
import mail.core.event.ConnectionInfo;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.ReceivedProtocol;
import mail.core.event.Recipient;
import mail.core.event.SmtpEnvelope;
import mail.delivery.resolve.DeliveryPlan.RemoteBatch;
import org.junit.jupiter.api.Test;

class OutboundRequestsTest {
    private final OutboundRequests requests = new OutboundRequests("test");

    private static MailReceived event() {
        ConnectionInfo conn = new ConnectionInfo("127.0.0.1", "c", null, ReceivedProtocol.ESMTP, null, null, "gw", Instant.now());
        return MailReceived.create("test", MessageRef.of("b".repeat(64), 5),
                new SmtpEnvelope("s@example.test", List.of(Recipient.of("x@remote.test")), null, "env1", BodyType.SEVEN_BIT, false, null), conn);
    }

    @Test
    void theIdDependsOnTheEventAndTheRecipientSetNotOnTheirOrder() {
        MailReceived e = event();
        OutboundRequested one = requests.forBatch(e, new RemoteBatch("remote.test", null,
                List.of(Recipient.of("x@remote.test"), Recipient.of("y@remote.test"))));
        OutboundRequested again = requests.forBatch(e, new RemoteBatch("remote.test", null,
                List.of(Recipient.of("Y@remote.test"), Recipient.of("x@remote.test"))));
        OutboundRequested other = requests.forBatch(event(), new RemoteBatch("remote.test", null,
                List.of(Recipient.of("x@remote.test"), Recipient.of("y@remote.test"))));
        assertThat(again.id()).isEqualTo(one.id()).matches("[0-9a-f-]{36}");
        assertThat(other.id()).isNotEqualTo(one.id());
        assertThat(one.receivedEventId()).isEqualTo(e.id());
        assertThat(one.envId()).isEqualTo("env1");
    }

    @Test
    void aDsnGoesOutWithTheNullSender() {
        MailReceived e = event();
        OutboundRequested dsn = requests.forDsn(e, "dsn-id", MessageRef.of("c".repeat(64), 9), "s@example.test", false);
        assertThat(dsn.hasNullSender()).isTrue();
        assertThat(dsn.domain()).isEqualTo("example.test");
        assertThat(dsn.id()).isEqualTo(requests.forDsn(e, "dsn-id", MessageRef.of("c".repeat(64), 9), "s@example.test", false).id());
    }
}
