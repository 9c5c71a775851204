package mail.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import mail.core.event.BodyType;
import mail.core.event.DsnNotify;
import mail.core.event.DsnReturn;
import mail.core.event.OriginalRecipient;
import mail.core.event.Recipient;
import mail.protocol.tls.TlsMaterial;
import mail.relay.ScriptedSmtpServer;
import mail.relay.queue.RecipientState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmtpClientTest {
    private static final byte[] BODY = ("From: <a@example.test>\r\nSubject: hi\r\n\r\n.leading dot\r\nline\r\n..two dots\r\n.\r\nend")
            .getBytes(StandardCharsets.UTF_8);

    private final ScriptedSmtpServer server;
    private SmtpClient client;

    SmtpClientTest() throws IOException {
        server = new ScriptedSmtpServer();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private static SmtpSettings settings(SSLContext verifying) {
        Duration t = Duration.ofSeconds(5);
        return new SmtpSettings("relay.test", t, t, t, t, t, t, verifying, 2, Duration.ofSeconds(30));
    }

    private SmtpClient client() throws Exception {
        client = new SmtpClient(settings(SSLContext.getDefault()));
        return client;
    }

    private Destination dest(boolean requireTls) {
        return new Destination("127.0.0.1", "127.0.0.1", server.port(), requireTls, Optional.empty());
    }

    private static MailTransaction tx(String from, List<Recipient> rcpts, BodyType type, boolean utf8, byte[] body) {
        return new MailTransaction(from, rcpts, type, utf8, body.length, null, null, () -> new ByteArrayInputStream(body));
    }

    private static MailTransaction tx(Recipient... rcpts) {
        return tx("a@example.test", List.of(rcpts), BodyType.SEVEN_BIT, false, BODY);
    }

    @Test
    void oneTransactionForAllRecipientsWithPerRecipientResultsAndDotStuffing() throws Exception {
        server.rcptReply = a -> a.startsWith("bad") ? "550 5.1.1 no such user" : a.startsWith("later") ? "451 4.3.0 try later" : "250 2.1.5 ok";
        List<RecipientResult> r = client().send(dest(false), tx(Recipient.of("good@example.net"), Recipient.of("bad@example.net"),
                Recipient.of("later@example.net")));
        assertThat(r).extracting(x -> x.recipient().address() + "=" + x.state()).containsExactlyInAnyOrder(
                "good@example.net=DELIVERED", "bad@example.net=FAILED", "later@example.net=PENDING");
        assertThat(r).filteredOn(x -> x.state() == RecipientState.FAILED).first()
                .satisfies(x -> {
                    assertThat(x.reply()).contains("550 5.1.1 no such user");
                    assertThat(x.status()).isEqualTo("5.1.1");
                });
        assertThat(server.messages).hasSize(1);
        assertThat(server.messages.get(0).rcpts()).containsExactly("good@example.net");
        // the receiver undid the stuffing: the bytes arrive as stored, with a final CRLF added
        assertThat(server.messages.get(0).text()).isEqualTo(new String(BODY, StandardCharsets.UTF_8) + "\r\n");
        // pipelined: MAIL and every RCPT went before any reply was read, and DATA only after
        assertThat(server.commands).filteredOn(c -> c.startsWith("MAIL") || c.startsWith("RCPT") || c.equals("DATA")).hasSize(5);
    }

    @Test
    void bareLineFeedsBecomeCrlf() throws Exception {
        byte[] lf = "Subject: x\n\nbody\n.dot\n".getBytes(StandardCharsets.US_ASCII);
        client().send(dest(false), tx("a@example.test", List.of(Recipient.of("b@example.net")), BodyType.SEVEN_BIT, false, lf));
        assertThat(server.messages.get(0).text()).isEqualTo("Subject: x\r\n\r\nbody\r\n.dot\r\n");
    }

    @Test
    void dsnAndSizeAndBodyParametersArePassedOn() throws Exception {
        Recipient r = new Recipient("b@example.net", Set.of(DsnNotify.FAILURE, DsnNotify.DELAY), OriginalRecipient.rfc822("b+x=y@example.net"));
        MailTransaction t = new MailTransaction("a@example.test", List.of(r), BodyType.EIGHT_BIT_MIME, false, BODY.length,
                DsnReturn.HDRS, "ENV 1", () -> new ByteArrayInputStream(BODY));
        client().send(dest(false), t);
        ScriptedSmtpServer.Received m = server.messages.get(0);
        assertThat(m.mailCommand()).isEqualTo("MAIL FROM:<a@example.test> SIZE=" + BODY.length + " BODY=8BITMIME RET=HDRS ENVID=ENV+201");
        assertThat(m.rcptCommands().get(0)).isEqualTo("RCPT TO:<b@example.net> NOTIFY=DELAY,FAILURE ORCPT=rfc822;b+2Bx+3Dy@example.net");
    }

    @Test
    void aMessageLargerThanTheServersSizeFailsPermanentlyWithoutSending() throws Exception {
        server.extensions = List.of("PIPELINING", "SIZE 10");
        List<RecipientResult> r = client().send(dest(false), tx(Recipient.of("b@example.net")));
        assertThat(r.get(0).state()).isEqualTo(RecipientState.FAILED);
        assertThat(r.get(0).status()).isEqualTo("5.3.4");
        assertThat(server.messages).isEmpty();
        assertThat(server.commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void eightBitToASevenBitServerFailsPermanently() throws Exception {
        server.extensions = List.of("PIPELINING");
        byte[] latin = "Subject: caf\u00e9\r\n\r\nna\u00efve\r\n".getBytes(StandardCharsets.UTF_8);
        List<RecipientResult> r = client().send(dest(false), tx("a@example.test", List.of(Recipient.of("b@example.net")),
                BodyType.EIGHT_BIT_MIME, false, latin));
        assertThat(r.get(0).state()).isEqualTo(RecipientState.FAILED);
        assertThat(r.get(0).status()).isEqualTo("5.6.3");
        assertThat(server.messages).isEmpty();
    }

    @Test
    void aMessageDeclared8BitButPlainAsciiGoesToASevenBitServerWithoutBody() throws Exception {
        server.extensions = List.of("PIPELINING");
        List<RecipientResult> r = client().send(dest(false), tx("a@example.test", List.of(Recipient.of("b@example.net")),
                BodyType.EIGHT_BIT_MIME, false, BODY));
        assertThat(r.get(0).state()).isEqualTo(RecipientState.DELIVERED);
        assertThat(server.messages.get(0).mailCommand()).isEqualTo("MAIL FROM:<a@example.test>");
    }

    @Test
    void utf8EnvelopeNeedsSmtputf8OnlyTheUtf8RecipientFails() throws Exception {
        server.extensions = List.of("PIPELINING", "8BITMIME");
        List<RecipientResult> r = client().send(dest(false), tx(Recipient.of("jürgen@example.net"), Recipient.of("plain@example.net")));
        assertThat(r).extracting(x -> x.recipient().address() + "=" + x.state() + "/" + x.status()).containsExactlyInAnyOrder(
                "jürgen@example.net=FAILED/5.6.7", "plain@example.net=DELIVERED/2.0.0");
        assertThat(server.messages.get(0).rcpts()).containsExactly("plain@example.net");
    }

    @Test
    void aUtf8SenderWithoutSmtputf8FailsEveryRecipient() throws Exception {
        server.extensions = List.of("8BITMIME");
        List<RecipientResult> r = client().send(dest(false), tx("jürgen@example.test", List.of(Recipient.of("b@example.net")),
                BodyType.SEVEN_BIT, true, BODY));
        assertThat(r.get(0).state()).isEqualTo(RecipientState.FAILED);
        assertThat(server.messages).isEmpty();
    }

    @Test
    void utf8IsSentWithTheSmtputf8Parameter() throws Exception {
        client().send(dest(false), tx("jürgen@example.test", List.of(Recipient.of("zoë@example.net")), BodyType.EIGHT_BIT_MIME, true, BODY));
        assertThat(server.messages.get(0).mailCommand()).contains("SMTPUTF8").startsWith("MAIL FROM:<jürgen@example.test>");
        assertThat(server.messages.get(0).rcpts()).containsExactly("zoë@example.net");
    }

    @Test
    void withoutPipeliningCommandsGoOneByOne() throws Exception {
        server.extensions = List.of("8BITMIME");
        List<RecipientResult> r = client().send(dest(false), tx(Recipient.of("x@example.net"), Recipient.of("y@example.net")));
        assertThat(r).allMatch(x -> x.state() == RecipientState.DELIVERED);
        assertThat(server.messages.get(0).rcpts()).containsExactly("x@example.net", "y@example.net");
    }

    @Test
    void aServerWithoutEhloIsSpokenToWithHelo() throws Exception {
        server.ehlo = false;
        List<RecipientResult> r = client().send(dest(false), tx(Recipient.of("x@example.net")));
        assertThat(r.get(0).state()).isEqualTo(RecipientState.DELIVERED);
        assertThat(server.commands).anyMatch(c -> c.startsWith("HELO relay.test"));
        assertThat(server.messages.get(0).mailCommand()).isEqualTo("MAIL FROM:<a@example.test>");
    }

    @Test
    void rejectedMailFromFailsEveryRecipientByItsClass() throws Exception {
        server.authUser = "u";
        server.authPassword = "p";
        // AUTH is offered but we have no credentials for this destination: the server's 530 is permanent
        List<RecipientResult> r = client().send(dest(false), tx(Recipient.of("x@example.net")));
        assertThat(r.get(0).state()).isEqualTo(RecipientState.FAILED);
        assertThat(r.get(0).reply()).contains("530").contains("MAIL FROM");
    }

    @Test
    void a4xxAtTheEndOfDataLeavesRecipientsPending() throws Exception {
        server.dataEndReply = () -> "452 4.3.1 insufficient storage";
        List<RecipientResult> r = client().send(dest(false), tx(Recipient.of("x@example.net")));
        assertThat(r.get(0).state()).isEqualTo(RecipientState.PENDING);
        assertThat(r.get(0).reply()).contains("452 4.3.1");
    }

    @Test
    void aGreetingRefusalIsAConnectionFailure() throws Exception {
        server.greeting = "554 5.7.1 go away";
        assertThatThrownBy(() -> client().send(dest(false), tx(Recipient.of("x@example.net"))))
                .isInstanceOf(SmtpFailure.class).hasMessageContaining("554 5.7.1 go away")
                .satisfies(e -> assertThat(((SmtpFailure) e).permanent()).isFalse());
    }

    @Test
    void nothingListeningIsATemporaryConnectionFailure() throws Exception {
        Destination down = new Destination("127.0.0.1", "127.0.0.1", ScriptedSmtpServer.freePort(), false, Optional.empty());
        assertThatThrownBy(() -> client().send(down, tx(Recipient.of("x@example.net"))))
                .isInstanceOf(SmtpFailure.class).hasMessageContaining("connecting")
                .satisfies(e -> assertThat(((SmtpFailure) e).status()).isEqualTo("4.4.1"));
    }

    @Test
    void aServerThatNeverGreetsTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Destination d = new Destination("127.0.0.1", "127.0.0.1", silent.getLocalPort(), false, Optional.empty());
            client = new SmtpClient(new SmtpSettings("relay.test", Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(2),
                    Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), SSLContext.getDefault(), 1, Duration.ofSeconds(1)));
            assertThatThrownBy(() -> client.send(d, tx(Recipient.of("x@example.net"))))
                    .isInstanceOf(SmtpFailure.class).hasMessageContaining("timed out");
        }
    }

    @Test
    void malformedAndOverlongRepliesAreProtocolFailuresNotHangs() throws Exception {
        for (String greeting : List.of("hello there", "22", "220" + "x".repeat(10_000))) {
            try (ServerSocket bad = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread t = new Thread(() -> {
                    try (Socket s = bad.accept(); OutputStream out = s.getOutputStream(); InputStream in = s.getInputStream()) {
                        out.write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        in.read();
                    } catch (IOException e) {
                        // client gone
                    }
                });
                t.start();
                Destination d = new Destination("127.0.0.1", "127.0.0.1", bad.getLocalPort(), false, Optional.empty());
                assertThatThrownBy(() -> client().send(d, tx(Recipient.of("x@example.net"))))
                        .isInstanceOf(SmtpFailure.class).hasMessageMatching("(?s).*(malformed reply|longer than).*");
                t.join(5000);
            }
        }
    }

    @Test
    void connectionsAreReusedForTheNextMessageToTheSameDestination() throws Exception {
        SmtpClient c = client();
        c.send(dest(false), tx(Recipient.of("x@example.net")));
        c.send(dest(false), tx(Recipient.of("y@example.net")));
        assertThat(server.messages).hasSize(2);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(server.commands).contains("RSET");
    }

    @Test
    void noMoreConnectionsToOneDestinationThanTheLimit() throws Exception {
        server.dataEndDelayMillis = 150;
        Duration t = Duration.ofSeconds(10);
        client = new SmtpClient(new SmtpSettings("relay.test", t, t, t, t, t, t, SSLContext.getDefault(), 1, Duration.ofSeconds(30)));
        java.util.List<Thread> senders = new java.util.ArrayList<>();
        java.util.List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            String rcpt = "r" + i + "@example.net";
            Thread th = new Thread(() -> {
                try {
                    client.send(dest(false), tx(Recipient.of(rcpt)));
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            senders.add(th);
            th.start();
        }
        for (Thread th : senders) {
            th.join(30_000);
        }
        assertThat(failures).isEmpty();
        assertThat(server.messages).hasSize(4);
        assertThat(server.maxActive.get()).isEqualTo(1);
    }

    @Test
    void startTlsIsUsedWheneverOfferedAcceptingAnyCertificate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        server.tls = TlsMaterial.ensureSelfSigned(dir, "untrusted.test").sslContext();
        client().send(dest(false), tx(Recipient.of("x@example.net")));
        assertThat(server.messages.get(0).tls()).isTrue();
    }

    @Test
    void requiredTlsVerifiesTheCertificateAgainstTheTrustStore(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        TlsMaterial cert = TlsMaterial.ensureSelfSigned(dir.resolve("a"), "mx.example.net");
        server.tls = cert.sslContext();
        client = new SmtpClient(settings(trusting(cert)));
        client.send(dest(true), tx(Recipient.of("x@example.net")));
        assertThat(server.messages.get(0).tls()).isTrue();
    }

    @Test
    void requiredTlsRefusesAnUntrustedCertificateAndSendsNothing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        server.tls = TlsMaterial.ensureSelfSigned(dir.resolve("a"), "mx.example.net").sslContext();
        TlsMaterial other = TlsMaterial.ensureSelfSigned(dir.resolve("b"), "other.example.net");
        client = new SmtpClient(settings(trusting(other)));
        assertThatThrownBy(() -> client.send(dest(true), tx(Recipient.of("x@example.net"))))
                .isInstanceOf(SmtpFailure.class).hasMessageContaining("TLS handshake")
                .satisfies(e -> assertThat(((SmtpFailure) e).permanent()).isFalse());
        assertThat(server.messages).isEmpty();
    }

    @Test
    void requiredTlsRefusesAServerWithoutStartTls() throws Exception {
        assertThatThrownBy(() -> client().send(dest(true), tx(Recipient.of("x@example.net"))))
                .isInstanceOf(SmtpFailure.class).hasMessageContaining("does not offer STARTTLS");
        assertThat(server.commands).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void smartHostAuthPlainAfterTls(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        TlsMaterial cert = TlsMaterial.ensureSelfSigned(dir, "smart.test");
        server.tls = cert.sslContext();
        server.authUser = "relay";
        server.authPassword = "s3cret";
        client = new SmtpClient(settings(trusting(cert)));
        Destination smart = new Destination("127.0.0.1", "127.0.0.1", server.port(), true,
                Optional.of(new Destination.Credentials("relay", "s3cret")));
        client.send(smart, tx(Recipient.of("x@example.net")));
        assertThat(server.messages.get(0).authUser()).isEqualTo("relay");
        assertThat(server.messages.get(0).tls()).isTrue();
    }

    @Test
    void wrongSmartHostCredentialsAreTemporarySoMailWaitsForTheFix(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        TlsMaterial cert = TlsMaterial.ensureSelfSigned(dir, "smart.test");
        server.tls = cert.sslContext();
        server.authUser = "relay";
        server.authPassword = "s3cret";
        client = new SmtpClient(settings(trusting(cert)));
        Destination smart = new Destination("127.0.0.1", "127.0.0.1", server.port(), true,
                Optional.of(new Destination.Credentials("relay", "wrong")));
        assertThatThrownBy(() -> client.send(smart, tx(Recipient.of("x@example.net"))))
                .isInstanceOf(SmtpFailure.class).hasMessageContaining("535")
                .satisfies(e -> assertThat(((SmtpFailure) e).permanent()).isFalse());
        assertThat(server.messages).isEmpty();
    }

    static SSLContext trusting(TlsMaterial cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("server", cert.certificateChain().get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
