package mail.delivery.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import mail.core.directory.DirectoryState;
import mail.core.event.BodyType;
import mail.core.event.ConnectionInfo;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.DsnNotify;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.ReceivedProtocol;
import mail.core.event.Recipient;
import mail.core.event.SmtpEnvelope;
import org.junit.jupiter.api.Test;

/** The plan for an envelope over a directory held in memory (DirectoryState is the real implementation). */
class RecipientPlannerTest {
    private final DirectoryState directory = new DirectoryState();
    private final RecipientPlanner planner = new RecipientPlanner(directory);
    private long revision;

    RecipientPlannerTest() {
        apply(new DirectorySnapshot.Domain("example.test", List.of("alias.test")));
        apply(new DirectorySnapshot.Account("alice@example.test", "a1", null, 0, true));
        apply(new DirectorySnapshot.Account("bob@example.test", "b1", null, 0, true));
        apply(new DirectorySnapshot.Account("dave@example.test", "d1", null, 0, false));
        apply(new DirectorySnapshot.Group("team@example.test", List.of("alice@example.test", "bob@example.test", "out@remote.test")));
        apply(new DirectorySnapshot.Group("loop@example.test", List.of("loop@example.test")));
    }

    private void apply(DirectorySnapshot s) {
        directory.apply(DirectoryChanged.upserted("test", ++revision, s));
    }

    private static MailReceived event(String authenticatedUser, Recipient... rcpts) {
        ConnectionInfo conn = new ConnectionInfo("127.0.0.1", "client.test", authenticatedUser,
                authenticatedUser == null ? ReceivedProtocol.ESMTP : ReceivedProtocol.ESMTPA, null, null, "gw", Instant.now());
        return MailReceived.create("test", MessageRef.of("a".repeat(64), 10),
                new SmtpEnvelope("sender@remote.test", List.of(rcpts), null, null, BodyType.SEVEN_BIT, false, null), conn);
    }

    @Test
    void eachAccountOnceWithTheRecipientsThatLedThere() {
        DeliveryPlan plan = planner.plan(event(null, Recipient.of("team@example.test"), Recipient.of("ALICE+x@alias.test")));
        assertThat(plan.local()).extracting(t -> t.account().accountId()).containsExactly("a1", "b1");
        assertThat(plan.local().get(0).via()).extracting(Recipient::address).containsExactly("team@example.test", "ALICE+x@alias.test");
        assertThat(plan.failures()).isEmpty();
        // a group's remote member is forwarding: relayed without an originating account, ORCPT naming the group
        assertThat(plan.remote()).singleElement().satisfies(b -> {
            assertThat(b.domain()).isEqualTo("remote.test");
            assertThat(b.originatingAccount()).isNull();
            assertThat(b.recipients()).singleElement().satisfies(r -> assertThat(r.orcpt().address()).isEqualTo("team@example.test"));
        });
    }

    @Test
    void failuresGetTheirStatusCodes() {
        Recipient never = new Recipient("nobody@example.test", Set.of(DsnNotify.NEVER), null);
        DeliveryPlan plan = planner.plan(event(null, never, Recipient.of("dave@example.test"), Recipient.of("loop@example.test"),
                Recipient.of("x@remote.test")));
        assertThat(plan.local()).isEmpty();
        assertThat(plan.remote()).isEmpty();
        assertThat(plan.failures()).extracting(DeliveryPlan.Failure::status).containsExactly("5.1.1", "5.2.1", "5.1.1", "5.7.1");
        assertThat(plan.failures()).extracting(DeliveryPlan.Failure::reason).containsExactly("unknown", "disabled", "unknown", "relay");
        assertThat(plan.failures().get(0).recipient()).isSameAs(never);
    }

    @Test
    void authenticatedRemoteRecipientsAreGroupedPerDomainOnceEach() {
        DeliveryPlan plan = planner.plan(event("alice@example.test", Recipient.of("x@remote.test"), Recipient.of("Y@REMOTE.test"),
                Recipient.of("z@other.test")));
        assertThat(plan.remote()).extracting(DeliveryPlan.RemoteBatch::domain).containsExactly("remote.test", "other.test");
        assertThat(plan.remote()).allSatisfy(b -> assertThat(b.originatingAccount()).isEqualTo("a1"));
        assertThat(plan.remote().get(0).recipients()).extracting(Recipient::address).containsExactly("x@remote.test", "Y@REMOTE.test");
    }
}
