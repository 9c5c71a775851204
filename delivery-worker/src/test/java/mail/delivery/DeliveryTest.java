package mail.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import mail.core.address.EmailAddress;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.DsnNotify;
import mail.core.event.DsnReturn;
import mail.core.event.MailReceived;
import mail.core.event.MailboxChanged;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.core.event.SenderAuthentication;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.delivery.adapter.kafka.DeadLetters;
import mail.delivery.local.CreationAnnouncements;
import mail.delivery.local.LocalDelivery;
import mail.delivery.process.DeliveryService;
import mail.message.MessageMetadataBson;
import mail.message.ParsedMessage;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.Messages;
import mail.testsupport.InfraTestResource;
import mail.testsupport.SharedInfra;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker in this JVM against the real Kafka, MongoDB-compatible server and S3: events go in on mail.received,
 * and the test looks at what lands in MongoDB, the object store, mailbox.changes, mail.outbound and the DLQ.
 */
@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class DeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String GROUP = "delivery-worker";
    private static Fixtures fx;
    private static String d;
    private static String d2;
    private static String alice;
    private static String bob;
    private static String carol;
    private static String erin;

    @Inject
    MailStore store;

    @Inject
    DeliveryService service;

    @Inject
    EventPublisher publisher;

    @Inject
    CreationAnnouncements announcements;

    @BeforeEach
    void directory() {
        if (fx != null) {
            return;
        }
        fx = new Fixtures(SharedInfra.require("kafka", "mongo", "s3"));
        d = Fixtures.uniqueDomain();
        d2 = Fixtures.uniqueDomain();
        alice = "acc-alice-" + UUID.randomUUID();
        bob = "acc-bob-" + UUID.randomUUID();
        carol = "acc-carol-" + UUID.randomUUID();
        erin = "acc-erin-" + UUID.randomUUID();
        fx.domain(d, d2);
        fx.account("alice@" + d, alice, 0, true);
        fx.account("bob@" + d, bob, 0, true);
        fx.account("carol@" + d, carol, 0, true);
        fx.account("dave@" + d, "acc-dave-" + UUID.randomUUID(), 0, false);
        fx.account("erin@" + d, erin, 300, true);
        fx.alias("info@" + d, "alice@" + d);
        fx.alias("fwd@" + d, "bob@" + d, "someone@remote.example");
        fx.group("team@" + d, "bob@" + d, "carol@" + d, "alice@" + d);
        fx.group("all@" + d, "team@" + d, "alice@" + d);
        fx.group("loop1@" + d, "loop2@" + d);
        fx.group("loop2@" + d, "loop1@" + d, "carol@" + d);
        // the last entry published: once the worker knows it, it knows all of the above
        fx.account("last@" + d, "acc-last-" + UUID.randomUUID(), 0, true);
        await().atMost(WAIT).until(() -> service.directory().map(dir -> dir.account("last@" + d).isPresent()).orElse(false));
    }

    @AfterAll
    static void close() {
        if (fx != null) {
            fx.close();
            fx = null;
        }
    }

    private List<Document> inbox(String accountId) {
        return store.mailboxes().find(accountId, "INBOX").map(m -> store.messages().list(m.id())).orElse(List.of());
    }

    private Document awaitCopy(MailReceived event, String accountId) {
        String key = LocalDelivery.deliveryKey(event.id(), accountId);
        await().atMost(WAIT).until(() -> store.messages().byDeliveryKey(key).isPresent());
        return store.messages().byDeliveryKey(key).orElseThrow();
    }

    private boolean stored(MailReceived event, String accountId) {
        return store.messages().byDeliveryKey(LocalDelivery.deliveryKey(event.id(), accountId)).isPresent();
    }

    private MailReceived send(String sender, List<Recipient> rcpts, String authenticatedUser, String subject) {
        MailReceived e = prepare(sender, rcpts, authenticatedUser, subject);
        fx.publish(e);
        return e;
    }

    private MailReceived prepare(String sender, List<Recipient> rcpts, String authenticatedUser, String subject) {
        MessageRef ref = fx.store(Fixtures.message(sender.isEmpty() ? "mailer-daemon@remote.example" : sender,
                rcpts.get(0).address(), subject, "body of " + subject));
        return Fixtures.received(ref, sender, rcpts, authenticatedUser);
    }

    private static List<Recipient> to(String... addresses) {
        List<Recipient> l = new ArrayList<>();
        for (String a : addresses) {
            l.add(Recipient.of(a));
        }
        return l;
    }

    private String dsnText(Document dsnMessage) throws Exception {
        String sha = dsnMessage.getString(Messages.SHA256);
        try (InputStream in = fx.blobs.get(MessageRef.of(sha, dsnMessage.getLong(Messages.SIZE)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void storesIntoInboxWithMetadataAscendingUidsAndAnnouncesIt() {
        String owner = "acc-owner-" + UUID.randomUUID();
        fx.account("owner@" + d, owner, 0, true);
        await().atMost(WAIT).until(() -> service.directory().orElseThrow().account("owner@" + d).isPresent());

        MailReceived first = send("sender@remote.example", to("owner@" + d), null, "first subject");
        Document one = awaitCopy(first, owner);
        MailReceived second = send("sender@remote.example", to("owner@" + d), null, "second subject");
        Document two = awaitCopy(second, owner);

        assertThat(one.getLong(Messages.UID)).isEqualTo(1);
        assertThat(two.getLong(Messages.UID)).isEqualTo(2);
        assertThat(two.getLong(Messages.MODSEQ)).isGreaterThan(one.getLong(Messages.MODSEQ));
        assertThat(one.getString(Messages.BLOB_KEY)).isEqualTo(first.message().blobKey());
        assertThat(one.getLong(Messages.SIZE)).isEqualTo(first.message().size());
        assertThat(one.getDate(Messages.INTERNAL_DATE).toInstant()).isEqualTo(first.connection().receivedAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        ParsedMessage parsed = MessageMetadataBson.fromDocument(one.get(Messages.METADATA, Document.class));
        assertThat(parsed.envelope().subject()).isEqualTo("first subject");
        assertThat(parsed.size()).isEqualTo(first.message().size());
        assertThat(store.blobRefs().count(first.message().blobKey())).isEqualTo(1);

        List<Mailbox> boxes = store.mailboxes().list(owner);
        assertThat(boxes).extracting(Mailbox::name).containsExactlyInAnyOrder("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
        Mailbox inbox = store.mailboxes().find(owner, "INBOX").orElseThrow();
        assertThat(store.messages().counts(inbox.id()).messages()).isEqualTo(2);
        assertThat(store.messages().counts(inbox.id()).unseen()).isEqualTo(2);

        await().atMost(WAIT).untilAsserted(() -> {
            List<MailboxChanged> changes = fx.events(Topics.MAILBOX_CHANGES, MailboxChanged.class, c -> c.accountId().equals(owner));
            assertThat(changes).filteredOn(c -> c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED)
                    .extracting(MailboxChanged::uids).contains(List.of(1L), List.of(2L));
            assertThat(changes).filteredOn(c -> c.change() == MailboxChanged.ChangeKind.MAILBOX_CREATED).hasSize(6);
            // each mailbox has its own UIDVALIDITY; the event carries the one of the mailbox it names
            assertThat(changes).allSatisfy(c -> assertThat(c.uidValidity()).isPositive()
                    .isEqualTo(store.mailboxes().byId(c.mailboxId()).orElseThrow().uidValidity()));
            assertThat(changes).filteredOn(c -> c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED)
                    .allSatisfy(c -> assertThat(c.mailboxId()).isEqualTo(inbox.id()));
        });
    }

    @Test
    void mailTheMxFlaggedAsJunkIsFiledIntoTheJunkMailboxAlsoAfterARename() {
        String owner = "acc-junk-" + UUID.randomUUID();
        fx.account("junky@" + d, owner, 0, true);
        await().atMost(WAIT).until(() -> service.directory().orElseThrow().account("junky@" + d).isPresent());
        SenderAuthentication quarantine = new SenderAuthentication("none", "none", "fail", true,
                "DMARC p=quarantine of remote.example");

        MailReceived clean = send("friend@remote.example", to("junky@" + d), null, "clean");
        MailReceived e = prepare("spoofer@remote.example", to("junky@" + d), null, "quarantined");
        MailReceived junk = new MailReceived(e.id(), e.source(), e.time(), e.message(), e.envelope(), e.connection(), quarantine);
        fx.publish(junk);

        Document cleanCopy = awaitCopy(clean, owner);
        Document junkCopy = awaitCopy(junk, owner);
        Mailbox inbox = store.mailboxes().find(owner, "INBOX").orElseThrow();
        Mailbox junkBox = store.mailboxes().find(owner, "Junk").orElseThrow();
        assertThat(cleanCopy.getString(Messages.MAILBOX_ID)).isEqualTo(inbox.id());
        assertThat(junkCopy.getString(Messages.MAILBOX_ID)).isEqualTo(junkBox.id());
        assertThat(inbox(owner)).hasSize(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx.events(Topics.MAILBOX_CHANGES, MailboxChanged.class,
                c -> c.accountId().equals(owner) && c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED))
                .extracting(MailboxChanged::mailboxId).containsExactlyInAnyOrder(inbox.id(), junkBox.id()));

        // the user renamed Junk: the \Junk mailbox is found by its special use, not by its name
        assertThat(new mail.store.MailboxOperations(store).rename(owner, junkBox, mail.core.mailbox.MailboxName.fromUtf8("Spam"))).isTrue();
        MailReceived e2 = prepare("spoofer@remote.example", to("junky@" + d), null, "quarantined again");
        MailReceived junk2 = new MailReceived(e2.id(), e2.source(), e2.time(), e2.message(), e2.envelope(), e2.connection(), quarantine);
        fx.publish(junk2);
        assertThat(awaitCopy(junk2, owner).getString(Messages.MAILBOX_ID)).isEqualTo(junkBox.id());
        assertThat(store.mailboxes().byId(junkBox.id()).orElseThrow().name()).isEqualTo("Spam");
        assertThat(inbox(owner)).hasSize(1);
    }

    @Test
    void mailboxesCreatedByACopyThatDiedBeforeAnnouncingThemAreAnnouncedOnceByTheNextDelivery() {
        String owner = "acc-crashed-" + UUID.randomUUID();
        // what a copy killed between creating the default mailboxes and publishing MAILBOX_CREATED leaves behind
        List<String> created = store.mailboxes().ensureDefaults(owner).stream().map(Mailbox::id).toList();
        assertThat(created).hasSize(6);
        fx.account("crashed@" + d, owner, 0, true);
        await().atMost(WAIT).until(() -> service.directory().orElseThrow().account("crashed@" + d).isPresent());

        MailReceived e = send("sender@remote.example", to("crashed@" + d), null, "after a crash");
        awaitCopy(e, owner);
        await().atMost(WAIT).untilAsserted(() -> assertThat(created(owner)).containsExactlyInAnyOrderElementsOf(created));

        // another copy (nothing cached) delivering to the account finds the marks and announces nothing again
        LocalDelivery other = new LocalDelivery(store, publisher, "test/other-copy", WAIT, announcements);
        Account account = service.directory().orElseThrow().account("crashed@" + d).orElseThrow();
        LocalDelivery.Outcome outcome = other.deliver("other-" + UUID.randomUUID(), account, e.message(), new Document(), Instant.now());
        assertThat(outcome).isInstanceOf(LocalDelivery.Stored.class);
        ((LocalDelivery.Stored) outcome).awaitAnnounced(WAIT);
        await().atMost(WAIT).until(() -> fx.events(Topics.MAILBOX_CHANGES, MailboxChanged.class,
                c -> c.accountId().equals(owner) && c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED).size() >= 2);
        assertThat(created(owner)).hasSize(6);
        assertThat(inbox(owner)).hasSize(2);
    }

    private List<String> created(String accountId) {
        return fx.events(Topics.MAILBOX_CHANGES, MailboxChanged.class,
                c -> c.accountId().equals(accountId) && c.change() == MailboxChanged.ChangeKind.MAILBOX_CREATED)
                .stream().map(MailboxChanged::mailboxId).toList();
    }

    @Test
    void aliasesGroupsTagsAndAliasDomainsReachEachAccountOnce() {
        MailReceived e = send("sender@remote.example",
                to("info@" + d, "team@" + d2, "alice+news@" + d2, "all@" + d, "loop1@" + d), null, "expanded");
        awaitCopy(e, alice);
        awaitCopy(e, bob);
        awaitCopy(e, carol);
        for (String account : List.of(alice, bob, carol)) {
            assertThat(inbox(account)).filteredOn(m -> m.getString(Messages.DELIVERY_KEY).startsWith(e.id())).hasSize(1);
        }
        assertThat(store.blobRefs().count(e.message().blobKey())).isEqualTo(3);
    }

    @Test
    void theSameEventTwiceIsStoredOnceAndBurnsNoUid() {
        String solo = "acc-solo-" + UUID.randomUUID();
        fx.account("solo@" + d, solo, 0, true);
        await().atMost(WAIT).until(() -> service.directory().orElseThrow().account("solo@" + d).isPresent());
        MailReceived e = send("sender@remote.example", to("solo@" + d), null, "twice");
        awaitCopy(e, solo);
        fx.publish(e);
        MailReceived later = send("sender@remote.example", to("solo@" + d), null, "after the duplicate");
        Document next = awaitCopy(later, solo);
        // the duplicate was published before "later" on the same key space; wait until the worker has seen it too
        await().atMost(WAIT).until(() -> fx.events(Topics.MAILBOX_CHANGES, MailboxChanged.class,
                c -> c.accountId().equals(solo) && c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED && c.uids().equals(List.of(1L)))
                .size() >= 2);
        assertThat(inbox(solo)).hasSize(2);
        assertThat(next.getLong(Messages.UID)).isEqualTo(2);
        assertThat(store.mailboxes().find(solo, "INBOX").orElseThrow().uidNext()).isEqualTo(3);
        assertThat(store.blobRefs().count(e.message().blobKey())).isEqualTo(1);
    }

    @Test
    void unknownAndDisabledRecipientsBounceToALocalSenderWithTheDsnParameters() throws Exception {
        MessageRef ref = fx.store(Fixtures.message("alice@" + d, "nobody@" + d, "to nobody", "hello"));
        MailReceived e = Fixtures.received(ref, new mail.core.event.SmtpEnvelope("alice@" + d,
                List.of(Fixtures.rcpt("nobody@" + d, Set.of(), "Nobody@" + d), Fixtures.rcpt("dave@" + d, Set.of(DsnNotify.FAILURE), null),
                        Fixtures.rcpt("carol@" + d, Set.of(), null)),
                DsnReturn.HDRS, "env-" + e8(), mail.core.event.BodyType.SEVEN_BIT, false, null), "alice@" + d);
        fx.publish(e);
        awaitCopy(e, carol);
        String dsnId = mail.delivery.outbound.OutboundRequests.deterministicId("dsn", e.id());
        Document dsn = awaitCopy(withId(e, dsnId), alice);
        String text = dsnText(dsn);
        assertThat(text).contains("Content-Type: multipart/report; report-type=delivery-status")
                .contains("Final-Recipient: rfc822; nobody@" + d).contains("Status: 5.1.1")
                .contains("Original-Recipient: rfc822; Nobody@" + d)
                .contains("Final-Recipient: rfc822; dave@" + d).contains("Status: 5.2.1")
                .contains("Original-Envelope-Id: " + e.envelope().envId())
                .contains("Content-Type: text/rfc822-headers").contains("Subject: to nobody")
                .doesNotContain("carol@" + d + ">:").doesNotContain("\r\nhello\r\n");
        assertThat(store.messages().byDeliveryKey(LocalDelivery.deliveryKey(e.id(), alice))).isEmpty();
    }

    @Test
    void overQuotaIsNotStoredAndBouncesToARemoteSenderThroughTheRelay() throws Exception {
        MessageRef ref = fx.store(Fixtures.message("sender@remote.example", "erin@" + d, "too big", "x".repeat(400)));
        MailReceived e = Fixtures.received(ref, Fixtures.dsnEnvelope("sender@remote.example",
                Fixtures.rcpt("erin@" + d, Set.of(), null), DsnReturn.FULL, null), null);
        fx.publish(e);
        await().atMost(WAIT).until(() -> !outbound(e).isEmpty());
        List<OutboundRequested> out = outbound(e);
        assertThat(out).hasSize(1);
        OutboundRequested dsn = out.get(0);
        assertThat(dsn.hasNullSender()).isTrue();
        assertThat(dsn.recipients()).extracting(Recipient::address).containsExactly("sender@remote.example");
        assertThat(dsn.domain()).isEqualTo("remote.example");
        String text;
        try (InputStream in = fx.blobs.get(dsn.message())) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).contains("Status: 5.2.2").contains("Final-Recipient: rfc822; erin@" + d)
                .contains("Content-Type: message/rfc822").contains("x".repeat(400));
        assertThat(stored(e, erin)).isFalse();
    }

    @Test
    void theNullSenderNeverGetsADsnAndNotifyNeverIsHonoured() {
        MailReceived bounce = prepare("", to("nobody@" + d, "erin@" + d, "alice@" + d), null, "a bounce " + "y".repeat(400));
        MessageRef ref = fx.store(Fixtures.message("sender@remote.example", "nobody@" + d, "never", "z"));
        MailReceived never = Fixtures.received(ref, new mail.core.event.SmtpEnvelope("sender@remote.example",
                List.of(Fixtures.rcpt("nobody@" + d, Set.of(DsnNotify.NEVER), null), Recipient.of("bob@" + d)),
                null, null, mail.core.event.BodyType.SEVEN_BIT, false, null), null);
        fx.awaitHandled(GROUP, fx.publish(never));
        fx.awaitHandled(GROUP, fx.publish(bounce));
        assertThat(stored(bounce, alice)).isTrue();
        assertThat(stored(never, bob)).isTrue();
        assertThat(outbound(bounce)).isEmpty();
        assertThat(outbound(never)).isEmpty();
        assertThat(stored(bounce, erin)).isFalse();
    }

    @Test
    void notifySuccessGetsADeliveredReport() throws Exception {
        MessageRef ref = fx.store(Fixtures.message("alice@" + d, "bob@" + d, "report please", "hi"));
        MailReceived e = Fixtures.received(ref, Fixtures.dsnEnvelope("alice@" + d,
                Fixtures.rcpt("bob@" + d, Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), null), null, null), "alice@" + d);
        fx.publish(e);
        awaitCopy(e, bob);
        Document dsn = awaitCopy(withId(e, mail.delivery.outbound.OutboundRequests.deterministicId("dsn", e.id())), alice);
        assertThat(dsnText(dsn)).contains("Action: delivered").contains("Status: 2.0.0").contains("Final-Recipient: rfc822; bob@" + d);
    }

    @Test
    void remoteRecipientsOfASubmissionAndForwardsGoToTheRelayWithStableIds() {
        MailReceived e = send("alice@" + d, to("x@remote.example", "Y@Remote.example", "fwd@" + d, "bob@" + d),
                "alice@" + d, "outgoing");
        awaitCopy(e, bob);
        await().atMost(WAIT).until(() -> outbound(e).size() >= 2);
        List<OutboundRequested> out = outbound(e);
        OutboundRequested submitted = out.stream().filter(o -> alice.equals(o.originatingAccount())).findFirst().orElseThrow();
        assertThat(submitted.recipients()).extracting(Recipient::address).containsExactly("x@remote.example", "Y@Remote.example");
        assertThat(submitted.reversePath()).isEqualTo("alice@" + d);
        OutboundRequested forwarded = out.stream().filter(o -> o.originatingAccount() == null).findFirst().orElseThrow();
        assertThat(forwarded.recipients()).singleElement().satisfies(r -> {
            assertThat(r.address()).isEqualTo("someone@remote.example");
            assertThat(r.orcpt().address()).isEqualTo("fwd@" + d);
        });
        fx.publish(e);
        await().atMost(WAIT).until(() -> outbound(e).size() >= 4);
        assertThat(outbound(e)).extracting(OutboundRequested::id).containsOnly(submitted.id(), forwarded.id());
        assertThat(inbox(bob)).filteredOn(m -> m.getString(Messages.DELIVERY_KEY).startsWith(e.id())).hasSize(1);
    }

    @Test
    void anAccountThatAsksForItGetsOneSeenCopyOfEachSubmissionInSentAndOthersGetNone() {
        String keeper = "acc-keeper-" + UUID.randomUUID();
        String tiny = "acc-tiny-" + UUID.randomUUID();
        fx.accountSavingSent("keeper@" + d, keeper, 0);
        fx.accountSavingSent("tiny@" + d, tiny, 10);
        await().atMost(WAIT).until(() -> service.directory().orElseThrow().account("tiny@" + d).isPresent());

        // to a remote and a local recipient, and to itself: one copy in Sent, one in its own INBOX, bob's copy
        MailReceived e = send("keeper@" + d, to("x@remote.example", "bob@" + d, "keeper@" + d), "keeper@" + d, "kept");
        awaitCopy(e, bob);
        Document own = awaitCopy(e, keeper);
        String sentKey = LocalDelivery.deliveryKey(e.id(), keeper) + "/sent";
        await().atMost(WAIT).until(() -> store.messages().byDeliveryKey(sentKey).isPresent());
        Document sentCopy = store.messages().byDeliveryKey(sentKey).orElseThrow();
        Mailbox sent = store.mailboxes().find(keeper, "Sent").orElseThrow();
        assertThat(sentCopy.getString(Messages.MAILBOX_ID)).isEqualTo(sent.id());
        assertThat(sentCopy.getList(Messages.FLAGS, String.class)).containsExactly(Messages.SEEN);
        assertThat(sentCopy.getString(Messages.BLOB_KEY)).isEqualTo(e.message().blobKey());
        assertThat(own.getString(Messages.MAILBOX_ID)).isEqualTo(store.mailboxes().find(keeper, "INBOX").orElseThrow().id());
        assertThat(store.messages().counts(sent.id()).unseen()).isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx.events(Topics.MAILBOX_CHANGES, MailboxChanged.class,
                c -> c.accountId().equals(keeper) && c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED))
                .extracting(MailboxChanged::mailboxId).contains(sent.id()));

        // the same event again keeps one copy: the redelivery announces UID 1 of Sent a second time and stores nothing
        fx.publish(e);
        await().atMost(WAIT).until(() -> fx.events(Topics.MAILBOX_CHANGES, MailboxChanged.class,
                c -> c.mailboxId().equals(sent.id()) && c.change() == MailboxChanged.ChangeKind.MESSAGE_ADDED
                        && c.uids().equals(List.of(1L))).size() >= 2);
        MailReceived marker = send("keeper@" + d, to("y@remote.example"), "keeper@" + d, "after the redelivery");
        String markerKey = LocalDelivery.deliveryKey(marker.id(), keeper) + "/sent";
        await().atMost(WAIT).until(() -> store.messages().byDeliveryKey(markerKey).isPresent());
        assertThat(store.messages().list(sent.id())).extracting(m -> m.getString(Messages.DELIVERY_KEY))
                .containsExactlyInAnyOrder(sentKey, markerKey);
        assertThat(store.messages().byDeliveryKey(markerKey).orElseThrow().getLong(Messages.UID)).isEqualTo(2);

        // an account without the setting (alice) submitting, and mail the MX received for keeper: no copy in Sent
        MailReceived other = send("alice@" + d, to("z@remote.example", "keeper@" + d), "alice@" + d, "not kept");
        awaitCopy(other, keeper);
        await().atMost(WAIT).until(() -> outbound(other).size() >= 1);
        assertThat(store.messages().byDeliveryKey(LocalDelivery.deliveryKey(other.id(), alice) + "/sent")).isEmpty();
        MailReceived inbound = send("friend@remote.example", to("keeper@" + d), null, "inbound");
        awaitCopy(inbound, keeper);
        assertThat(store.messages().byDeliveryKey(LocalDelivery.deliveryKey(inbound.id(), keeper) + "/sent")).isEmpty();

        // over its quota the copy is left out, the message still goes out, and no DSN speaks of it
        MailReceived big = send("tiny@" + d, to("w@remote.example"), "tiny@" + d, "too big to keep");
        await().atMost(WAIT).until(() -> outbound(big).size() >= 1);
        assertThat(store.messages().byDeliveryKey(LocalDelivery.deliveryKey(big.id(), tiny) + "/sent")).isEmpty();
        assertThat(store.mailboxes().find(tiny, "INBOX").map(m -> store.messages().list(m.id())).orElse(List.of())).isEmpty();

        // the user deleted Sent: no copy anywhere (none in INBOX either), the message still goes out, the next event
        // is handled as usual
        new mail.store.MailboxOperations(store).delete(sent);
        MailReceived unsaved = send("keeper@" + d, to("v@remote.example"), "keeper@" + d, "no Sent folder");
        await().atMost(WAIT).until(() -> outbound(unsaved).size() >= 1);
        MailReceived after = send("friend@remote.example", to("keeper@" + d), null, "after the deleted Sent");
        awaitCopy(after, keeper);
        assertThat(store.messages().byDeliveryKey(LocalDelivery.deliveryKey(unsaved.id(), keeper) + "/sent")).isEmpty();
        assertThat(store.messages().byDeliveryKey(LocalDelivery.deliveryKey(unsaved.id(), keeper))).isEmpty();
    }

    @Test
    void unauthenticatedMailToARemoteAddressIsRefusedWithADsn() throws Exception {
        MailReceived e = send("alice@" + d, to("victim@remote.example"), null, "relay attempt");
        Document dsn = awaitCopy(withId(e, mail.delivery.outbound.OutboundRequests.deterministicId("dsn", e.id())), alice);
        assertThat(dsnText(dsn)).contains("Status: 5.7.1");
        assertThat(outbound(e)).isEmpty();
    }

    @Test
    void poisonEventsGoToTheDeadLetterTopicAndDeliveryCarriesOn() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        fx.publishRaw(Topics.MAIL_RECEIVED, key, "{not json".getBytes(StandardCharsets.UTF_8));
        MailboxChanged wrongType = MailboxChanged.create("test", "acc", "mb", "INBOX", 1, MailboxChanged.ChangeKind.MESSAGE_ADDED,
                List.of(1L), 1, null);
        fx.publishRaw(Topics.MAIL_RECEIVED, "wrong-" + key, new mail.core.event.EventCodec().encode(wrongType));
        MessageRef missing = MessageRef.of("0".repeat(63) + "1", 10);
        MailReceived noBlob = Fixtures.received(missing, "sender@remote.example", to("bob@" + d), null);
        fx.publish(noBlob);
        MailReceived fine = send("sender@remote.example", to("bob@" + d), null, "after the poison");
        awaitCopy(fine, bob);

        await().atMost(WAIT).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = fx.readAll(Topics.MAIL_RECEIVED_DLQ,
                    r -> r.key() != null && (r.key().endsWith(key) || r.key().equals(noBlob.id())));
            assertThat(dead).hasSize(3);
            assertThat(dead).allSatisfy(r -> assertThat(r.headers().lastHeader(DeadLetters.REASON)).isNotNull());
            assertThat(reason(dead, key)).contains("permanent failure");
            assertThat(reason(dead, "wrong-" + key)).contains("unexpected event type mailbox.changed");
            assertThat(reason(dead, noBlob.id())).contains("blob missing after 3 attempts");
            assertThat(dead.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow().value())
                    .isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(stored(noBlob, bob)).isFalse();
        await().atMost(WAIT).untilAsserted(() -> io.restassured.RestAssured.given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString("mail_delivery_dlq_total"))
                .body(org.hamcrest.Matchers.containsString("mail_delivery_delivered_total"))
                .body(org.hamcrest.Matchers.containsString("mail_delivery_latency_seconds_bucket")));
    }

    private static String reason(List<ConsumerRecord<String, byte[]>> dead, String key) {
        return new String(dead.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow()
                .headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
    }

    private List<OutboundRequested> outbound(MailReceived e) {
        return fx.events(Topics.MAIL_OUTBOUND, OutboundRequested.class, o -> o.receivedEventId().equals(e.id()));
    }

    /** The DSN is delivered under its own (derived) event id. */
    private static MailReceived withId(MailReceived e, String id) {
        return new MailReceived(id, e.source(), e.time(), e.message(), e.envelope(), e.connection());
    }

    private static String e8() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @SuppressWarnings("unused")
    private static EmailAddress addr(String a) {
        return EmailAddress.parse(a);
    }
}
