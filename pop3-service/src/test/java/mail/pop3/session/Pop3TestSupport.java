package mail.pop3.session;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import mail.core.blob.BlobStore;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.MessageRef;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.pop3.server.Pop3Server;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.NewMessage;
import mail.store.StoredMessage;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.SharedInfra;
import mail.testsupport.TrustingTls;
import mail.testsupport.transcript.Transcript;
import org.eclipse.microprofile.config.ConfigProvider;

/** Accounts (Keycloak user + directory entry), messages in their INBOX as delivery-worker stores them, TLS sockets. */
final class Pop3TestSupport {
    static final String PASSWORD = "pop-Secret-123";
    private static final AtomicLong REVISION = new AtomicLong(System.currentTimeMillis());

    record TestAccount(String address, String accountId) {
        String plainB64() {
            return b64("\u0000" + address + "\u0000" + PASSWORD);
        }
    }

    private Pop3TestSupport() {
    }

    static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** A fresh enabled account, so that each test owns its maildrop. */
    static TestAccount account(Pop3Server server, String prefix) throws Exception {
        String address = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        TestAccount a = new TestAccount(address, "acc-" + address);
        new KeycloakUsers(SharedInfra.require("keycloak")).ensureMailUser(address, PASSWORD);
        publish(new DirectorySnapshot.Domain("example.test", List.of()));
        publish(new DirectorySnapshot.Account(address, a.accountId(), prefix, 0, true, 1L, null));
        await().atMost(Duration.ofSeconds(60)).until(() -> server.directoryLoaded() && server.directory().account(address).isPresent());
        return a;
    }

    static void publish(DirectorySnapshot snapshot) throws Exception {
        DirectoryChanged e = DirectoryChanged.upserted("pop3-test", REVISION.incrementAndGet(), snapshot);
        try (KafkaEventPublisher p = KafkaEventPublisher.create(bootstrap(), "pop3-test", Duration.ofSeconds(20))) {
            p.publish(Topics.DIRECTORY_CHANGES, e.compactionKey(), e).get(20, TimeUnit.SECONDS);
        }
    }

    static Mailbox inbox(MailStore store, String accountId) {
        store.mailboxes().ensureDefaults(accountId);
        return store.mailboxes().find(accountId, "INBOX").orElseThrow();
    }

    static StoredMessage deliver(MailStore store, BlobStore blobs, TestAccount a, String message) {
        MessageRef ref = blobs.put(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        return store.store(inbox(store, a.accountId()), new NewMessage(a.accountId(), ref, Instant.now(), List.of(), List.of(), null,
                "pop3-test/" + UUID.randomUUID())).orElseThrow();
    }

    static void overTls(Pop3Server server, String name, String script) throws Exception {
        try (SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket("127.0.0.1",
                server.port(Pop3Server.Listener.IMPLICIT_TLS))) {
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            try (InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                Transcript.parse(name, script).run(in, out);
            }
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
