package mail.pop3.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import mail.core.blob.BlobStore;
import mail.core.event.EventCodec;
import mail.core.event.MailboxChanged;
import mail.core.event.MessageRef;
import mail.core.event.Topics;
import mail.pop3.server.Pop3Server;
import mail.pop3.session.Pop3TestSupport.TestAccount;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.StoredMessage;
import mail.testsupport.InfraTestResource;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** What the sessions do to the mailbox: deletion only at QUIT, the cross-instance lock, a broken object store. */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class MaildropTest {
    @Inject
    Pop3Server server;
    @Inject
    MailStore store;
    @Inject
    BlobStore blobs;
    @Inject
    MongoDatabase db;

    private static String login(TestAccount a, String readyLine) {
        return String.join("\n", "S: +OK *", "C: AUTH PLAIN " + a.plainB64(), "S: " + readyLine);
    }

    @Test
    void deleAndQuitExpungeAndPublishWhileADroppedConnectionDeletesNothing() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "dele");
        StoredMessage m1 = Pop3TestSupport.deliver(store, blobs, a, "Subject: 1\r\n\r\none\r\n");
        StoredMessage m2 = Pop3TestSupport.deliver(store, blobs, a, "Subject: 2\r\n\r\ntwo\r\n");
        Pop3TestSupport.deliver(store, blobs, a, "Subject: 3\r\n\r\nthree\r\n");

        // DELE, then the connection drops without QUIT: nothing is deleted, and the lock is released
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
            s.setSoTimeout(15_000);
            Transcript.parse("dropped", String.join("\n", login(a, "+OK Maildrop locked and ready, 3 messages*"),
                    "C: DELE 1", "S: +OK *", "C: DELE 2", "S: +OK *")).run(s.getInputStream(), s.getOutputStream());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Pop3TestSupport.overTls(server, "after drop", String.join("\n",
                login(a, "+OK Maildrop locked and ready, 3 messages*"), "C: QUIT", "S: +OK *")));
        assertThat(store.messages().list(m1.mailboxId())).hasSize(3);

        // DELE and QUIT: removed from the store and announced to IMAP sessions
        Pop3TestSupport.overTls(server, "dele quit", String.join("\n", login(a, "+OK Maildrop locked and ready, 3 messages*"),
                "C: DELE 1", "S: +OK *", "C: DELE 2", "S: +OK *", "C: QUIT", "S: +OK pop.test.local signing off (1 messages left)",
                "CLOSED"));
        List<Document> left = store.messages().list(m1.mailboxId());
        assertThat(left).hasSize(1);
        assertThat(left.get(0).get("uid", Number.class).longValue()).isGreaterThan(m2.uid());
        List<MailboxChanged> events = expungeEvents(a.accountId());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).uids()).containsExactly(m1.uid(), m2.uid());
        assertThat(events.get(0).mailboxId()).isEqualTo(m1.mailboxId());
        assertThat(events.get(0).highestModSeq()).isGreaterThan(m2.modSeq());
    }

    @Test
    void aSecondSessionFindsTheMaildropInUseUntilTheFirstQuits() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "lock");
        Pop3TestSupport.deliver(store, blobs, a, "Subject: x\r\n\r\nx\r\n");
        try (SSLSocket first = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
            first.setSoTimeout(15_000);
            InputStream in = first.getInputStream();
            OutputStream out = first.getOutputStream();
            Transcript.parse("first", login(a, "+OK Maildrop locked and ready, 1 messages*")).run(in, out);
            // the lease (3 s in tests) is renewed while the first session lives: still locked well after it
            for (int i = 0; i < 2; i++) {
                Pop3TestSupport.overTls(server, "second", String.join("\n", login(a, "-ERR [IN-USE] Maildrop is locked by another session"),
                        "C: STAT", "S: -ERR Command not valid in this state", "C: QUIT", "S: +OK *"));
                Thread.sleep(2500);
                Transcript.parse("keep alive", "C: NOOP\nS: +OK").run(in, out);
            }
            Transcript.parse("first quits", "C: QUIT\nS: +OK *").run(in, out);
        }
        Pop3TestSupport.overTls(server, "after", String.join("\n", login(a, "+OK Maildrop locked and ready, 1 messages*"),
                "C: QUIT", "S: +OK *"));
    }

    @Test
    void aLockLeftByACrashedInstanceExpires() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "crash");
        db.getCollection("pop3_locks").insertOne(new Document("_id", a.accountId()).append("owner", "crashed-instance")
                .append("until", System.currentTimeMillis() + 2000));
        Pop3TestSupport.overTls(server, "locked", String.join("\n", login(a, "-ERR [IN-USE] *"), "C: QUIT", "S: +OK *"));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                Pop3TestSupport.overTls(server, "taken over", String.join("\n", login(a, "+OK Maildrop locked and ready*"),
                        "C: QUIT", "S: +OK *")));
    }

    /** A message whose object is missing: RETR says [SYS/TEMP], the session goes on, and nothing is changed. */
    @Test
    void objectStoreFailureIsATemporaryErrorAndChangesNothing() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "s3fail");
        StoredMessage ok = Pop3TestSupport.deliver(store, blobs, a, "Subject: fine\r\n\r\nfine\r\n");
        StoredMessage broken = Pop3TestSupport.deliver(store, blobs, a, "Subject: lost " + UUID.randomUUID() + "\r\n\r\nlost\r\n");
        Document doc = store.messages().list(broken.mailboxId()).get(1);
        blobs.delete(new MessageRef(doc.getString("blobKey"), doc.getString("sha256"), doc.get("size", Number.class).longValue()));
        Pop3TestSupport.overTls(server, "broken", String.join("\n", login(a, "+OK Maildrop locked and ready, 2 messages*"),
                "C: RETR 2", "S: -ERR [SYS/TEMP] Message temporarily unavailable, try again later",
                "C: RETR 1", "S: +OK * octets", "S: Subject: fine", "S: ", "S: fine", "S: .",
                "C: QUIT", "S: +OK *"));
        assertThat(store.messages().list(ok.mailboxId())).hasSize(2);
    }

    /** RETR of a multi-megabyte message: byte-exact after undoing the dot-stuffing, and LIST's size is what arrives. */
    @Test
    void largeMessageIsStreamedByteExact() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "large");
        StringBuilder b = new StringBuilder("Subject: large\r\n\r\n");
        for (int i = 0; b.length() < 6_000_000; i++) {
            b.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(' ').append("y".repeat(60)).append("\r\n");
        }
        String message = b.toString();
        Pop3TestSupport.deliver(store, blobs, a, message);
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Transcript.parse("login", String.join("\n", login(a, "+OK Maildrop locked and ready, 1 messages*"),
                    "C: LIST 1", "S: +OK 1 " + message.length())).run(in, out);
            // read by hand from here: the transcript runner buffers ahead, which would swallow the start of the body
            in = new java.io.BufferedInputStream(in);
            out.write("RETR 1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readLine(in)).isEqualTo("+OK " + message.length() + " octets\r\n");
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream(message.length());
            java.io.ByteArrayOutputStream lineBuf = new java.io.ByteArrayOutputStream();
            while (true) {
                int c = in.read();
                assertThat(c).as("connection ended inside RETR").isNotNegative();
                lineBuf.write(c);
                if (c == '\n') {
                    byte[] l = lineBuf.toByteArray();
                    lineBuf.reset();
                    if (l.length == 3 && l[0] == '.') {
                        break;
                    }
                    int from = l[0] == '.' ? 1 : 0;
                    got.write(l, from, l.length - from);
                }
            }
            assertThat(got.size()).isEqualTo(message.length());
            assertThat(got.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(message);
            out.write("QUIT\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readLine(in)).startsWith("+OK ");
        }
    }

    /**
     * A message stored with bare LF line endings and no final line ending: LIST, STAT and RETR's +OK give the octets
     * RETR really sends (CRLF), the client receives exactly that many, and a later session reads the counted size back.
     */
    @Test
    void bareLfMessageIsListedWithTheSizeRetrSends() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "barelf");
        String stored = "Subject: lf " + UUID.randomUUID() + "\n\nfirst\n.dotted\r\nlast without end";
        String wire = stored.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n";
        Pop3TestSupport.deliver(store, blobs, a, stored);
        String sha = store.messages().list(Pop3TestSupport.inbox(store, a.accountId()).id()).get(0).getString("sha256");
        for (int session = 0; session < 2; session++) {
            try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                    server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                Transcript.parse("login", String.join("\n", login(a, "+OK Maildrop locked and ready, 1 messages (" + wire.length() + " octets)"),
                        "C: STAT", "S: +OK 1 " + wire.length(), "C: LIST", "S: +OK *", "S: 1 " + wire.length(), "S: .",
                        "C: LIST 1", "S: +OK 1 " + wire.length())).run(in, out);
                in = new java.io.BufferedInputStream(in);
                byte[] got = retr(in, out, 1, wire.length());
                assertThat(new String(got, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(wire);
                out.write("QUIT\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readLine(in)).startsWith("+OK ");
            }
            Document counted = db.getCollection("pop3_wire_sizes").find(new Document("_id", sha)).first();
            assertThat(counted).isNotNull();
            assertThat(counted.get("size", Number.class).longValue()).isEqualTo(wire.length());
        }
    }

    /**
     * A client asks for a 24 MB message and stops reading: the server keeps no more than its high-water mark (plus a
     * chunk) queued for it, other sessions go on, and once the client reads again every byte arrives.
     */
    @Test
    void aClientThatStopsReadingCostsBoundedMemoryAndStillGetsEveryByte() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "slow");
        StringBuilder b = new StringBuilder("Subject: slow\r\n\r\n");
        for (int i = 0; b.length() < 24_000_000; i++) {
            b.append(i % 5 == 0 ? "." : "").append("line ").append(i).append(' ').append("z".repeat(70)).append("\r\n");
        }
        String message = b.toString();
        Pop3TestSupport.deliver(store, blobs, a, message);
        TestAccount other = Pop3TestSupport.account(server, "other");
        Pop3TestSupport.deliver(store, blobs, other, "Subject: o\r\n\r\no\r\n");
        long bound = mail.protocol.net.Connection.OUTPUT_HIGH_WATER + 3 * 16 * 1024;
        // log the other account in once so that its password is cached: the stall below must stay well inside the
        // idle timeout (6 s in tests), after which a client that reads nothing is disconnected
        Pop3TestSupport.overTls(server, "other first", String.join("\n", login(other, "+OK Maildrop locked and ready, 1 messages*"),
                "C: QUIT", "S: +OK *"));
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port(Pop3Server.Listener.IMPLICIT_TLS)));
            s.setSoTimeout(60_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            Transcript.parse("login", login(a, "+OK Maildrop locked and ready, 1 messages*")).run(in, out);
            out.write("RETR 1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            // the client reads nothing: the server's queue fills to the mark and stays there
            await().atMost(Duration.ofSeconds(30)).until(() -> server.queuedOutputBytes() > bound / 4);
            long maxSeen = 0;
            for (int i = 0; i < 10; i++) {
                maxSeen = Math.max(maxSeen, server.queuedOutputBytes());
                Thread.sleep(100);
            }
            assertThat(maxSeen).isBetween(1L, bound);
            // the waiting session holds no worker thread: another account is served meanwhile
            Pop3TestSupport.overTls(server, "other", String.join("\n", login(other, "+OK Maildrop locked and ready, 1 messages*"),
                    "C: RETR 1", "S: +OK * octets", "S: Subject: o", "S: ", "S: o", "S: .", "C: QUIT", "S: +OK *"));
            in = new java.io.BufferedInputStream(in);
            assertThat(readLine(in)).isEqualTo("+OK " + message.length() + " octets\r\n");
            byte[] got = readMultiLine(in);
            assertThat(got.length).isEqualTo(message.length());
            assertThat(new String(got, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(message);
            out.write("QUIT\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readLine(in)).startsWith("+OK ");
        }
        assertThat(server.queuedOutputBytes()).isLessThan(bound);
    }

    private static byte[] retr(InputStream in, OutputStream out, int n, long expectedSize) throws java.io.IOException {
        out.write(("RETR " + n + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        assertThat(readLine(in)).isEqualTo("+OK " + expectedSize + " octets\r\n");
        byte[] got = readMultiLine(in);
        assertThat(got.length).isEqualTo(expectedSize);
        return got;
    }

    /** The body of a multi-line reply with the dot-stuffing undone and the final "." line dropped. */
    private static byte[] readMultiLine(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream lineBuf = new java.io.ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            assertThat(c).as("connection ended inside a multi-line reply").isNotNegative();
            lineBuf.write(c);
            if (c == '\n') {
                byte[] l = lineBuf.toByteArray();
                lineBuf.reset();
                if (l.length == 3 && l[0] == '.') {
                    return got.toByteArray();
                }
                int from = l[0] == '.' ? 1 : 0;
                got.write(l, from, l.length - from);
            }
        }
    }

    private static String readLine(InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return b.toString();
    }

    @Test
    void passwordChangeEndsTheSessionWithoutDeleting() throws Exception {
        TestAccount a = Pop3TestSupport.account(server, "revoke");
        Pop3TestSupport.deliver(store, blobs, a, "Subject: r\r\n\r\nr\r\n");
        try (SSLSocket s = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
            s.setSoTimeout(15_000);
            Transcript.parse("login", String.join("\n", login(a, "+OK Maildrop locked and ready*"), "C: DELE 1", "S: +OK *"))
                    .run(s.getInputStream(), s.getOutputStream());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.sessions().count(a.address()) == 1);
            Pop3TestSupport.publish(new mail.core.event.DirectorySnapshot.Account(a.address(), a.accountId(), "revoke", 0, true, 2L, null));
            Transcript.parse("revoked", "S: -ERR [AUTH] Account credentials changed, closing connection\nCLOSED")
                    .run(s.getInputStream(), s.getOutputStream());
        }
        Mailbox inbox = Pop3TestSupport.inbox(store, a.accountId());
        assertThat(store.messages().list(inbox.id())).hasSize(1);
    }

    private static List<MailboxChanged> expungeEvents(String accountId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Pop3TestSupport.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "pop3-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        EventCodec codec = new EventCodec();
        List<MailboxChanged> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.MAILBOX_CHANGES));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && out.isEmpty()) {
                c.poll(Duration.ofMillis(300)).forEach(r -> {
                    MailboxChanged e = codec.decode(r.value(), MailboxChanged.class);
                    if (accountId.equals(e.accountId()) && e.change() == MailboxChanged.ChangeKind.MESSAGES_EXPUNGED) {
                        assertThat(r.key()).isEqualTo(accountId);
                        out.add(e);
                    }
                });
            }
            // anything else published for the expunge arrives right behind the first
            c.poll(Duration.ofSeconds(1)).forEach(r -> {
                MailboxChanged e = codec.decode(r.value(), MailboxChanged.class);
                if (accountId.equals(e.accountId()) && e.change() == MailboxChanged.ChangeKind.MESSAGES_EXPUNGED) {
                    out.add(e);
                }
            });
        }
        return out;
    }
}
