package mail.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import mail.core.blob.BlobStore;
import mail.pop3.server.Pop3Server;
import mail.pop3.session.Pop3TestSupport.TestAccount;
import mail.store.MailStore;
import mail.store.StoredMessage;
import mail.testsupport.RestartableMongo;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.junit.jupiter.api.Test;

/**
 * The database goes away between DELE and QUIT: the UPDATE state cannot remove anything, says so with
 * {@code -ERR [SYS/TEMP]}, and once the database is back every message is still there.
 */
@QuarkusTest
@QuarkusTestResource(value = RestartableMongo.class, restrictToAnnotatedClass = true)
class MongoOutageTest {
    @Inject
    Pop3Server server;
    @Inject
    MailStore store;
    @Inject
    BlobStore blobs;

    @Test
    void quitWithoutTheDatabaseRemovesNothingAndSaysSo() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "mongo-down");
        StoredMessage first = Pop3TestSupport.deliver(store, blobs, a, "Subject: 1\r\n\r\none\r\n");
        Pop3TestSupport.deliver(store, blobs, a, "Subject: 2\r\n\r\ntwo\r\n");
        String login = String.join("\n", "S: +OK *", "C: AUTH PLAIN " + a.plainB64(),
                "S: +OK Maildrop locked and ready, 2 messages*");
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
            s.setSoTimeout(60_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Transcript.parse("before", String.join("\n", login, "C: DELE 1", "S: +OK *", "C: DELE 2", "S: +OK *"))
                    .run(in, out);
            RestartableMongo.down();
            try {
                Transcript.parse("quit", String.join("\n", "C: QUIT",
                        "S: -ERR [SYS/TEMP] Some deleted messages not removed, try again later", "CLOSED")).run(in, out);
            } finally {
                RestartableMongo.up();
            }
        }
        // the lock of the failed session expires (3 s lease in tests); then both messages are there
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Pop3TestSupport.overTls(server, "after",
                String.join("\n", login, "C: UIDL", "S: +OK*", "S: 1 *", "S: 2 *", "S: .", "C: QUIT",
                        "S: +OK * (2 messages left)", "CLOSED")));
        assertThat(store.messages().list(first.mailboxId())).hasSize(2);
    }
}
