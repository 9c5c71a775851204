package mail.smtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mail.core.blob.BlobStore;
import mail.core.event.DsnNotify;
import mail.core.event.MailReceived;
import mail.smtp.server.Listener;
import mail.smtp.server.SmtpServer;
import mail.testsupport.InfraTestResource;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** C:/S: conversations with the MX and submission listeners over real sockets, against the real infrastructure. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class MxTranscriptTest {
    @Inject
    SmtpServer server;
    @Inject
    BlobStore blobs;

    private static boolean directoryPublished;

    @BeforeEach
    void directory() throws Exception {
        if (!directoryPublished) {
            SmtpTestSupport.publishDirectory(server);
            directoryPublished = true;
        }
    }

    private void play(String name, Listener listener) {
        Transcript.load(Path.of("src/test/resources/transcripts", name)).run("127.0.0.1", server.port(listener));
    }

    @Test
    void basicDeliveryIsStoredByteExactAndPublished() throws Exception {
        play("mx-basic.txt", Listener.MX);
        List<MailReceived> events = SmtpTestSupport.received(e -> "sender@example.net".equals(e.envelope().reversePath()), 1,
                Duration.ofSeconds(30));
        assertThat(events).hasSize(1);
        MailReceived e = events.get(0);
        assertThat(e.envelope().recipients()).extracting(r -> r.address().toLowerCase())
                .containsExactly("alice@example.test", "info@example.test");
        assertThat(e.envelope().recipients().get(0).notifyOn()).containsExactlyInAnyOrder(DsnNotify.SUCCESS, DsnNotify.FAILURE);
        assertThat(e.envelope().recipients().get(0).orcpt().address()).isEqualTo("alice@example.test");
        assertThat(e.envelope().declaredSize()).isEqualTo(120L);
        assertThat(e.connection().clientIp()).isEqualTo("127.0.0.1");
        assertThat(e.connection().heloName()).isEqualTo("client.example.net");
        assertThat(e.connection().authenticatedUser()).isNull();
        String stored;
        try (InputStream in = blobs.get(e.message())) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(stored).startsWith("Received: from client.example.net");
        assertThat(stored).contains("by mx.test.local");
        assertThat(stored).endsWith("\r\nSubject: transcript mx-basic\r\nFrom: sender@example.net\r\n\r\n.leading dot is unstuffed\r\n");
        assertThat(e.message().size()).isEqualTo(stored.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void sequenceAndSyntaxErrors() {
        play("mx-sequence-and-syntax.txt", Listener.MX);
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() {
        play("mx-pipelining.txt", Listener.MX);
        assertThat(SmtpTestSupport.received(e -> "p2@example.net".equals(e.envelope().reversePath()), 1, Duration.ofSeconds(5)))
                .as("the second transaction was never completed with DATA").isEmpty();
        assertThat(SmtpTestSupport.received(e -> "p@example.net".equals(e.envelope().reversePath()), 1, Duration.ofSeconds(30)))
                .singleElement().satisfies(e -> assertThat(e.envelope().recipients()).extracting(r -> r.address())
                        .containsExactly("alice@example.test", "bob@example.test"));
    }

    @Test
    void chunkingWithBdat() throws Exception {
        play("mx-bdat.txt", Listener.MX);
        MailReceived e = SmtpTestSupport.received(x -> "c@example.net".equals(x.envelope().reversePath()), 1, Duration.ofSeconds(30)).get(0);
        try (InputStream in = blobs.get(e.message())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).endsWith("\r\nSubject: chunked\r\n\r\nbody\r\n.\r\n");
        }
    }

    @Test
    void smugglingAttemptIsRefusedAndNothingIsQueued() {
        play("mx-smuggling.txt", Listener.MX);
        assertThat(SmtpTestSupport.received(e -> "s@example.net".equals(e.envelope().reversePath())
                || "evil@example.net".equals(e.envelope().reversePath()), 1, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void limitsAreEnforcedWithTheirReplies() {
        play("mx-limits.txt", Listener.MX);
        assertThat(SmtpTestSupport.received(e -> e.envelope().reversePath().startsWith("l") && e.envelope().reversePath().endsWith("@example.net"),
                1, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void idleClientIsDisconnected() {
        play("mx-idle-timeout.txt", Listener.MX);
    }

    @Test
    void tooManyErrorsEndTheSession() {
        play("mx-too-many-errors.txt", Listener.MX);
    }

    @Test
    void connectionsPerClientAreLimited() throws Exception {
        List<java.net.Socket> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                java.net.Socket sock = new java.net.Socket("127.0.0.1", server.port(Listener.MX));
                sock.setSoTimeout(10_000);
                assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream())).readLine()).startsWith("220 ");
                open.add(sock);
            }
            Transcript.parse("eleventh", "S: 421 4.7.0 * Too many connections from your address*\nCLOSED")
                    .run("127.0.0.1", server.port(Listener.MX));
        } finally {
            for (java.net.Socket sock : open) {
                sock.close();
            }
        }
        Thread.sleep(500);
        play("submission-requires-tls-and-auth.txt", Listener.SUBMISSION);
    }

    @Test
    void clientVanishingMidDataLeavesNoEventAndNoSpoolFile() throws Exception {
        Path spool = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("mail.smtp.data-dir", String.class), "spool");
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", server.port(Listener.MX))) {
            sock.setSoTimeout(10_000);
            var out = sock.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(sock.getInputStream()));
            in.readLine();
            out.write("HELO vanish.example.net\r\nMAIL FROM:<vanish@example.net>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n".getBytes());
            out.flush();
            for (int i = 0; i < 4; i++) {
                in.readLine();
            }
            out.write("Subject: half a message\r\n\r\nand then the line dro".getBytes());
            out.flush();
            Thread.sleep(300);
        }
        Thread.sleep(1000);
        try (var files = java.nio.file.Files.list(spool)) {
            assertThat(files.toList()).as("spool files left in " + spool).isEmpty();
        }
        assertThat(SmtpTestSupport.received(e -> "vanish@example.net".equals(e.envelope().reversePath()), 1, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void submissionRequiresTlsBeforeAuthAndMail() {
        play("submission-requires-tls-and-auth.txt", Listener.SUBMISSION);
    }
}
