package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import mail.auth.dns.DnsDkimKeyLookup;
import mail.auth.dns.DnsjavaResolver;
import mail.auth.dns.LoopbackDnsServer;
import mail.core.blob.BlobStore;
import mail.core.event.MailReceived;
import mail.core.event.SenderAuthentication;
import mail.message.dkim.DkimAlgorithm;
import mail.message.dkim.DkimResult;
import mail.message.dkim.DkimSigner;
import mail.message.dkim.DkimSigningKey;
import mail.message.dkim.DkimVerifier;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sender authentication on the MX over real SMTP sockets, with SPF, DKIM and DMARC records served by an authoritative
 * DNS server on a loopback port, messages signed by mail-message's DkimSigner, the real object store and Kafka.
 */
@QuarkusTest
@QuarkusTestResource(value = SenderAuthResource.class, restrictToAnnotatedClass = true)
class SenderAuthenticationTest {
    private static final String OURS = "Authentication-Results: mx.test.local;";
    private static final Duration EVENT_WAIT = Duration.ofSeconds(30);
    private static boolean ready;
    private static DkimSigningKey rsa;
    private static DkimSigningKey ed;

    @Inject
    SmtpServer server;
    @Inject
    BlobStore blobs;

    private static LoopbackDnsServer dns() {
        return SenderAuthResource.dns;
    }

