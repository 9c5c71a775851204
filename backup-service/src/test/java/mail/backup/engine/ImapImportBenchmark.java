package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import mail.backup.portability.Account;
import mail.backup.portability.ImapImportResult;
import mail.backup.portability.ImapImporter;
import mail.backup.portability.ImapSource;
import mail.backup.portability.Importer;
import mail.store.MailStore;
import org.junit.jupiter.api.Test;

/**
 * Not part of the build's test run (surefire does not pick up *Benchmark): IMAP import throughput from the packaged
 * imap-service. Run with
 * {@code ./mvnw -B -ntp -pl backup-service test-compile surefire:test@engine -Dtest=ImapImportBenchmark -Dbench.messages=1000}.
 */
class ImapImportBenchmark {

    @Test
    void measure() throws Exception {
        int count = Integer.getInteger("bench.messages", 1000);
        int size = Integer.getInteger("bench.size", 20_000);
        String db = "bkimapbench" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Path dir = Files.createTempDirectory("imap-bench");
        try (ImapServerProcess server = ImapServerProcess.start(Fixture.INFRA, db); Fixture to = new Fixture()) {
            String user = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "@" + ImapServerProcess.DOMAIN;
            server.account(user, "acc-bench-" + UUID.randomUUID(), "Bench-Pass-123", new MailStore(Fixture.client().getDatabase(db)));
            Properties p = new Properties();
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.ssl.trust", "*");
            p.put("mail.imap.ssl.checkserveridentity", "false");
            Store s = Session.getInstance(p).getStore("imap");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                try {
                    s.connect("127.0.0.1", server.port, user, "Bench-Pass-123");
                    break;
                } catch (jakarta.mail.AuthenticationFailedException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(300);
                }
            }
            Random random = new Random(42);
            long raw = 0;
            Folder inbox = s.getFolder("INBOX");
            for (int i = 0; i < count; i++) {
                StringBuilder body = new StringBuilder();
                while (body.length() < size) {
                    body.append(Long.toString(random.nextLong(), 36)).append(i % 7 == 0 ? "\r\n" : " ");
                }
                byte[] bytes = ("From: a@example.test\r\nTo: b@example.test\r\nSubject: bench " + i + "\r\nMessage-ID: <" + UUID.randomUUID()
                        + "@bench>\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
                raw += bytes.length;
                inbox.appendMessages(new Message[] {new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes))});
            }
            s.close();
            Account b = PortabilityTest.account(to, "bench@example.test", 0, 0);
            ImapImporter importer = new ImapImporter(to.db, new Importer(to.db, to.blobs, null, 50L << 20, dir.resolve("spool")),
                    Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            ImapImportResult r = importer.importInto(b, new ImapSource("127.0.0.1", server.port, ImapSource.Tls.STARTTLS, user,
                    "Bench-Pass-123", ImapSource.Auth.PASSWORD, false), Progress.NONE);
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(r.imported()).isEqualTo(count);
            long t1 = System.nanoTime();
            ImapImportResult again = importer.importInto(b, new ImapSource("127.0.0.1", server.port, ImapSource.Tls.STARTTLS, user,
                    "Bench-Pass-123", ImapSource.Auth.PASSWORD, false), Progress.NONE);
            double secsAgain = (System.nanoTime() - t1) / 1e9;
            assertThat(again.alreadyImported()).isEqualTo(count);
            System.out.printf("BENCH imap import: %d messages, %.1f MB in %.1f s = %.1f messages/s, %.2f MB/s; re-run (nothing new) %.1f s%n",
                    count, raw / 1e6, secs, count / secs, raw / 1e6 / secs, secsAgain);
        }
    }
}
