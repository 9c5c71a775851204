package mail.backup.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import mail.backup.adapter.kafka.KafkaEndOffsets;
import mail.backup.archive.ContentFile;
import mail.backup.archive.Manifest;
import mail.backup.restore.RestoreRefusedException;
import mail.backup.restore.RestoreRequest;
import mail.backup.restore.RestoreResult;
import mail.backup.restore.Restorer;
import mail.backup.location.BackupTarget;
import mail.backup.location.DirectoryTarget;
import mail.core.event.MessageRef;
import mail.core.event.Topics;
import mail.store.Mailbox;
import mail.store.MailboxOperations;
import mail.store.Messages;
import mail.store.StoreSchema;
import mail.store.StoredMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full and incremental backups of a platform filled through mail-store, restored into empty platforms, compared document by document. */
class BackupRestoreTest {
    private static Admin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void kafka() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Fixture.INFRA.kafkaBootstrap());
        admin = Admin.create(p);
        try {
            admin.createTopics(List.of(new NewTopic(Topics.MAIL_RECEIVED, 2, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static BackupRunner runner(Fixture f) {
        return new BackupRunner(f.db, f.blobs, null, new KafkaEndOffsets(admin), Path.of(System.getProperty("java.io.tmpdir"), "bk-test"),
                Clock.systemUTC());
    }

    private static Restorer restorer(Fixture f) {
        return new Restorer(f.db, f.blobs, null, Clock.systemUTC());
    }

    private static String id() {
        return BackupRunner.newId(Instant.now());
    }

    private static long sum(Map<String, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void assertSamePlatform(Fixture expected, Fixture actual) throws Exception {
        for (String c : List.of(StoreSchema.MAILBOXES, StoreSchema.MESSAGES, StoreSchema.BLOB_REFS, StoreSchema.DELIVERIES)) {
            // equal documents, types included (Long stays Long, Date stays Date, ObjectId stays ObjectId)
            assertThat(actual.all(c)).as(c).isEqualTo(expected.all(c));
        }
        for (Document m : expected.all(StoreSchema.MESSAGES)) {
            MessageRef ref = new MessageRef(m.getString(Messages.BLOB_KEY), m.getString(Messages.SHA256), m.getLong(Messages.SIZE));
            assertThat(actual.blob(ref)).isEqualTo(expected.blob(ref));
        }
    }

    @Test
    void fullBackupRestoresIntoAnEmptyPlatformExactlyAndAgainWithoutDuplicates() throws Exception {
        try (Fixture source = new Fixture(); Fixture empty = new Fixture();
             KafkaProducer<String, String> producer = producer()) {
            String account = "acc-" + UUID.randomUUID();
            Mailbox inbox = source.inbox(account);
            Mailbox work = source.mailbox(account, "Work/Projects");
            byte[] shared = Fixture.message("a@example.test", "b@example.test", "to many", "one body, two mailboxes");
            Instant date = Instant.parse("2026-01-02T03:04:05.678Z");
            source.deliver(inbox, shared, List.of("\\Seen"), date);
            source.deliver(work, shared, List.of("\\Flagged", "\\Answered"), date.plusSeconds(60));
            source.deliver(inbox, Fixture.message("c@example.test", "b@example.test", "Grüße", "ünïcødé body"), List.of(), date);
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(Topics.MAIL_RECEIVED, "k" + i, "{}")).get();
            }

            BackupTarget target = new DirectoryTarget(dir);
            Manifest m = runner(source).run(target, id(), false, Progress.NONE);

            assertThat(m.kind()).isEqualTo(Manifest.FULL);
            assertThat(m.parentId()).isNull();
            assertThat(m.formatVersion()).isEqualTo(Manifest.FORMAT_VERSION);
            assertThat(sum(m.kafkaOffsets().get(Topics.MAIL_RECEIVED))).isGreaterThanOrEqualTo(3);
            assertThat(m.stats().messages()).isEqualTo(3);
            // the body sent to two mailboxes is one blob in the backup too
            assertThat(m.files().stream().filter(x -> x.kind().equals(ContentFile.BLOB))).hasSize(2);
            assertThat(m.collections()).contains(StoreSchema.MESSAGES, StoreSchema.MAILBOXES).doesNotContain(StoreSchema.MAILBOX_LEASES);
            assertThat(new Verifier().verify(target, m.id(), Progress.NONE).problems()).isEmpty();

            RestoreResult r = restorer(empty).restore(target, new RestoreRequest(m.id(), RestoreRequest.Scope.FULL, null, null, false),
                    Progress.NONE);
            assertThat(r.blobsRestored()).isEqualTo(2);
            assertThat(r.messages()).isEqualTo(3);
            assertSamePlatform(source, empty);

            // a second run (e.g. after an interruption) completes nothing twice
            RestoreResult again = restorer(empty).restore(target, new RestoreRequest(m.id(), RestoreRequest.Scope.FULL, null, null, true),
                    Progress.NONE);
            assertThat(again.inserted()).isZero();
            assertThat(again.blobsRestored()).isZero();
            assertThat(again.skipped()).isEqualTo(r.inserted());
            assertSamePlatform(source, empty);

            // without the flag, a platform with data in it is refused, and nothing changes
            List<Document> before = empty.all(StoreSchema.MESSAGES);
            assertThatThrownBy(() -> restorer(empty).restore(target, new RestoreRequest(m.id(), RestoreRequest.Scope.FULL, null, null, false),
                    Progress.NONE)).isInstanceOf(RestoreRefusedException.class).hasMessageContaining("not empty");
            assertThat(empty.all(StoreSchema.MESSAGES)).isEqualTo(before);
        }
    }

    @Test
    void incrementalCopiesOnlyWhatChangedAndEachBackupRestoresItsOwnPointInTime() throws Exception {
        try (Fixture source = new Fixture(); Fixture atFull = new Fixture(); Fixture atIncrement = new Fixture()) {
            String account = "acc-" + UUID.randomUUID();
            Mailbox inbox = source.inbox(account);
            Instant date = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            StoredMessage first = source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "1", "first"), List.of(), date);
            StoredMessage second = source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "2", "second"), List.of(), date);
            source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "3", "third"), List.of("\\Seen"), date);
            BackupTarget target = new DirectoryTarget(dir);
            Manifest full = runner(source).run(target, id(), true, Progress.NONE);
            assertThat(full.kind()).as("no backup to build on yet").isEqualTo(Manifest.FULL);
            List<Document> messagesAtFull = source.all(StoreSchema.MESSAGES);

            inbox = source.store.mailboxes().byId(inbox.id()).orElseThrow();
            MailboxOperations ops = new MailboxOperations(source.store);
            ops.updateFlags(inbox, List.of(first.uid()), MailboxOperations.FlagMode.ADD, List.of("\\Seen", "\\Answered"), List.of(), -1);
            source.store.expunge(inbox, List.of(second.uid()));
            source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "4", "fourth"), List.of("\\Draft"), date);

            Manifest inc = runner(source).run(target, id(), true, Progress.NONE);
            assertThat(inc.kind()).isEqualTo(Manifest.INCREMENTAL);
            assertThat(inc.parentId()).isEqualTo(full.id());
            assertThat(inc.stats().blobsWritten()).as("only the new message's body").isEqualTo(1);
            assertThat(inc.stats().messages()).isEqualTo(3);
            long unchangedMessages = 1;
            assertThat(inc.files().stream().filter(f -> f.name().endsWith("/mongo/messages.ndjson.gz")).findFirst().orElseThrow().items())
                    .as("the flagged and the new message, not the untouched one").isEqualTo(3 - unchangedMessages);
            assertThat(new Verifier().verify(target, inc.id(), Progress.NONE).problems()).isEmpty();

            restorer(atIncrement).restore(target, new RestoreRequest(inc.id(), RestoreRequest.Scope.FULL, null, null, false), Progress.NONE);
            assertSamePlatform(source, atIncrement);

            restorer(atFull).restore(target, new RestoreRequest(full.id(), RestoreRequest.Scope.FULL, null, null, false), Progress.NONE);
            assertThat(atFull.all(StoreSchema.MESSAGES)).isEqualTo(messagesAtFull);

            // an increment with nothing changed copies no document and no blob
            Manifest idle = runner(source).run(target, id(), true, Progress.NONE);
            assertThat(idle.stats().changed()).isZero();
            assertThat(idle.stats().blobsWritten()).isZero();
        }
    }

    @Test
    void oneMailboxComesBackWholeWhenItIsGoneAndUnderRestoredWhenItExists() throws Exception {
        try (Fixture source = new Fixture()) {
            String account = "acc-" + UUID.randomUUID();
            Mailbox inbox = source.inbox(account);
            Mailbox lists = source.mailbox(account, "Lists");
            Instant date = Instant.parse("2025-06-07T08:09:10.111Z");
            source.deliver(inbox, Fixture.message("a@x.test", "b@x.test", "keep", "in inbox"), List.of("\\Seen"), date);
            source.deliver(lists, Fixture.message("l@x.test", "b@x.test", "l1", "list one"), List.of("\\Flagged"), date);
            source.deliver(lists, Fixture.message("l@x.test", "b@x.test", "l2", "list two"), List.of(), date.plusSeconds(5));
            BackupTarget target = new DirectoryTarget(dir);
            Manifest m = runner(source).run(target, id(), false, Progress.NONE);
            Document listsBefore = source.db.getCollection(StoreSchema.MAILBOXES).find(Filters.eq("name", "Lists")).first();
            List<Document> listMessages = source.store.messages().list(lists.id());

            new MailboxOperations(source.store).delete(lists);
            assertThat(source.store.messages().list(lists.id())).isEmpty();
            RestoreResult r = restorer(source).restore(target, new RestoreRequest(m.id(), RestoreRequest.Scope.MAILBOX, account, "Lists", false),
                    Progress.NONE);
            assertThat(r.restoredInto()).isEmpty();
            // whole: same mailbox id and UIDVALIDITY, same UIDs, flags and internal dates, so client caches stay valid
            assertThat(source.db.getCollection(StoreSchema.MAILBOXES).find(Filters.eq("name", "Lists")).first()).isEqualTo(listsBefore);
            assertThat(source.store.messages().list(lists.id())).isEqualTo(listMessages);
            assertThat(source.store.blobRefs().count(listMessages.get(0).getString(Messages.BLOB_KEY))).isEqualTo(1);

            // the mailbox exists (with new mail in it): the backup's copy goes beside it, flags and dates kept
            Mailbox current = source.store.mailboxes().find(account, "INBOX").orElseThrow();
            source.deliver(current, Fixture.message("n@x.test", "b@x.test", "new", "after the backup"), List.of(), Instant.now());
            RestoreResult into = restorer(source).restore(target, new RestoreRequest(m.id(), RestoreRequest.Scope.MAILBOX, account, "INBOX", false),
                    Progress.NONE);
            String folder = "Restored/" + m.createdAt().toString().substring(0, 10) + "/INBOX";
            assertThat(into.restoredInto()).containsExactly("INBOX -> " + folder);
            Mailbox restored = source.store.mailboxes().find(account, folder).orElseThrow();
            List<Document> copies = source.store.messages().list(restored.id());
            assertThat(copies).hasSize(1);
            assertThat(copies.get(0).getList(Messages.FLAGS, String.class)).containsExactly("\\Seen");
            assertThat(copies.get(0).getDate(Messages.INTERNAL_DATE).toInstant()).isEqualTo(date);
            assertThat(source.store.messages().list(current.id())).hasSize(2);

            // idempotent: running it again adds nothing
            RestoreResult again = restorer(source).restore(target, new RestoreRequest(m.id(), RestoreRequest.Scope.MAILBOX, account, "INBOX", false),
                    Progress.NONE);
            assertThat(again.inserted()).isZero();
            assertThat(source.store.messages().list(restored.id())).hasSize(1);

            assertThatThrownBy(() -> restorer(source).restore(target, new RestoreRequest(m.id(), RestoreRequest.Scope.MAILBOX, account,
                    "Nope", false), Progress.NONE)).isInstanceOf(RestoreRefusedException.class).hasMessageContaining("no mailbox 'Nope'");
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Fixture.INFRA.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
