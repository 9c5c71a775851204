package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import mail.auth.dns.LoopbackDnsServer;
import mail.core.event.MailReceived;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;

/**
 * DNS blocklists on the MX, answered by a DNS server on loopback: a listed client is refused at RCPT with 554 5.7.1
 * naming the zone, except for postmaster (RFC 5321 §4.5.1); a client listed nowhere, or whose lookups time out,
 * is accepted. Each test's client has an address of its own (sockets bound to 127.0.0.x).
 */
@QuarkusTest
@QuarkusTestResource(value = DnsblResource.class, restrictToAnnotatedClass = true)
class DnsblRejectionTest {
    private static boolean prepared;

    @Inject
    SmtpServer server;
    @Inject
    MeterRegistry meters;

    @BeforeEach
    void prepare() throws Exception {
        if (!prepared) {
            SmtpTestSupport.publishDirectory(server);
            listed("127.0.0.41", "bl.test.example", "127.0.0.2");
            listed("127.0.0.44", "second.test.example", "127.0.0.10");
            // what a large list answers to a query through a public resolver: no listing
            listed("127.0.0.45", "bl.test.example", "127.255.255.254");
            DnsblResource.dns.silent("43.0.0.127.bl.test.example");
            DnsblResource.dns.silent("43.0.0.127.second.test.example");
            prepared = true;
        }
    }

    @Test
    void aListedClientIsRefusedAtRcptWithTheZoneNamedAndNothingIsPublished() throws Exception {
        String marker = "dnsbl-" + UUID.randomUUID();
        double before = meters.counter("smtp.abuse.rejections", "kind", "dnsbl").count();
        try (LineClient c = LineClient.connect("127.0.0.41", server.port(Listener.MX), false)) {
            RawSmtp.expect(c.greeting, "220");
            RawSmtp.expect(c.command("EHLO listed.example.net"), "250");
            RawSmtp.expect(c.command("MAIL FROM:<spam@listed.example.net> ENVID=" + marker), "250");
            assertThat(c.command("RCPT TO:<alice@example.test>"))
                    .isEqualTo("554 5.7.1 Service unavailable; client host [127.0.0.41] blocked using bl.test.example");
            assertThat(c.command("DATA")).startsWith("554 5.5.1");
        }
        try (LineClient c = LineClient.connect("127.0.0.44", server.port(Listener.MX), false)) {
            RawSmtp.expect(c.command("EHLO listed.example.net"), "250");
            RawSmtp.expect(c.command("MAIL FROM:<spam@listed.example.net> ENVID=" + marker), "250");
            assertThat(c.command("RCPT TO:<alice@example.test>"))
                    .isEqualTo("554 5.7.1 Service unavailable; client host [127.0.0.44] blocked using second.test.example");
        }
        assertThat(meters.counter("smtp.abuse.rejections", "kind", "dnsbl").count()).isEqualTo(before + 2);
        assertThat(SmtpTestSupport.received(e -> marker.equals(e.envelope().envId()), 0, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void aListedClientMayStillWriteToPostmaster() throws Exception {
        String marker = "dnsbl-postmaster-" + UUID.randomUUID();
        try (LineClient c = LineClient.connect("127.0.0.41", server.port(Listener.MX), false)) {
            RawSmtp.expect(c.command("EHLO listed.example.net"), "250");
            RawSmtp.expect(c.command("MAIL FROM:<admin@listed.example.net> ENVID=" + marker), "250");
            assertThat(c.command("RCPT TO:<Postmaster>")).startsWith("250 ");
            // postmaster@ a local domain gets past the blocklist; the directory then answers as for anyone
            assertThat(c.command("RCPT TO:<postmaster@example.test>")).doesNotStartWith("554");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("554 5.7.1 ");
            RawSmtp.expect(c.data("admin@listed.example.net", marker), "250");
        }
        List<MailReceived> published = SmtpTestSupport.received(e -> marker.equals(e.envelope().envId()), 1, Duration.ofSeconds(15));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).envelope().recipients()).extracting(r -> r.address()).doesNotContain("alice@example.test");
    }

    @Test
    void clientsListedNowhereOrAnsweredWithARefusedQueryCodeAreAccepted() throws Exception {
        for (String ip : List.of("127.0.0.42", "127.0.0.45")) {
            try (LineClient c = LineClient.connect(ip, server.port(Listener.MX), false)) {
                RawSmtp.expect(c.command("EHLO clean.example.net"), "250");
                RawSmtp.expect(c.command("MAIL FROM:<someone@clean.example.net>"), "250");
                assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
            }
        }
    }

    @Test
    void aBlocklistThatDoesNotAnswerIsTakenAsNotListing() throws Exception {
        double before = meters.counter("smtp.abuse.dnsbl.unanswered", "zone", "bl.test.example").count();
        try (LineClient c = LineClient.connect("127.0.0.43", server.port(Listener.MX), false)) {
            RawSmtp.expect(c.command("EHLO slow.example.net"), "250");
            RawSmtp.expect(c.command("MAIL FROM:<someone@slow.example.net>"), "250");
            assertThat(c.command("RCPT TO:<alice@example.test>")).startsWith("250 ");
        }
        assertThat(meters.counter("smtp.abuse.dnsbl.unanswered", "zone", "bl.test.example").count()).isEqualTo(before + 1);
    }

    private static void listed(String client, String zone, String answer) throws Exception {
        String[] o = client.split("\\.");
        String name = o[3] + "." + o[2] + "." + o[1] + "." + o[0] + "." + zone;
        DnsblResource.dns.add(new ARecord(LoopbackDnsServer.name(name), DClass.IN, 60, InetAddress.getByName(answer)));
    }
}
