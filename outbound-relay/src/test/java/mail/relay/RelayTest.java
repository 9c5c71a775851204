package mail.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import mail.core.blob.S3BlobStore;
import mail.core.event.BodyType;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.DsnNotify;
import mail.core.event.DsnReturn;
import mail.core.event.EventCodec;
import mail.core.event.MailReceived;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.core.event.Topics;
import mail.core.kafka.KafkaEventPublisher;
import mail.devinfra.LocalProcess;
import mail.message.dkim.DkimKeyLookup;
import mail.message.dkim.DkimVerification;
import mail.message.dkim.DkimVerifier;
import mail.protocol.tls.TlsMaterial;
import mail.relay.adapter.kafka.OutboundFeed;
import mail.relay.queue.EntryState;
import mail.relay.queue.OutboundQueue;
import mail.relay.queue.QueueEntry;
import mail.relay.queue.RecipientState;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.InfraTestResource;
import mail.testsupport.KeycloakUsers;
import mail.testsupport.ServiceHealthContract;
import mail.testsupport.ServiceProcess;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay end to end on the real infrastructure: mail.outbound in, SMTP out to scripted receivers on loopback,
 * per-recipient state in MongoDB, DSNs out on mail.received with their bytes in the object store, and the admin API.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = Receivers.class, restrictToAnnotatedClass = true)
class RelayTest implements ServiceHealthContract {
    private static final Duration WAIT = Duration.ofSeconds(60);

    static ScriptedSmtpServer tls;
    static ScriptedSmtpServer flaky;
    static ScriptedSmtpServer reject;
    static ScriptedSmtpServer dkim;
    static InfraEndpoints infra;
    static KafkaEventPublisher publisher;
    static S3BlobStore blobs;
    static final EventCodec CODEC = new EventCodec();

    @Inject
    OutboundQueue queue;

    @BeforeAll
    static void receivers() throws Exception {
        infra = SharedInfra.require("kafka", "mongo", "s3", "keycloak");
        publisher = KafkaEventPublisher.create(infra.kafkaBootstrap(), "relay-test-" + UUID.randomUUID(), Duration.ofSeconds(30));
        blobs = S3BlobStore.create(infra.s3Endpoint(), infra.s3AccessKey(), infra.s3SecretKey(), "us-east-1", "mail-messages");
        blobs.ensureBucket();
        tls = new ScriptedSmtpServer(port("tls"));
        tls.tls = TlsMaterial.ensureSelfSigned(Receivers.DIR, Receivers.CERT_HOST).sslContext();
        flaky = new ScriptedSmtpServer(port("flaky"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        // greylisting: the first RCPT of every address is deferred, the next one accepted
        flaky.rcptReply = a -> seen.add(a.toLowerCase()) ? "451 4.7.1 greylisted, try again later" : "250 2.1.5 ok";
        reject = new ScriptedSmtpServer(port("reject"));
        reject.rcptReply = a -> a.startsWith("nobody") ? "550 5.1.1 <" + a + ">: no such user here" : "250 2.1.5 ok";
        dkim = new ScriptedSmtpServer(port("dkim"));
    }

    @AfterAll
    static void stop() {
        for (ScriptedSmtpServer s : new ScriptedSmtpServer[] {tls, flaky, reject, dkim}) {
            if (s != null) {
                s.close();
            }
        }
        publisher.close();
    }

    static int port(String name) {
        return ConfigProvider.getConfig().getValue("test.port." + name, Integer.class);
    }

    // ---- helpers ----

    static byte[] message(String from, String subject) {
        return ("From: <" + from + ">\r\nTo: <someone@example.net>\r\nSubject: " + subject + "\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@relay.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Hello.\r\n.A line that starts with a dot.\r\nBye.\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static OutboundRequested request(String from, String domain, List<String> rcpts, Instant receivedAt, DsnReturn ret, byte[] body) {
        MessageRef ref = blobs.put(new ByteArrayInputStream(body));
        Instant now = Instant.now();
        List<Recipient> r = rcpts.stream().map(Recipient::of).toList();
        return new OutboundRequested(UUID.randomUUID().toString(), "test/relay", now, UUID.randomUUID().toString(), ref, from, domain, r,
                ret, null, BodyType.SEVEN_BIT, false, null, 1, now, receivedAt);
    }

    static OutboundRequested send(OutboundRequested r) {
        publisher.publish(Topics.MAIL_OUTBOUND, r.kafkaKey(), r).join();
        return r;
    }

    QueueEntry awaitState(String id, EntryState state) {
        return awaitEntry(id, e -> e.state() == state, "reach " + state);
    }

    QueueEntry awaitAttempted(String id) {
        return awaitEntry(id, e -> e.attempts() >= 1, "get an attempt");
    }

    private QueueEntry awaitEntry(String id, java.util.function.Predicate<QueueEntry> condition, String what) {
        try {
            await().atMost(WAIT).until(() -> queue.find(id).map(condition::test).orElse(false));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("entry " + id + " did not " + what + " within " + WAIT + ": " + describe(id), e);
        }
        return queue.find(id).orElseThrow();
    }

    /** What a timed-out wait saw: the entry as it stands (or that it was never queued) and the whole queue's counts. */
    String describe(String id) {
        String entry = queue.find(id).map(e -> "state " + e.state() + ", attempts " + e.attempts() + ", next attempt "
                + e.nextAttemptAt() + ", last error " + e.lastError() + ", recipients " + e.recipients())
                .orElse("never queued (the mail.outbound feed did not take it)");
        List<String> oldest = queue.list(new OutboundQueue.Filter(null, null, null, null), 5).stream()
                .map(e -> e.id() + " " + e.request().domain() + " " + e.state() + " attempts " + e.attempts() + " " + e.lastError()).toList();
        StringBuilder threads = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("relay-")) {
                threads.append("\n").append(t.getName()).append(" ").append(t.getState());
                for (int i = 0; i < Math.min(12, stack.length); i++) {
                    threads.append("\n    at ").append(stack[i]);
                }
            }
        });
        return entry + "; queue " + queue.countByState() + "; oldest " + oldest + threads;
    }

