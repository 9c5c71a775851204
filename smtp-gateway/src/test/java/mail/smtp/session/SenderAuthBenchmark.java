package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import mail.message.dkim.DkimAlgorithm;
import mail.message.dkim.DkimSigner;
import mail.message.dkim.DkimSigningKey;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import org.junit.jupiter.api.Test;

/**
 * Not part of the build's test run (surefire does not pick up *Benchmark): messages per second through the MX with
 * sender authentication on (SPF pass, DKIM pass, DMARC pass, every answer from the loopback DNS server). Its twin
 * {@link SenderAuthOffBenchmark} sends the same messages with the checks off. Run both with
 * {@code ./mvnw -B -ntp -pl smtp-gateway verify -Dtest='SenderAuth*Benchmark' -Dbench.clients=4 -Dbench.messages=100}.
 */
@QuarkusTest
@QuarkusTestResource(value = SenderAuthResource.class, restrictToAnnotatedClass = true)
class SenderAuthBenchmark {
    @Inject
    SmtpServer server;

    @Test
    void checksOn() throws Exception {
        run(server, "on");
    }

    static void run(SmtpServer server, String label) throws Exception {
        SmtpTestSupport.publishDirectory(server);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        DkimSigningKey key = new DkimSigningKey("bench-signed.com", "rsa1", DkimAlgorithm.RSA_SHA256, pair.getPrivate());
        if (SenderAuthResource.dns != null) {
            SenderAuthResource.dns.txt("rsa1._domainkey.bench-signed.com", "v=DKIM1; k=rsa; p="
                            + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()))
                    .txt("bench-signed.com", "v=spf1 ip4:127.0.0.1 -all")
                    .txt("_dmarc.bench-signed.com", "v=DMARC1; p=reject");
        }
        StringBuilder body = new StringBuilder();
        while (body.length() < 10_000) {
            body.append("The quick brown fox jumps over the lazy dog, again and again.\r\n");
        }
        DkimSigner signer = new DkimSigner();
        MxLoad.Message message = () -> {
            byte[] m = ("From: <news@bench-signed.com>\r\nTo: alice@example.test\r\nSubject: bench\r\n"
                    + "Message-ID: <" + UUID.randomUUID() + "@bench>\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(signer.sign(new ByteArrayInputStream(m), List.of(key)).getBytes(StandardCharsets.US_ASCII));
            b.write(m);
            return b.toByteArray();
        };
        int clients = Integer.getInteger("bench.clients", 4);
        int perClient = Integer.getInteger("bench.messages", 100) / clients;
        int port = server.port(Listener.MX);
        MxLoad.run(port, clients, 5, "bench-signed.com", message);
        MxLoad.Result r = MxLoad.run(port, clients, perClient, "bench-signed.com", message);
        System.out.printf("MX-BENCH checks %s: %d messages (%d refused) from %d clients in %d ms = %.1f msg/s%n",
                label, r.messages(), r.refused(), clients, r.millis(), r.perSecond());
        assertThat(r.refused()).isZero();
    }
}
