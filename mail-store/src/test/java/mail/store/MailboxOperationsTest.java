package mail.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import mail.core.event.MessageRef;
import mail.core.mailbox.MailboxName;
import mail.core.mongo.MongoSchema;
import mail.store.MailboxOperations.FlagMode;
import mail.testsupport.SharedInfra;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IMAP's mailbox operations against the MongoDB-wire-compatible server through the official driver. */
class MailboxOperationsTest {
    private static MongoClient client;
    private static MongoDatabase db;
    private static MailStore store;
    private static MailboxOperations ops;

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.require("mongo").mongoUri());
        db = client.getDatabase("ops_test_" + UUID.randomUUID().toString().substring(0, 8));
        MongoSchema.ensure(db, StoreSchema.collections());
        store = new MailStore(db, Duration.ofSeconds(2), Duration.ofSeconds(10));
        ops = new MailboxOperations(store);
    }

    @AfterAll
    static void close() {
        db.drop();
        client.close();
    }

    private static String account() {
        return "acc-" + UUID.randomUUID();
    }

    /** Blob references are global, so each account gets blobs of its own. */
    private static MessageRef blob(String account, int n) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((account + "/" + n).getBytes());
            return MessageRef.of(java.util.HexFormat.of().formatHex(digest), 100 + n);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Mailbox inboxWith(String account, int count) {
        store.mailboxes().ensureDefaults(account);
        Mailbox inbox = store.mailboxes().find(account, "INBOX").orElseThrow();
        for (int i = 0; i < count; i++) {
            store.store(inbox, new NewMessage(account, blob(account, i), Instant.parse("2026-11-29T10:00:00Z"), List.of(), List.of(),
                    new Document("n", i), account + "/" + i));
        }
        return store.mailboxes().byId(inbox.id()).orElseThrow();
    }

    @Test
    void addRemoveAndReplaceFlagsShareOneNewModSeqAndReportOnlyRealChanges() {
        String acc = account();
        Mailbox inbox = inboxWith(acc, 3);
        long before = inbox.highestModSeq();

        MailboxOperations.FlagResult add = ops.updateFlags(inbox, List.of(1L, 2L), FlagMode.ADD, List.of("\\Seen"), List.of("$Work"), -1);
        assertThat(add.changed()).extracting(MailboxOperations.FlagState::uid).containsExactly(1L, 2L);
        assertThat(add.changed()).allSatisfy(s -> {
            assertThat(s.flags()).containsExactly("\\Seen");
            assertThat(s.keywords()).containsExactly("$Work");
            assertThat(s.modSeq()).isEqualTo(before + 1);
        });
        assertThat(store.mailboxes().byId(inbox.id()).orElseThrow().highestModSeq()).isEqualTo(before + 1);

        // adding what is there already changes nothing and allocates no MODSEQ
        MailboxOperations.FlagResult again = ops.updateFlags(inbox, List.of(1L), FlagMode.ADD, List.of("\\Seen"), List.of(), -1);
        assertThat(again.changed()).isEmpty();
        assertThat(again.unchanged()).extracting(MailboxOperations.FlagState::uid).containsExactly(1L);
        assertThat(store.mailboxes().byId(inbox.id()).orElseThrow().highestModSeq()).isEqualTo(before + 1);

        MailboxOperations.FlagResult remove = ops.updateFlags(inbox, List.of(1L, 2L, 3L), FlagMode.REMOVE, List.of("\\seen"), List.of(), -1);
        assertThat(remove.changed()).extracting(MailboxOperations.FlagState::uid).containsExactly(1L, 2L);
        assertThat(remove.changed().get(0).flags()).isEmpty();
        assertThat(remove.changed().get(0).keywords()).containsExactly("$Work");

        MailboxOperations.FlagResult replace = ops.updateFlags(inbox, List.of(3L), FlagMode.REPLACE, List.of("\\Flagged", "\\Answered"), List.of(), -1);
        assertThat(replace.changed().get(0).flags()).containsExactly("\\Flagged", "\\Answered");
        assertThat(store.messages().byUids(inbox.id(), List.of(3L)).get(0).getList(Messages.FLAGS, String.class))
                .containsExactly("\\Flagged", "\\Answered");
    }

    @Test
    void unchangedSinceLeavesNewerMessagesAloneAndNamesThem() {
        String acc = account();
        Mailbox inbox = inboxWith(acc, 2);
        ops.updateFlags(inbox, List.of(2L), FlagMode.ADD, List.of("\\Flagged"), List.of(), -1);
        long msg1ModSeq = store.messages().byUids(inbox.id(), List.of(1L)).get(0).getLong(Messages.MODSEQ);

        MailboxOperations.FlagResult r = ops.updateFlags(inbox, List.of(1L, 2L), FlagMode.ADD, List.of("\\Seen"), List.of(), msg1ModSeq);
        assertThat(r.changed()).extracting(MailboxOperations.FlagState::uid).containsExactly(1L);
        assertThat(r.modified()).containsExactly(2L);
        assertThat(store.messages().byUids(inbox.id(), List.of(2L)).get(0).getList(Messages.FLAGS, String.class))
                .containsExactly("\\Flagged");
    }

    @Test
    void aConcurrentChangeIsNotOverwrittenButMergedWith() {
        String acc = account();
        Mailbox inbox = inboxWith(acc, 1);
        // another session sets \Flagged between our read and our write: simulated by a raw write that bumps MODSEQ
        // before the call; the call re-reads on its compare-and-set miss, so both flags survive
        store.messages().collection().updateOne(Filters.and(Filters.eq(Messages.MAILBOX_ID, inbox.id()), Filters.eq(Messages.UID, 1L)),
                Updates.combine(Updates.set(Messages.FLAGS, List.of("\\Flagged")), Updates.set(Messages.MODSEQ, 99L)));
        MailboxOperations.FlagResult r = ops.updateFlags(inbox, List.of(1L), FlagMode.ADD, List.of("\\Seen"), List.of(), -1);
        assertThat(r.changed().get(0).flags()).containsExactlyInAnyOrder("\\Flagged", "\\Seen");
    }

    @Test
    void copyKeepsFlagsDateAndBodyAndSharesTheBlob() {
        String acc = account();
        Mailbox inbox = inboxWith(acc, 2);
        ops.updateFlags(inbox, List.of(2L), FlagMode.ADD, List.of("\\Seen"), List.of("$Label1"), -1);
        Mailbox archive = store.mailboxes().find(acc, "Archive").orElseThrow();

        List<MailboxOperations.CopiedUid> first = ops.copy(inbox, List.of(1L, 2L), archive);
        List<MailboxOperations.CopiedUid> second = ops.copy(inbox, List.of(2L), archive);
        assertThat(first).containsExactly(new MailboxOperations.CopiedUid(1, 1), new MailboxOperations.CopiedUid(2, 2));
        assertThat(second).containsExactly(new MailboxOperations.CopiedUid(2, 3));
        List<Document> copies = store.messages().list(archive.id());
        assertThat(copies).hasSize(3);
        assertThat(copies.get(1).getList(Messages.FLAGS, String.class)).containsExactly("\\Seen");
        assertThat(copies.get(1).getList(Messages.KEYWORDS, String.class)).containsExactly("$Label1");
        assertThat(copies.get(1).getString(Messages.BLOB_KEY)).isEqualTo(blob(acc, 1).blobKey());
        assertThat(store.blobRefs().count(blob(acc, 1).blobKey())).isEqualTo(3);
        // the originals are untouched
        assertThat(store.messages().list(inbox.id())).hasSize(2);
    }

    @Test
    void renameMovesTheSubtreeAndKeepsUidValidityAndRefusesAnExistingTarget() {
        String acc = account();
        inboxWith(acc, 0);
        Mailbox work = ops.create(acc, MailboxName.parse("Work"), null).orElseThrow();
        ops.create(acc, MailboxName.parse("Work/2026"), null).orElseThrow();
        ops.create(acc, MailboxName.parse("Workshop"), null).orElseThrow();

        assertThat(ops.rename(acc, work, MailboxName.parse("Archive"))).isFalse();
        assertThat(ops.rename(acc, work, MailboxName.parse("Jobs"))).isTrue();

        assertThat(store.mailboxes().list(acc)).extracting(Mailbox::name)
                .contains("Jobs", "Jobs/2026", "Workshop").doesNotContain("Work", "Work/2026");
        assertThat(store.mailboxes().find(acc, "Jobs").orElseThrow().uidValidity()).isEqualTo(work.uidValidity());
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesItEmpty() {
        String acc = account();
        Mailbox inbox = inboxWith(acc, 2);
        assertThat(ops.rename(acc, inbox, MailboxName.parse("Old-Inbox"))).isTrue();
        Mailbox old = store.mailboxes().find(acc, "Old-Inbox").orElseThrow();
        assertThat(store.messages().list(old.id())).extracting(d -> d.getLong(Messages.UID)).containsExactly(1L, 2L);
        assertThat(store.messages().list(inbox.id())).isEmpty();
        assertThat(old.uidNext()).isEqualTo(inbox.uidNext());
        // INBOX still takes mail, with UIDs after the moved ones
        store.store(store.mailboxes().byId(inbox.id()).orElseThrow(), new NewMessage(acc, blob(acc, 9), Instant.now(), List.of(), List.of(),
                null, acc + "/after"));
        assertThat(store.messages().list(inbox.id())).extracting(d -> d.getLong(Messages.UID)).containsExactly(3L);
    }

    @Test
    void deleteRemovesMessagesAndReleasesBlobReferences() {
        String acc = account();
        Mailbox inbox = inboxWith(acc, 2);
        Mailbox junk = store.mailboxes().find(acc, "Junk").orElseThrow();
        ops.copy(inbox, List.of(1L), junk);
        assertThat(store.blobRefs().count(blob(acc, 0).blobKey())).isGreaterThanOrEqualTo(2);
        long refsBefore = store.blobRefs().count(blob(acc, 0).blobKey());

        ops.delete(junk);

        assertThat(store.mailboxes().byId(junk.id())).isEmpty();
        assertThat(store.messages().list(junk.id())).isEmpty();
        assertThat(store.blobRefs().count(blob(acc, 0).blobKey())).isEqualTo(refsBefore - 1);
        assertThat(store.messages().list(inbox.id())).hasSize(2);
    }

    @Test
    void uidsAndChangedSinceServeTheSessionsMaps() {
        String acc = account();
        Mailbox inbox = inboxWith(acc, 3);
        store.expunge(inbox, List.of(2L));
        assertThat(ops.uids(inbox.id())).containsExactly(1L, 3L);
        long now = store.mailboxes().byId(inbox.id()).orElseThrow().highestModSeq();
        ops.updateFlags(inbox, List.of(3L), FlagMode.ADD, List.of("\\Deleted"), List.of(), -1);
        assertThat(ops.changedSince(inbox.id(), now)).extracting(MailboxOperations.FlagState::uid).containsExactly(3L);
    }
}