    static String dsnId(String kind, String entryId) {
        return UUID.nameUUIDFromBytes((kind + "\u0000" + entryId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static Optional<MailReceived> findReceived(String id) {
        // the topic is shared with the other modules' tests of the build (including their poison records): only the
        // record keyed by the wanted event id is decoded
        return scanReceived(r -> id.equals(r.key())).stream().findFirst();
    }

    /** The mail.received events of records the filter picks, decoded; every other record is skipped undecoded. */
    static List<MailReceived> scanReceived(java.util.function.Predicate<ConsumerRecord<String, byte[]>> filter) {
        List<MailReceived> found = new ArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.MAIL_RECEIVED).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && filter.test(r)) {
                        found.add(CODEC.decode(r.value(), MailReceived.class));
                    }
                }
            }
        }
        return found;
    }

    static String dsnText(String id) throws IOException {
        await().atMost(WAIT).until(() -> findReceived(id).isPresent());
        MailReceived dsn = findReceived(id).orElseThrow();
        assertThat(dsn.envelope().hasNullSender()).as("a DSN comes from the null sender").isTrue();
        try (InputStream in = blobs.get(dsn.message())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- delivery ----

    @Test
    void deliversAllRecipientsInOneTransactionOverVerifiedTls() {
        String subject = "tls " + UUID.randomUUID();
        OutboundRequested r = send(request("alice@example.test", "tls.test", List.of("bob@tls.test", "carol@tls.test"), Instant.now(),
                null, message("alice@example.test", subject)));
        QueueEntry e = awaitState(r.id(), EntryState.DONE);
        assertThat(e.recipients()).allMatch(x -> x.state() == RecipientState.DELIVERED).allMatch(x -> x.lastReply().startsWith("250"));
        List<ScriptedSmtpServer.Received> got = tls.to("bob@tls.test").stream().filter(m -> m.text().contains(subject)).toList();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).tls()).isTrue();
        assertThat(got.get(0).rcpts()).containsExactly("bob@tls.test", "carol@tls.test");
        assertThat(got.get(0).mailFrom()).isEqualTo("alice@example.test");
        assertThat(got.get(0).text()).contains("\r\n.A line that starts with a dot.\r\n");
        // example.test has no DKIM key in the directory: sent as stored
        assertThat(got.get(0).text()).doesNotContain("DKIM-Signature").startsWith("From: <alice@example.test>");
    }

    // ---- DKIM ----

    @Test
    void mailFromADomainWithKeysIsSignedAndTheSignatureVerifiesAtTheReceiver() throws IOException {
        String subject = "signed " + UUID.randomUUID();
        OutboundRequested r = send(request("alice@dkim.test", "dkim.test", List.of("pat@dkim.test"), Instant.now(), null,
                message("alice@dkim.test", subject)));
        QueueEntry e = awaitState(r.id(), EntryState.DONE);
        assertThat(e.signature()).startsWith("DKIM-Signature:");
        ScriptedSmtpServer.Received got = dkim.to("pat@dkim.test").stream().filter(m -> m.text().contains(subject)).findFirst().orElseThrow();
        assertThat(got.text()).startsWith("DKIM-Signature:");
        String publicKey = java.nio.file.Files.readString(Receivers.DKIM_PUBLIC_KEY);
        DkimVerification v = new DkimVerifier((selector, domain) -> Receivers.DKIM_SELECTOR.equals(selector) && "dkim.test".equals(domain)
                ? new DkimKeyLookup.Records(List.of("v=DKIM1; k=rsa; p=" + publicKey)) : new DkimKeyLookup.NotFound())
                .verify(new ByteArrayInputStream(got.data()));
        assertThat(v.passes()).as(v.authResultsClauses()).hasSize(1);
        assertThat(v.passes().get(0).domain()).isEqualTo("dkim.test");
    }

    // ---- a second instance of our own gateway as another domain's MX ----

    @Test
    void aSecondInstanceOfOurGatewayPassesOurSignatureAndDmarcAndRejectsAForgery() throws Exception {
        long revision = System.currentTimeMillis();
        String user = "pat-" + UUID.randomUUID().toString().substring(0, 8) + "@gw.test";
        DirectoryChanged domain = DirectoryChanged.upserted("test/relay", revision, new DirectorySnapshot.Domain("gw.test", List.of()));
        publisher.publish(Topics.DIRECTORY_CHANGES, domain.kafkaKey(), domain).join();
        DirectoryChanged account = DirectoryChanged.upserted("test/relay", revision + 1,
                new DirectorySnapshot.Account(user, "acc-" + UUID.randomUUID(), null, 0, true));
        publisher.publish(Topics.DIRECTORY_CHANGES, account.kafkaKey(), account).join();
        try (ServiceProcess gw = receivingGateway(Map.of(
                "mail.smtp.hostname", "mx.gw.test",
                "mail.smtp.auth-checks.enabled", "true",
                "mail.smtp.auth-checks.authserv-id", "mx.gw.test",
                "mail.smtp.auth-checks.dns-servers", "127.0.0.1:" + port("dns"),
                // no directory-service here: the gateway answers from directory.changes alone
                "mail.smtp.directory.lookup-enabled", "false"))) {
            String subject = "to our own gateway " + UUID.randomUUID();
            OutboundRequested r = send(request("alice@dkim.test", "gw.test", List.of(user), Instant.now(), null,
                    message("alice@dkim.test", subject)));
            QueueEntry e = awaitState(r.id(), EntryState.DONE);
            assertThat(e.signature()).startsWith("DKIM-Signature:");

            await().atMost(WAIT).until(() -> receivedFor(user).isPresent());
            MailReceived got = receivedFor(user).orElseThrow();
            assertThat(got.envelope().reversePath()).isEqualTo("alice@dkim.test");
            assertThat(got.connection().heloName()).isEqualTo("relay.test");
            assertThat(got.connection().tlsProtocol()).as("the relay used the STARTTLS the gateway offers").startsWith("TLSv1.");
            String text;
            try (InputStream in = blobs.get(got.message())) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(text).contains("Subject: " + subject).contains("DKIM-Signature:");
            String results = unfolded(text).lines().filter(l -> l.startsWith("Authentication-Results:")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Authentication-Results in " + text));
            assertThat(results).contains("mx.gw.test;").contains("dkim=pass").contains("header.d=dkim.test")
                    .contains("dmarc=pass").contains("header.from=dkim.test");

            // unsigned (the key store has no key for forged.test), from an address SPF says never sends, under
            // DMARC p=reject: the gateway refuses it at the end of DATA, the relay bounces it, nothing is published
            OutboundRequested forged = send(request("ceo@forged.test", "gw.test", List.of(user), Instant.now(), null,
                    message("ceo@forged.test", "forged " + UUID.randomUUID())));
            QueueEntry refused = awaitState(forged.id(), EntryState.DONE);
            assertThat(refused.signature()).isNullOrEmpty();
            assertThat(refused.recipients()).singleElement().satisfies(x -> {
                assertThat(x.state()).isEqualTo(RecipientState.FAILED);
                assertThat(x.lastReply()).startsWith("550 5.7.1");
            });
            // the relay's DSN to ceo@forged.test is on mail.received; an event of the gateway with that sender is not
            assertThat(receivedAll("ceo@forged.test")).noneMatch(m -> m.envelope().reversePath().equals("ceo@forged.test"));
        }
    }

    /** A second instance of our own smtp-gateway, playing another organisation's MX with its MX port on port("gw"). */
    private static ServiceProcess receivingGateway(Map<String, String> config) {
        ServiceProcess.Builder b = ServiceProcess.packaged("smtp-gateway").name("receiving-gateway");
        return b.config(infra.quarkusConfig())
                .config("mail.smtp.mx.port", Integer.toString(port("gw")))
                .config("mail.smtp.submission.port", Integer.toString(LocalProcess.freePort()))
                .config("mail.smtp.submissions.port", Integer.toString(LocalProcess.freePort()))
                .config("mail.smtp.data-dir", b.workDir().resolve("data").toString())
                .config(config)
                .start();
    }

    private static String unfolded(String message) {
        return message.substring(0, message.indexOf("\r\n\r\n")).replace("\r\n\t", " ").replace("\r\n ", " ");
    }

    /** The event the receiving gateway published for a recipient. */
    static Optional<MailReceived> receivedFor(String recipient) {
        return receivedAll(recipient).stream().filter(m -> m.envelope().recipients().stream()
                .anyMatch(r -> r.address().equals(recipient))).findFirst();
    }

    /** Every mail.received event whose record mentions the text. */
    static List<MailReceived> receivedAll(String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        return scanReceived(r -> indexOf(r.value(), needle) >= 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void whenTheKeyStoreCannotAnswerTheMessageWaitsRatherThanGoingOutUnsigned() {
        OutboundRequested r = send(request("alice@broken-dkim.test", "dkim.test", List.of("quinn@dkim.test"), Instant.now(), null,
                message("alice@broken-dkim.test", "unsignable")));
        awaitAttempted(r.id());
        QueueEntry e = queue.find(r.id()).orElseThrow();
        assertThat(e.state()).isEqualTo(EntryState.DEFERRED);
        assertThat(e.lastError()).contains("503");
        assertThat(e.signature()).isNull();
        assertThat(dkim.to("quinn@dkim.test")).isEmpty();
        queue.delete(r.id());
    }

    @Test
    void aTemporaryRejectionIsRetriedAndThenDelivered() {
        String subject = "grey " + UUID.randomUUID();
        String rcpt = "dave-" + UUID.randomUUID().toString().substring(0, 6) + "@flaky.test";
        OutboundRequested r = send(request("alice@example.test", "flaky.test", List.of(rcpt), Instant.now(), null,
                message("alice@example.test", subject)));
        QueueEntry e = awaitState(r.id(), EntryState.DONE);
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(e.recipients().get(0).state()).isEqualTo(RecipientState.DELIVERED);
        assertThat(e.recipients().get(0).attempts()).isEqualTo(2);
        assertThat(flaky.to(rcpt)).hasSize(1);
    }

    @Test
    void aPermanentRejectionBouncesWithOneDsnCarryingTheRemoteReplyAndTheOriginalHeaders() throws IOException {
        String subject = "bounce " + UUID.randomUUID();
        OutboundRequested r = send(request("alice@example.test", "reject.test", List.of("nobody1@reject.test", "nobody2@reject.test",
                "erin@reject.test"), Instant.now(), DsnReturn.HDRS, message("alice@example.test", subject)));
        QueueEntry e = awaitState(r.id(), EntryState.DONE);
        assertThat(e.recipients()).extracting(x -> x.address() + "=" + x.state()).containsExactlyInAnyOrder(
                "nobody1@reject.test=FAILED", "nobody2@reject.test=FAILED", "erin@reject.test=DELIVERED");
        String dsn = dsnText(dsnId("relay-dsn", r.id()));
        assertThat(dsn).contains("Content-Type: multipart/report; report-type=delivery-status")
                .contains("To: <alice@example.test>")
                .contains("Final-Recipient: rfc822; nobody1@reject.test")
                .contains("Final-Recipient: rfc822; nobody2@reject.test")
                .doesNotContain("Final-Recipient: rfc822; erin@reject.test")
                .contains("Action: failed").contains("Status: 5.1.1")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 <nobody1@reject.test>: no such user here")
                .contains("Content-Type: text/rfc822-headers")
                .contains("Subject: " + subject)
                .doesNotContain("A line that starts with a dot");
        MailReceived event = findReceived(dsnId("relay-dsn", r.id())).orElseThrow();
        assertThat(event.envelope().recipients()).extracting(Recipient::address).containsExactly("alice@example.test");
    }

    @Test
    void aBounceOfTheNullSenderGetsNoDsn() {
        OutboundRequested r = send(request("", "reject.test", List.of("nobody3@reject.test"), Instant.now(), null,
                message("mailer-daemon@example.test", "dsn")));
        QueueEntry e = awaitState(r.id(), EntryState.DONE);
        assertThat(e.recipients().get(0).state()).isEqualTo(RecipientState.FAILED);
        // the entry is done only after a DSN would have been handed on
        assertThat(findReceived(dsnId("relay-dsn", r.id()))).isEmpty();
    }

    @Test
    void anExpiredMessageBouncesWithTheLastReason() throws IOException {
        OutboundRequested r = send(request("alice@example.test", "down.test", List.of("frank@down.test"),
                Instant.now().minus(Duration.ofDays(6)), DsnReturn.FULL, message("alice@example.test", "old")));
        QueueEntry e = awaitState(r.id(), EntryState.DONE);
        assertThat(e.recipients().get(0).state()).isEqualTo(RecipientState.FAILED);
        assertThat(e.recipients().get(0).status()).isEqualTo("4.4.7");
        String dsn = dsnText(dsnId("relay-dsn", r.id()));
        assertThat(dsn).contains("Status: 4.4.7").contains("delivery time expired").contains("Content-Type: message/rfc822")
                .contains("A line that starts with a dot");
    }

    @Test
    void aReceiverThatIsDownIsRetriedUntilItIsBack() throws Exception {
        String subject = "later " + UUID.randomUUID();
        OutboundRequested r = send(request("alice@example.test", "later.test", List.of("gina@later.test"), Instant.now(), null,
                message("alice@example.test", subject)));
        awaitAttempted(r.id());
        QueueEntry deferred = queue.find(r.id()).orElseThrow();
        assertThat(deferred.state()).isEqualTo(EntryState.DEFERRED);
        assertThat(deferred.lastError()).contains("connecting");
        assertThat(deferred.recipients().get(0).state()).isEqualTo(RecipientState.PENDING);
        try (ScriptedSmtpServer later = new ScriptedSmtpServer(port("later"))) {
            awaitState(r.id(), EntryState.DONE);
            assertThat(later.to("gina@later.test")).anyMatch(m -> m.text().contains(subject));
        }
    }

    @Test
    void aNullMxBouncesWithoutAnyConnection() throws IOException {
        OutboundRequested r = send(request("alice@example.test", "nullmx.test", List.of("henry@nullmx.test"), Instant.now(), null,
                message("alice@example.test", "null mx")));
        QueueEntry e = awaitState(r.id(), EntryState.DONE);
        assertThat(e.recipients().get(0).status()).isEqualTo("5.1.10");
        assertThat(dsnText(dsnId("relay-dsn", r.id()))).contains("Status: 5.1.10").contains("null MX");
    }

    @Test
    void aLongDelayedMessageGetsOneDelayWarning() throws IOException {
        OutboundRequested r = new OutboundRequested(UUID.randomUUID().toString(), "test/relay", Instant.now(), UUID.randomUUID().toString(),
                blobs.put(new ByteArrayInputStream(message("alice@example.test", "slow"))), "alice@example.test", "down.test",
                List.of(new Recipient("ivan@down.test", Set.of(DsnNotify.DELAY, DsnNotify.FAILURE), null)), null, null, BodyType.SEVEN_BIT,
                false, null, 1, Instant.now(), Instant.now().minus(Duration.ofHours(5)));
        send(r);
        String dsn = dsnText(dsnId("relay-delay", r.id()));
        assertThat(dsn).contains("Action: delayed").contains("Delayed Mail").contains("Final-Recipient: rfc822; ivan@down.test");
        assertThat(queue.find(r.id()).orElseThrow().delayWarned()).isTrue();
        assertThat(queue.find(r.id()).orElseThrow().state()).isEqualTo(EntryState.DEFERRED);
        queue.delete(r.id());
    }

    @Test
    void aRedeliveredEventIsQueuedAndSentOnce() {
        String subject = "dup " + UUID.randomUUID();
        OutboundRequested r = request("alice@example.test", "reject.test", List.of("jane@reject.test"), Instant.now(), null,
                message("alice@example.test", subject));
        send(r);
        send(r);
        awaitState(r.id(), EntryState.DONE);
        assertThat(queue.list(new OutboundQueue.Filter(null, "jane@reject.test", null, null), 1000))
                .filteredOn(e -> e.id().equals(r.id())).hasSize(1);
        assertThat(reject.to("jane@reject.test").stream().filter(m -> m.text().contains(subject))).hasSize(1);
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicAndTheQueueMovesOn() {
        String key = "bad-" + UUID.randomUUID();
        Properties p = KafkaEventPublisher.producerConfig(infra.kafkaBootstrap(), "relay-test-raw", Duration.ofSeconds(30));
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.MAIL_OUTBOUND, key, "{not json".getBytes(StandardCharsets.UTF_8))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(WAIT).until(() -> deadLettered(key).isPresent());
        assertThat(deadLettered(key).orElseThrow()).isNotBlank();
        // and the feed carries on with the next record
        OutboundRequested r = send(request("alice@example.test", "reject.test", List.of("kim@reject.test"), Instant.now(), null,
                message("alice@example.test", "after bad")));
        awaitState(r.id(), EntryState.DONE);
    }

    static Optional<String> deadLettered(String key) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(Topics.MAIL_OUTBOUND_DLQ).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            for (int i = 0; i < 10; i++) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (key.equals(r.key()) && r.headers().lastHeader(OutboundFeed.DLQ_REASON) != null) {
                        return Optional.of(new String(r.headers().lastHeader(OutboundFeed.DLQ_REASON).value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return Optional.empty();
    }

    // ---- admin API ----

    private static String adminToken() {
        return new KeycloakUsers(infra).accessToken(infra.adminUser(), infra.adminPassword());
    }

    @Test
    void adminApiListsShowsRetriesAndDeletesWithOrWithoutBounce() throws IOException {
        String token = adminToken();
        OutboundRequested keep = send(request("Lee@Example.test", "parked.test", List.of("mia@parked.test"), Instant.now(), null,
                message("lee@example.test", "parked 1")));
        OutboundRequested bounce = send(request("lee@example.test", "parked.test", List.of("ned@parked.test"), Instant.now(), null,
                message("lee@example.test", "parked 2")));
        await().atMost(WAIT).until(() -> queue.find(keep.id()).map(e -> e.attempts() >= 1).orElse(false)
                && queue.find(bounce.id()).map(e -> e.attempts() >= 1).orElse(false));

        given().auth().oauth2(token).queryParam("sender", "lee@example.test").queryParam("domain", "parked.test")
                .queryParam("state", "deferred")
                .when().get("/api/v1/queue").then().statusCode(200).body("id", hasItem(keep.id())).body("id", hasItem(bounce.id()));
        given().auth().oauth2(token).queryParam("recipient", "MIA@parked.test")
                .when().get("/api/v1/queue").then().statusCode(200).body("size()", equalTo(1)).body("[0].id", equalTo(keep.id()));
        given().auth().oauth2(token).when().get("/api/v1/queue/" + keep.id()).then().statusCode(200)
                .body("recipients[0].address", equalTo("mia@parked.test")).body("recipients[0].state", equalTo("pending"))
                .body("recipients[0].lastReply", org.hamcrest.Matchers.containsString("connecting"));
        given().auth().oauth2(token).when().post("/api/v1/queue/" + keep.id() + "/retry").then().statusCode(200)
                .body("id", equalTo(keep.id()));

        // delete with a bounce: the sender hears of it with the administrator's reason (retried while a worker holds it)
        await().atMost(WAIT).until(() -> given().auth().oauth2(token).queryParam("bounce", "true")
                .when().delete("/api/v1/queue/" + bounce.id()).then().extract().statusCode() == 200);
        assertThat(dsnText(dsnId("relay-dsn", bounce.id()))).contains("Status: 5.3.0").contains("deleted from the queue by an administrator");
        awaitState(bounce.id(), EntryState.DONE);
        given().auth().oauth2(token).when().post("/api/v1/queue/" + bounce.id() + "/retry").then().statusCode(409);

        // delete silently: gone, and no DSN
        given().auth().oauth2(token).queryParam("bounce", "false").when().delete("/api/v1/queue/" + keep.id()).then().statusCode(200);
        given().auth().oauth2(token).when().get("/api/v1/queue/" + keep.id()).then().statusCode(404)
                .body("type", equalTo("urn:mailplatform:problem:not-found"));
        assertThat(queue.find(keep.id())).isEmpty();
        assertThat(findReceived(dsnId("relay-dsn", keep.id()))).isEmpty();
    }

    @Test
    void adminApiRefusesBadInputAndOtherRoles() {
        String token = adminToken();
        given().auth().oauth2(token).queryParam("state", "lost").when().get("/api/v1/queue").then().statusCode(400)
                .body("field", equalTo("state"));
        given().auth().oauth2(token).queryParam("limit", "0").when().get("/api/v1/queue").then().statusCode(400)
                .body("field", equalTo("limit"));
        given().auth().oauth2(token).queryParam("bounce", "maybe").when().delete("/api/v1/queue/whatever").then().statusCode(400)
                .body("field", equalTo("bounce"));
        given().auth().oauth2(token).when().post("/api/v1/queue/" + UUID.randomUUID() + "/retry").then().statusCode(404);
        given().when().get("/api/v1/queue").then().statusCode(401);
        KeycloakUsers users = new KeycloakUsers(infra);
        users.ensureMailUser("plainuser@relay.test", "plain-user-pw-1");
        given().auth().oauth2(users.accessToken("plainuser@relay.test", "plain-user-pw-1")).when().get("/api/v1/queue").then()
                .statusCode(403);
    }

    @Test
    void metricsShowQueueSizesAndOutcomes() {
        OutboundRequested r = send(request("alice@example.test", "reject.test", List.of("olga@reject.test"), Instant.now(), null,
                message("alice@example.test", "metrics")));
        awaitState(r.id(), EntryState.DONE);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("mail_relay_queue_size{state=\"done\"}").contains("mail_relay_recipients_total{outcome=\"delivered\"}")
                .contains("mail_relay_attempts_total").contains("mail_relay_enqueued_total");
    }
}
