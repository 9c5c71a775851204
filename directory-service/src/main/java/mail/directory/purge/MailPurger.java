package mail.directory.purge;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mail.directory.adapter.mongo.PurgeQueue;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.Messages;
import mail.store.StoreSchema;
import mail.store.Subscriptions;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.jboss.logging.Logger;

/**
 * Removes the mail data of deleted accounts: for every mailbox of the account its messages are expunged through the
 * mailbox store (which releases their blob references), then the mailbox document goes, then the purge is marked
 * DONE. Every step reads what is left, so a run that stopped anywhere (crash, MongoDB outage) is simply run again.
 * Blobs whose reference count reached zero are the object-store sweep's business, as after any expunge.
 */
@ApplicationScoped
public class MailPurger {
    private static final Logger LOG = Logger.getLogger(MailPurger.class);
    private static final int BATCH = 500;
    private static final int ACCOUNTS_PER_RUN = 100;

    private final PurgeQueue queue;
    private final MailStore store;
    private final MongoCollection<Document> mailboxes;
    private final MongoCollection<Document> messages;
    private final Subscriptions subscriptions;
    private final Object running = new Object();

    public MailPurger(PurgeQueue queue, MongoDatabase db) {
        this.queue = queue;
        this.store = new MailStore(db);
        this.mailboxes = db.getCollection(StoreSchema.MAILBOXES);
        this.messages = db.getCollection(StoreSchema.MESSAGES);
        this.subscriptions = new Subscriptions(db);
    }

    public record Report(int accounts, long messages, long mailboxes, int failed) {
    }

    @Scheduled(every = "${mail.directory.purge-interval:30s}", delay = 20,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge();
        } catch (RuntimeException e) {
            LOG.warnf("purging deleted accounts' mail failed, will retry: %s", e.getMessage());
        }
    }

    public Report purge() {
        synchronized (running) {
            int accounts = 0;
            int failed = 0;
            long removedMessages = 0;
            long removedMailboxes = 0;
            for (PurgeQueue.Request r : queue.pending(ACCOUNTS_PER_RUN)) {
                try {
                    long[] counts = purge(r.accountId());
                    queue.markDone(r.accountId(), counts[0], counts[1], Instant.now());
                    removedMessages += counts[0];
                    removedMailboxes += counts[1];
                    accounts++;
                    LOG.infof("mail of deleted account %s (%s) removed: %d messages, %d mailboxes", r.accountId(),
                            r.address(), counts[0], counts[1]);
                } catch (RuntimeException e) {
                    // one account's failure must not hold up the others; it stays PENDING for the next run
                    failed++;
                    LOG.warnf("removing the mail of deleted account %s failed, will retry: %s", r.accountId(), e.getMessage());
                }
            }
            return new Report(accounts, removedMessages, removedMailboxes, failed);
        }
    }

    private long[] purge(String accountId) {
        long removedMessages = 0;
        long removedMailboxes = 0;
        for (Mailbox mailbox : store.mailboxes().list(accountId)) {
            List<Long> uids;
            while (!(uids = uids(mailbox.id())).isEmpty()) {
                removedMessages += store.expunge(mailbox, uids).uids().size();
            }
            removedMailboxes += mailboxes.deleteOne(Filters.eq("_id", new ObjectId(mailbox.id()))).getDeletedCount();
        }
        // IMAP subscriptions are names that outlive mailboxes (RFC 3501 §6.3.6), but not their account
        for (String name : subscriptions.names(accountId)) {
            subscriptions.unsubscribe(accountId, name);
        }
        return new long[] {removedMessages, removedMailboxes};
    }

    private List<Long> uids(String mailboxId) {
        return messages.find(Filters.eq(Messages.MAILBOX_ID, mailboxId)).projection(Projections.include(Messages.UID))
                .sort(Sorts.ascending(Messages.UID)).limit(BATCH)
                .map(d -> ((Number) d.get(Messages.UID)).longValue()).into(new ArrayList<>());
    }
}