    @BeforeEach
    void setUp() throws Exception {
        if (ready) {
            return;
        }
        SmtpTestSupport.publishDirectory(server);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsaPair = g.generateKeyPair();
        KeyPair edPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        rsa = new DkimSigningKey("dkimpass.com", "rsa1", DkimAlgorithm.RSA_SHA256, rsaPair.getPrivate());
        ed = new DkimSigningKey("dkimpass.com", "ed1", DkimAlgorithm.ED25519_SHA256, edPair.getPrivate());
        byte[] spki = edPair.getPublic().getEncoded();
        byte[] rawEd = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        dns().txt("rsa1._domainkey.dkimpass.com", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(rsaPair.getPublic().getEncoded()))
                .txt("ed1._domainkey.dkimpass.com", "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(rawEd))
                .txt("dkimpass.com", "v=spf1 ip4:127.0.0.1 -all")
                .txt("_dmarc.dkimpass.com", "v=DMARC1; p=reject")
                .txt("rejector.com", "v=spf1 ip4:192.0.2.1 -all")
                .txt("_dmarc.rejector.com", "v=DMARC1; p=reject")
                .txt("_dmarc.quarantiner.com", "v=DMARC1; p=quarantine")
                .txt("spffail.com", "v=spf1 ip4:192.0.2.1 -all")
                .txt("softfail.com", "v=spf1 ~all")
                .servfail("spftemp.com");
        ready = true;
    }

    private static byte[] message(String from, String subject, String extraHeaders) {
        return ("From: Sender <" + from + ">\r\n"
                + "To: alice@example.test\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Sun, 29 Nov 2026 12:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@sender.test>\r\n"
                + extraHeaders
                + "\r\n"
                + "Hello Alice,\r\n.a line with a leading dot\r\n\r\nbye\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] signed(byte[] message, DkimSigningKey... keys) throws Exception {
        String fields = new DkimSigner().sign(new ByteArrayInputStream(message), List.of(keys));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(fields.getBytes(StandardCharsets.US_ASCII));
        b.write(message);
        return b.toByteArray();
    }

    private String send(String mailFrom, byte[] message) throws Exception {
        try (RawSmtp smtp = new RawSmtp(server.port(Listener.MX))) {
            return smtp.send("client.example.net", mailFrom, "alice@example.test", message);
        }
    }

    private static MailReceived event(String mailFrom) {
        List<MailReceived> events = SmtpTestSupport.received(e -> e.envelope().reversePath().equals(mailFrom), 1, EVENT_WAIT);
        assertThat(events).as("mail.received of " + mailFrom).hasSize(1);
        return events.get(0);
    }

    private byte[] stored(MailReceived e) throws Exception {
        try (InputStream in = blobs.get(e.message())) {
            return in.readAllBytes();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static long objects() throws Exception {
        var cfg = ConfigProvider.getConfig();
        MinioClient s3 = MinioClient.builder().endpoint(cfg.getValue("mail.s3.endpoint", String.class))
                .credentials(cfg.getValue("mail.s3.access-key", String.class), cfg.getValue("mail.s3.secret-key", String.class))
                .build();
        String bucket = cfg.getOptionalValue("mail.s3.bucket", String.class).orElse("mail-messages");
        long n = 0;
        for (var ignored : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            n++;
        }
        return n;
    }

    @Test
    void aSignedMessagePassesAndIsStoredBehindOurResultsAndTheReceivedField() throws Exception {
        String mailFrom = "bounce-" + UUID.randomUUID() + "@dkimpass.com";
        byte[] message = signed(message("news@dkimpass.com", "signed", ""), rsa, ed);

        assertThat(send(mailFrom, message)).startsWith("250 2.0.0");

        MailReceived e = event(mailFrom);
        assertThat(e.authentication()).isEqualTo(new SenderAuthentication("pass", "pass", "pass", false, null));
        byte[] stored = stored(e);
        String s = text(stored);
        assertThat(s).startsWith(OURS);
        String results = s.substring(0, s.indexOf("\r\nReceived: ") + 2);
        assertThat(results.replace("\r\n\t", " "))
                .contains("spf=pass smtp.mailfrom=" + mailFrom)
                .contains("spf=none smtp.helo=client.example.net")
                .contains("dkim=pass (2048-bit key) header.d=dkimpass.com header.s=rsa1")
                .contains("dkim=pass (256-bit key) header.d=dkimpass.com header.s=ed1")
                .contains("dmarc=pass (p=reject dis=none) header.from=dkimpass.com");
        // our two trace fields, then the client's bytes unchanged
        assertThat(s.substring(results.length())).startsWith("Received: from client.example.net");
        assertThat(Arrays.copyOfRange(stored, stored.length - message.length, stored.length)).isEqualTo(message);
        assertThat(e.message().size()).isEqualTo(stored.length);
        assertThat(e.message().sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)));
        // what IMAP will hand out still verifies: the fields we added are not signed
        var again = new DkimVerifier(new DnsDkimKeyLookup(new DnsjavaResolver(List.of(dns().address()), Duration.ofSeconds(2))))
                .verify(new ByteArrayInputStream(stored));
        assertThat(again.results()).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
    }

    @Test
    void anAlignedDkimPassCarriesDmarcOverAnSpfFail() throws Exception {
        String mailFrom = "list-" + UUID.randomUUID() + "@spffail.com";

        assertThat(send(mailFrom, signed(message("news@dkimpass.com", "forwarded", ""), rsa))).startsWith("250 2.0.0");

        assertThat(event(mailFrom).authentication()).isEqualTo(new SenderAuthentication("fail", "pass", "pass", false, null));
    }

    @Test
    void aForgedFromUnderPRejectIsRefusedAndNothingIsStoredOrPublished() throws Exception {
        long before = objects();
        String mailFrom = "forger-" + UUID.randomUUID() + "@elsewhere.com";
        String otherSigner = "other-" + UUID.randomUUID() + "@spffail.com";
        try (RawSmtp smtp = new RawSmtp(server.port(Listener.MX))) {
            assertThat(smtp.send("client.example.net", mailFrom, "alice@example.test",
                    message("ceo@rejector.com", "urgent wire transfer", ""))).startsWith("550 5.7.1")
                    .contains("DMARC policy of rejector.com");
            // a valid signature of another domain does not align with the From domain
            assertThat(smtp.command("RSET")).startsWith("250");
            assertThat(smtp.command("MAIL FROM:<" + otherSigner + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            DkimSigningKey foreign = new DkimSigningKey("dkimpass.com", "rsa1", DkimAlgorithm.RSA_SHA256, rsa.privateKey());
            assertThat(smtp.data(signed(message("ceo@rejector.com", "signed elsewhere", ""), foreign))).startsWith("550 5.7.1");
            // the session goes on
            assertThat(smtp.command("NOOP")).startsWith("250");
        }
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(mailFrom)
                || e.envelope().reversePath().equals(otherSigner), 0, Duration.ofSeconds(5))).isEmpty();
        assertThat(objects()).isEqualTo(before);
    }

    @Test
    void pQuarantineIsAcceptedAndFlaggedForJunk() throws Exception {
        String mailFrom = "q-" + UUID.randomUUID() + "@elsewhere.com";

        assertThat(send(mailFrom, message("billing@quarantiner.com", "invoice", ""))).startsWith("250 2.0.0");

        MailReceived e = event(mailFrom);
        assertThat(e.authentication()).isEqualTo(new SenderAuthentication("none", "none", "fail", true,
                "DMARC p=quarantine of quarantiner.com"));
        assertThat(e.deliverToJunk()).isTrue();
        assertThat(text(stored(e))).startsWith(OURS).contains("dmarc=fail (p=quarantine dis=quarantine) header.from=quarantiner.com");
    }

    @Test
    void spfFailGoesToJunkSoftfailToTheInboxAndATemporaryErrorIsDeferred() throws Exception {
        String fail = "f-" + UUID.randomUUID() + "@spffail.com";
        String soft = "s-" + UUID.randomUUID() + "@softfail.com";
        String temp = "t-" + UUID.randomUUID() + "@spftemp.com";
        try (RawSmtp smtp = new RawSmtp(server.port(Listener.MX))) {
            assertThat(smtp.send("client.example.net", fail, "alice@example.test", message(fail, "spf fail", "")))
                    .startsWith("250 2.0.0");
            assertThat(smtp.command("MAIL FROM:<" + soft + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            assertThat(smtp.data(message(soft, "spf softfail", ""))).startsWith("250 2.0.0");
            assertThat(smtp.command("MAIL FROM:<" + temp + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            assertThat(smtp.data(message(temp, "spf temperror", ""))).startsWith("451 4.7.24");
        }
        MailReceived failed = event(fail);
        assertThat(failed.authentication()).isEqualTo(new SenderAuthentication("fail", "none", "none", true, "SPF fail of spffail.com"));
        assertThat(text(stored(failed))).startsWith(OURS).contains("spf=fail smtp.mailfrom=" + fail);
        assertThat(event(soft).authentication()).isEqualTo(new SenderAuthentication("softfail", "none", "none", false, null));
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(temp), 0, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void incomingResultsClaimingOurAuthservIdAreRemovedOthersKept() throws Exception {
        String mailFrom = "ar-" + UUID.randomUUID() + "@dkimpass.com";
        byte[] message = message("news@dkimpass.com", "forged results",
                "Authentication-Results: mx.test.local; dmarc=pass header.from=paypal.com\r\n"
                        + "Authentication-Results: MX.TEST.LOCAL (looks like ours);\r\n\tspf=pass smtp.mailfrom=paypal.com\r\n"
                        + "Authentication-Results: upstream.example; spf=pass smtp.mailfrom=x@upstream.example\r\n");

        assertThat(send(mailFrom, message)).startsWith("250 2.0.0");

        String s = text(stored(event(mailFrom)));
        assertThat(s).startsWith(OURS).doesNotContain("paypal.com").doesNotContain("looks like ours")
                .contains("Authentication-Results: upstream.example; spf=pass smtp.mailfrom=x@upstream.example\r\n");
        assertThat(s.split("(?i)authentication-results: mx\\.test\\.local", -1)).hasSize(2);
    }

    @Test
    void bdatChunksAreCheckedToo() throws Exception {
        String mailFrom = "bdat-" + UUID.randomUUID() + "@dkimpass.com";
        byte[] message = signed(message("news@dkimpass.com", "chunked", ""), ed);
        int half = message.length / 2;
        try (RawSmtp smtp = new RawSmtp(server.port(Listener.MX))) {
            assertThat(smtp.command("EHLO client.example.net")).startsWith("250");
            assertThat(smtp.command("MAIL FROM:<" + mailFrom + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(smtp.bdat(Arrays.copyOfRange(message, 0, half), false)).startsWith("250");
            assertThat(smtp.bdat(Arrays.copyOfRange(message, half, message.length), true)).startsWith("250 2.0.0");
        }
        MailReceived e = event(mailFrom);
        assertThat(e.authentication()).isEqualTo(new SenderAuthentication("pass", "pass", "pass", false, null));
        byte[] stored = stored(e);
        assertThat(text(stored)).startsWith(OURS).contains("dkim=pass (256-bit key) header.d=dkimpass.com header.s=ed1");
        assertThat(Arrays.copyOfRange(stored, stored.length - message.length, stored.length)).isEqualTo(message);
    }

    @Test
    void aSilentDnsServerDefersWithinTheTimeoutAndTheSessionCarriesOn() throws Exception {
        String quiet = "quiet-" + UUID.randomUUID() + ".com";
        String mailFrom = "n-" + UUID.randomUUID() + "@" + quiet;
        try (RawSmtp smtp = new RawSmtp(server.port(Listener.MX))) {
            assertThat(smtp.command("EHLO client.example.net")).startsWith("250");
            dns().silence(true);
            long start = System.nanoTime();
            String reply;
            try {
                assertThat(smtp.command("MAIL FROM:<" + mailFrom + ">")).startsWith("250");
                assertThat(smtp.command("RCPT TO:<alice@example.test>")).startsWith("250");
                assertThat(smtp.command("DATA")).startsWith("354");
                reply = smtp.data(message("someone@" + quiet, "no dns", ""));
            } finally {
                dns().silence(false);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(reply).startsWith("451 4.7.");
            // bounded by mail.smtp.auth-checks.timeout (2 s) plus the SMTP round trips, never a hang
            assertThat(ms).isLessThan(15_000);
            String after = "after-" + UUID.randomUUID() + "@dkimpass.com";
            assertThat(smtp.command("MAIL FROM:<" + after + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<alice@example.test>")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            assertThat(smtp.data(signed(message("news@dkimpass.com", "dns is back", ""), rsa))).startsWith("250 2.0.0");
        }
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().equals(mailFrom), 0, Duration.ofSeconds(3))).isEmpty();
    }
}
