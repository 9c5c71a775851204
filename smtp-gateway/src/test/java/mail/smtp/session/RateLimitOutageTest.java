package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import mail.core.event.MailReceived;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.RestartableMongo;
import org.junit.jupiter.api.Test;

/** Rate limits fail open: with MongoDB down, mail over every limit is accepted, and the failures are counted. */
@QuarkusTest
@QuarkusTestResource(value = RestartableMongo.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "mail.mongo.timeout", value = "1s"),
        @ResourceArg(name = "mail.smtp.rate-limits.enabled", value = "true"),
        @ResourceArg(name = "mail.smtp.rate-limits.exempt", value = "192.0.2.0/24"),
        @ResourceArg(name = "mail.smtp.rate-limits.mx-connections-per-minute", value = "1"),
        @ResourceArg(name = "mail.smtp.rate-limits.mx-messages-per-hour", value = "1"),
        // longer than MongoDB's own timeout: with MongoDB down the driver's error lets mail through, and with it up
        // a first question on a cold connection pool of a loaded machine is still answered
        @ResourceArg(name = "mail.smtp.rate-limits.timeout", value = "3s"),
        @ResourceArg(name = "mail.smtp.rate-limits.backoff", value = "2s")})
class RateLimitOutageTest {
    @Inject
    SmtpServer server;
    @Inject
    MeterRegistry meters;

    @Test
    void mailIsAcceptedOverEveryLimitWhileTheCountersAreDown() throws Exception {
        SmtpTestSupport.publishDirectory(server);
        String marker = "rate-outage-" + UUID.randomUUID();
        int port = server.port(Listener.MX);
        // the limits hold while MongoDB is up
        try (LineClient c = LineClient.connect("127.0.0.51", port, false)) {
            RawSmtp.expect(c.greeting, "220");
            RawSmtp.expect(c.command("EHLO up.example.net"), "250");
            send(c, marker);
            assertThat(c.command("MAIL FROM:<someone@up.example.net>")).startsWith("450 4.7.1 ");
        }
        double failuresBefore = storeFailures();
        RestartableMongo.down();
        try {
            for (int connection = 0; connection < 3; connection++) {
                try (LineClient c = LineClient.connect("127.0.0.52", port, false)) {
                    RawSmtp.expect(c.greeting, "220");
                    RawSmtp.expect(c.command("EHLO down.example.net"), "250");
                    send(c, marker);
                    send(c, marker);
                }
            }
        } finally {
            RestartableMongo.up();
        }
        assertThat(storeFailures()).isGreaterThan(failuresBefore);
        List<MailReceived> published = SmtpTestSupport.received(e -> marker.equals(e.envelope().envId()), 7, Duration.ofSeconds(20));
        assertThat(published).extracting(e -> e.connection().clientIp()).filteredOn("127.0.0.52"::equals).hasSize(6);
    }

    private static void send(LineClient c, String marker) throws Exception {
        RawSmtp.expect(c.command("MAIL FROM:<someone@example.net> ENVID=" + marker), "250");
        RawSmtp.expect(c.command("RCPT TO:<bob@example.test>"), "250");
        RawSmtp.expect(c.data("someone@example.net", marker), "250");
    }

    private double storeFailures() {
        return meters.get("smtp.abuse.rate.store.failures").functionCounter().count();
    }
}
