package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import mail.core.abuse.RateCounters;
import mail.core.abuse.SharedRateLimits.Limit;
import mail.core.event.MailReceived;
import mail.smtp.abuse.RateLimitPolicy;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection and message rates per client address and per account, counted in MongoDB: each limit gives its reply,
 * a refused message is not published, other addresses and accounts are not affected, and what another instance
 * counted (a second {@link RateCounters} on the same database) counts here too. Each test uses client addresses of
 * its own (sockets bound to 127.0.0.x).
 */
@QuarkusTest
@QuarkusTestResource(value = RateLimitResource.class, restrictToAnnotatedClass = true)
class RateLimitTest {
    static final String PASSWORD = "rate-Secret-123";
    private static boolean prepared;

    @Inject
    SmtpServer server;
    @Inject
    MongoDatabase db;
    @Inject
    MeterRegistry meters;

    final RateLimitPolicy policy = new RateLimitPolicy(new RateLimitPolicy.Settings(3, 4, 2, 3, 5, 4, 10, List.of("192.0.2.0/24")));

    @BeforeEach
    void prepare() throws Exception {
        // counts of an earlier run of this class in the same infrastructure must not count now
        db.getCollection(RateCounters.COLLECTION).deleteMany(new Document());
        if (!prepared) {
            SmtpTestSupport.publishDirectory(server);
            KeycloakUsers users = new KeycloakUsers(SharedInfra.require("keycloak"));
            users.ensureMailUser("alice@example.test", PASSWORD);
            users.ensureMailUser("bob@example.test", PASSWORD);
            prepared = true;
        }
    }

    @Test
    void connectionsOverTheMxLimitAreRefusedAtTheGreetingAndClosed() throws Exception {
        int port = server.port(Listener.MX);
        for (int i = 0; i < 3; i++) {
            try (LineClient c = LineClient.connect("127.0.0.31", port, false)) {
                assertThat(c.greeting).startsWith("220 ");
            }
        }
        double before = rejections("connection_rate");
        try (LineClient c = LineClient.connect("127.0.0.31", port, false)) {
            assertThat(c.greeting).isEqualTo("421 4.7.0 mx.test.local Too many connections from your address per minute, try again later");
            assertThat(c.reply()).isNull();
        }
        assertThat(rejections("connection_rate")).isEqualTo(before + 1);
        // another address, and the same address on submission, are counted apart
        try (LineClient c = LineClient.connect("127.0.0.32", port, false)) {
            assertThat(c.greeting).startsWith("220 ");
        }
        try (LineClient c = LineClient.connect("127.0.0.31", server.port(Listener.SUBMISSIONS), true)) {
            assertThat(c.greeting).startsWith("220 ");
        }
    }

