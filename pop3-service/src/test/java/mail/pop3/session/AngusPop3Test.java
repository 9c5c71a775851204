package mail.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import mail.core.blob.BlobStore;
import mail.pop3.server.Pop3Server;
import mail.pop3.session.Pop3TestSupport.TestAccount;
import mail.store.MailStore;
import mail.store.StoredMessage;
import mail.testsupport.InfraTestResource;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.Test;

/** A real client library (Angus Mail's POP3 provider) against the server, over STLS and over implicit TLS. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class AngusPop3Test {
    @Inject
    Pop3Server server;
    @Inject
    MailStore store;
    @Inject
    BlobStore blobs;

    private static final String BIG_LINE = "x".repeat(998);

    @Test
    void downloadAndDeleteOverStls() throws Exception {
        Properties p = new Properties();
        p.put("mail.pop3.host", "127.0.0.1");
        p.put("mail.pop3.port", Integer.toString(server.port(Pop3Server.Listener.PLAIN)));
        p.put("mail.pop3.starttls.enable", "true");
        p.put("mail.pop3.starttls.required", "true");
        p.put("mail.pop3.ssl.trust", "*");
        downloadAndDelete(Session.getInstance(p).getStore("pop3"), "stls");
    }

    @Test
    void downloadAndDeleteOverImplicitTls() throws Exception {
        Properties p = new Properties();
        p.put("mail.pop3s.host", "127.0.0.1");
        p.put("mail.pop3s.port", Integer.toString(server.port(Pop3Server.Listener.IMPLICIT_TLS)));
        p.put("mail.pop3s.ssl.trust", "*");
        downloadAndDelete(Session.getInstance(p).getStore("pop3s"), "pop3s");
    }

    private void downloadAndDelete(Store mailStore, String prefix) throws Exception {
        TestAccount a = Pop3TestSupport.account(server, prefix);
        String body = ".starts with a dot\r\n" + (BIG_LINE + "\r\n").repeat(200);
        StoredMessage m1 = Pop3TestSupport.deliver(store, blobs, a, "Subject: first\r\nFrom: a@example.test\r\n\r\n" + body);
        StoredMessage m2 = Pop3TestSupport.deliver(store, blobs, a, "Subject: second\r\nFrom: b@example.test\r\n\r\nshort\r\n");
        long uidValidity = Pop3TestSupport.inbox(store, a.accountId()).uidValidity();

        mailStore.connect(a.address(), Pop3TestSupport.PASSWORD);
        try {
            POP3Folder inbox = (POP3Folder) mailStore.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            Message first = inbox.getMessage(1);
            assertThat(first.getSubject()).isEqualTo("first");
            assertThat(inbox.getUID(first)).isEqualTo(uidValidity + "." + m1.uid());
            assertThat(inbox.getUID(inbox.getMessage(2))).isEqualTo(uidValidity + "." + m2.uid());
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            first.writeTo(raw);
            assertThat(raw.toString(StandardCharsets.US_ASCII)).endsWith(body);
            assertThat(first.getSize()).isEqualTo(body.length());
            first.setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        } finally {
            mailStore.close();
        }
        assertThat(store.messages().list(m1.mailboxId())).extracting(d -> d.get("uid", Number.class).longValue())
                .containsExactly(m2.uid());
    }
}
