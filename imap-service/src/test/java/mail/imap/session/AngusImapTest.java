package mail.imap.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.SubjectTerm;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mail.imap.server.ImapServer;
import mail.store.MailStore;
import mail.testsupport.InfraTestResource;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Angus Mail's IMAP store against the server: folders, APPEND, FETCH of structure and content, flags, SEARCH, MOVE, IDLE. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class AngusImapTest {
    private static final String USER = "imap-angus@example.test";
    private static final String PASSWORD = "imap-Angus-123";
    private static boolean prepared;

    @Inject
    ImapServer server;

    @Inject
    MailStore store;

    @BeforeEach
    void prepare() throws Exception {
        if (prepared) {
            return;
        }
        TestAccounts.prepare(server, store, PASSWORD, List.of(TestAccounts.account(USER, "acc-imap-angus")));
        prepared = true;
    }

    private Store connect() throws Exception {
        Properties p = new Properties();
        p.put("mail.imaps.host", "127.0.0.1");
        p.put("mail.imaps.port", String.valueOf(server.tlsPort()));
        p.put("mail.imaps.ssl.trust", "*");
        p.put("mail.imaps.ssl.checkserveridentity", "false");
        p.put("mail.imaps.timeout", "20000");
        Store s = Session.getInstance(p).getStore("imaps");
        s.connect(USER, PASSWORD);
        return s;
    }

    private static MimeMessage multipart(Session session, String subject) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("Bob Example <bob@example.org>"));
        m.setRecipients(Message.RecipientType.TO, USER);
        m.setSubject(subject, "UTF-8");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Grüße aus dem Test\r\n", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(new byte[] {1, 2, 3, 4, 5, 0, (byte) 255}, "application/octet-stream");
        attachment.setFileName("data.bin");
        MimeMultipart mp = new MimeMultipart();
        mp.addBodyPart(text);
        mp.addBodyPart(attachment);
        m.setContent(mp);
        m.saveChanges();
        return m;
    }

    @Test
    void foldersMessagesFlagsSearchAndMove() throws Exception {
        Store s = connect();
        try {
            Folder projects = s.getFolder("Projects");
            assertThat(projects.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS)).isTrue();
            assertThat(s.getDefaultFolder().list("*")).extracting(Folder::getFullName).contains("INBOX", "Sent", "Projects");

            IMAPFolder inbox = (IMAPFolder) s.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Session session = Session.getInstance(new Properties());
            inbox.appendUIDMessages(new Message[] {multipart(session, "Überraschung 1"), multipart(session, "Plain two")});
            assertThat(inbox.getMessageCount()).isEqualTo(2);

            Message first = inbox.getMessage(1);
            assertThat(first.getSubject()).isEqualTo("Überraschung 1");
            assertThat(first.getFrom()[0].toString()).contains("bob@example.org");
            MimeMultipart content = (MimeMultipart) first.getContent();
            assertThat(content.getCount()).isEqualTo(2);
            assertThat(content.getBodyPart(0).getContent().toString()).contains("Grüße aus dem Test");
            assertThat(content.getBodyPart(1).getFileName()).isEqualTo("data.bin");
            assertThat(content.getBodyPart(1).getInputStream().readAllBytes()).containsExactly(1, 2, 3, 4, 5, 0, 255);
            assertThat(first.isSet(Flags.Flag.SEEN)).isTrue();

            inbox.getMessage(2).setFlag(Flags.Flag.FLAGGED, true);
            assertThat(inbox.search(new SubjectTerm("plain"))).extracting(Message::getMessageNumber).containsExactly(2);
            long uid2 = inbox.getUID(inbox.getMessage(2));

            Folder archive = s.getFolder("Archive");
            Message second = inbox.getMessage(2);
            inbox.moveMessages(new Message[] {second}, archive);
            // Angus marks the moved message expunged from the EXPUNGE that MOVE sent; its cached count is renumbered
            // only by its own expunge(), so the server's view is checked through a fresh SELECT
            assertThat(second.isExpunged()).isTrue();
            inbox.close(false);
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            archive.open(Folder.READ_ONLY);
            Message moved = archive.getMessage(archive.getMessageCount());
            assertThat(moved.getSubject()).isEqualTo("Plain two");
            assertThat(moved.isSet(Flags.Flag.FLAGGED)).isTrue();
            archive.close(false);
            assertThat(uid2).isPositive();
            inbox.close(true);
        } finally {
            s.close();
        }
    }

    @Test
    void idleHearsAMessageAppendedByAnotherSession() throws Exception {
        Store watcher = connect();
        Store writer = connect();
        try {
            IMAPFolder inbox = (IMAPFolder) watcher.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            int before = inbox.getMessageCount();
            CountDownLatch arrived = new CountDownLatch(1);
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    arrived.countDown();
                }
            });
            Thread idler = new Thread(() -> {
                try {
                    while (arrived.getCount() > 0) {
                        inbox.idle(true);
                    }
                } catch (Exception e) {
                    // the folder is closed at the end of the test
                }
            });
            idler.start();
            Thread.sleep(500);
            Folder target = writer.getFolder("INBOX");
            target.appendMessages(new Message[] {multipart(Session.getInstance(new Properties()), "While idling")});
            assertThat(arrived.await(10, TimeUnit.SECONDS)).as("IDLE reported the new message").isTrue();
            idler.join(10_000);
            assertThat(inbox.getMessageCount()).isEqualTo(before + 1);
            assertThat(inbox.getMessage(before + 1).getSubject()).isEqualTo("While idling");
            inbox.close(false);
        } finally {
            writer.close();
            watcher.close();
        }
    }
}