    @Test
    void connectionsCountedByAnotherInstanceCountHere() throws Exception {
        RateCounters otherInstance = new RateCounters(db);
        Limit limit = policy.connection(Listener.SUBMISSION, InetAddress.getByName("127.0.0.33")).orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertThat(otherInstance.tryCharge(limit.key(), limit.window(), limit.max(), 1, Instant.now())).isTrue();
        }
        int port = server.port(Listener.SUBMISSIONS);
        try (LineClient c = LineClient.connect("127.0.0.33", port, true)) {
            assertThat(c.greeting).startsWith("220 ");
        }
        try (LineClient c = LineClient.connect("127.0.0.33", port, true)) {
            assertThat(c.greeting).startsWith("421 4.7.0 ");
        }
        // and this instance's connections count there
        assertThat(otherInstance.usage(limit.key(), limit.window(), Instant.now())).isEqualTo(4);
    }

    @Test
    void messagesOverTheMxLimitPerAddressAreRefusedAtMailAndNotPublished() throws Exception {
        String marker = "mx-rate-" + UUID.randomUUID();
        int port = server.port(Listener.MX);
        double before = rejections("ip_message_rate");
        try (LineClient c = LineClient.connect("127.0.0.34", port, false)) {
            RawSmtp.expect(c.command("EHLO sender.example.net"), "250");
            for (int i = 0; i < 2; i++) {
                RawSmtp.expect(c.command("MAIL FROM:<someone@sender.example.net> ENVID=" + marker), "250");
                RawSmtp.expect(c.command("RCPT TO:<bob@example.test>"), "250");
                RawSmtp.expect(c.data("someone@sender.example.net", marker), "250");
            }
            assertThat(c.command("MAIL FROM:<someone@sender.example.net> ENVID=" + marker))
                    .isEqualTo("450 4.7.1 Too many messages from your address (limit 2 per hour), try again later");
            // the transaction was not started
            assertThat(c.command("RCPT TO:<bob@example.test>")).startsWith("503 5.5.1");
        }
        assertThat(rejections("ip_message_rate")).isEqualTo(before + 1);
        try (LineClient c = LineClient.connect("127.0.0.35", port, false)) {
            RawSmtp.expect(c.command("EHLO other.example.net"), "250");
            RawSmtp.expect(c.command("MAIL FROM:<someone@other.example.net> ENVID=" + marker), "250");
            RawSmtp.expect(c.command("RCPT TO:<bob@example.test>"), "250");
            RawSmtp.expect(c.data("someone@other.example.net", marker), "250");
        }
        List<MailReceived> published = SmtpTestSupport.received(e -> marker.equals(e.envelope().envId()), 4, Duration.ofSeconds(15));
        assertThat(published).extracting(e -> e.connection().clientIp()).containsExactlyInAnyOrder("127.0.0.34", "127.0.0.34", "127.0.0.35");
    }

    @Test
    void anAccountOverItsHourlyMessageLimitGetsATemporaryRefusalWhileOthersSubmit() throws Exception {
        String marker = "acct-rate-" + UUID.randomUUID();
        int port = server.port(Listener.SUBMISSIONS);
        double before = rejections("account_message_rate");
        try (LineClient c = LineClient.submitter("127.0.0.36", port, "alice@example.test", PASSWORD)) {
            for (int i = 0; i < 3; i++) {
                submit(c, "alice@example.test", marker, "rate-friend@elsewhere.example");
            }
            assertThat(c.command("MAIL FROM:<alice@example.test> ENVID=" + marker))
                    .isEqualTo("450 4.7.1 Too many messages from this account (limit 3 per hour), try again later");
        }
        // from another address too: the account is limited, not the address
        try (LineClient c = LineClient.submitter("127.0.0.37", port, "alice@example.test", PASSWORD)) {
            assertThat(c.command("MAIL FROM:<alice@example.test> ENVID=" + marker)).startsWith("450 4.7.1 ");
        }
        try (LineClient c = LineClient.submitter("127.0.0.36", port, "bob@example.test", PASSWORD)) {
            submit(c, "bob@example.test", marker, "rate-friend@elsewhere.example");
        }
        assertThat(rejections("account_message_rate")).isEqualTo(before + 2);
        List<MailReceived> published = SmtpTestSupport.received(e -> marker.equals(e.envelope().envId()), 5, Duration.ofSeconds(15));
        assertThat(published).extracting(e -> e.connection().authenticatedUser())
                .containsExactlyInAnyOrder("alice@example.test", "alice@example.test", "alice@example.test", "bob@example.test");
    }

    @Test
    void theDailyLimitCountsWhatAnotherInstanceCharged() throws Exception {
        String marker = "acct-day-" + UUID.randomUUID();
        Limit day = policy.accountMessages("alice@example.test").get(1);
        assertThat(day.window()).isEqualTo(Duration.ofDays(1));
        new RateCounters(db).charge(day.key(), day.window(), 4, Instant.now());
        try (LineClient c = LineClient.submitter("127.0.0.38", server.port(Listener.SUBMISSIONS), "alice@example.test", PASSWORD)) {
            submit(c, "alice@example.test", marker, "rate-friend@elsewhere.example");
            assertThat(c.command("MAIL FROM:<alice@example.test> ENVID=" + marker))
                    .isEqualTo("450 4.7.1 Too many messages from this account (limit 5 per day), try again later");
        }
    }

    @Test
    void recipientsOverTheAccountLimitAreRefusedWhileTheAcceptedOnesAreDelivered() throws Exception {
        String marker = "rcpt-rate-" + UUID.randomUUID();
        double before = rejections("account_recipient_rate");
        try (LineClient c = LineClient.submitter("127.0.0.39", server.port(Listener.SUBMISSIONS), "bob@example.test", PASSWORD)) {
            submit(c, "bob@example.test", marker, "rate-r1@elsewhere.example", "rate-r2@elsewhere.example", "rate-r3@elsewhere.example");
            RawSmtp.expect(c.command("MAIL FROM:<bob@example.test> ENVID=" + marker), "250");
            RawSmtp.expect(c.command("RCPT TO:<rate-r4@elsewhere.example>"), "250");
            // the same recipient again is no new recipient
            RawSmtp.expect(c.command("RCPT TO:<rate-r4@elsewhere.example>"), "250");
            assertThat(c.command("RCPT TO:<rate-r5@elsewhere.example>"))
                    .isEqualTo("450 4.7.1 Too many recipients from this account (limit 4 per hour), try again later");
            RawSmtp.expect(c.data("bob@example.test", marker), "250");
            // the next message has no room for any recipient
            RawSmtp.expect(c.command("MAIL FROM:<bob@example.test> ENVID=" + marker), "250");
            assertThat(c.command("RCPT TO:<rate-r6@elsewhere.example>")).startsWith("450 4.7.1 ");
        }
        assertThat(rejections("account_recipient_rate")).isEqualTo(before + 2);
        List<MailReceived> published = SmtpTestSupport.received(e -> marker.equals(e.envelope().envId()), 3, Duration.ofSeconds(15));
        assertThat(published).hasSize(2);
        assertThat(published).flatExtracting(e -> e.envelope().recipients()).extracting(r -> r.address())
                .containsExactlyInAnyOrder("rate-r1@elsewhere.example", "rate-r2@elsewhere.example", "rate-r3@elsewhere.example", "rate-r4@elsewhere.example");
    }

    private static void submit(LineClient c, String from, String marker, String... to) throws Exception {
        RawSmtp.expect(c.command("MAIL FROM:<" + from + "> ENVID=" + marker), "250");
        for (String t : to) {
            RawSmtp.expect(c.command("RCPT TO:<" + t + ">"), "250");
        }
        RawSmtp.expect(c.data(from, marker), "250");
    }

    private double rejections(String kind) {
        return meters.counter("smtp.abuse.rejections", "kind", kind).count();
    }
}
