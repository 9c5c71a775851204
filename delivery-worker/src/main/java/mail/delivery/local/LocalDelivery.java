package mail.delivery.local;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.MailboxChanged;
import mail.core.event.MessageRef;
import mail.core.event.Topics;
import mail.core.kafka.EventPublisher;
import mail.delivery.process.Kafka;
import mail.store.MailStore;
import mail.store.Mailbox;
import mail.store.NewMessage;
import mail.store.SpecialUse;
import mail.store.StoredMessage;
import mail.store.StoreUnavailableException;
import org.bson.Document;

/** Stores one message for one account into its INBOX and announces it on mailbox.changes. */
public final class LocalDelivery {
    private final MailStore store;
    private final EventPublisher publisher;
    private final String source;
    private final Duration publishTimeout;
    // An INBOX's id and UIDVALIDITY never change (IMAP cannot delete or re-create INBOX), so caching them is safe.
    private final Map<String, Mailbox> inboxes = new ConcurrentHashMap<>();

    public LocalDelivery(MailStore store, EventPublisher publisher, String source, Duration publishTimeout) {
        this.store = store;
        this.publisher = publisher;
        this.source = source;
        this.publishTimeout = publishTimeout;
    }

    public sealed interface Outcome permits Stored, OverQuota, AlreadyRemoved {
    }

    /**
     * @param created   false for a redelivery that found its copy already stored
     * @param announced completes when mailbox.changes has the MESSAGE_ADDED; the event is not done before that
     */
    public record Stored(Mailbox mailbox, StoredMessage message, boolean created, CompletableFuture<?> announced)
            implements Outcome {

        public void awaitAnnounced(Duration timeout) {
            Kafka.await(announced, timeout, "mailbox.changes");
        }
    }

    public record OverQuota(String detail) implements Outcome {
    }

    /** Stored by an earlier delivery of the same event and expunged since: not stored again. */
    public record AlreadyRemoved() implements Outcome {
    }

    public static String deliveryKey(String eventId, String accountId) {
        return eventId + "/" + accountId;
    }

    public Outcome deliver(String eventId, Account account, MessageRef blob, Document metadata, Instant internalDate) {
        String key = deliveryKey(eventId, account.accountId());
        Mailbox inbox = inbox(account.accountId());
        // a redelivery must find its earlier copy before any quota check could now (wrongly) refuse it
        if (limited(account) && store.messages().byDeliveryKey(key).isEmpty()) {
            String over = quotaExceeded(account, blob.size());
            if (over != null) {
                return new OverQuota(over);
            }
        }
        NewMessage message = new NewMessage(account.accountId(), blob, internalDate, List.of(), List.of(), metadata, key);
        StoredMessage stored = store.store(inbox, message).orElse(null);
        if (stored == null) {
            return new AlreadyRemoved();
        }
        // published again on redelivery: consumers treat a repeated MESSAGE_ADDED as a no-op
        CompletableFuture<?> announced = publisher.publish(Topics.MAILBOX_CHANGES, account.accountId(),
                MailboxChanged.create(source, account.accountId(), inbox.id(), inbox.name(), inbox.uidValidity(),
                        MailboxChanged.ChangeKind.MESSAGE_ADDED, List.of(stored.uid()), stored.modSeq(), null));
        return new Stored(inbox, stored, stored.created(), announced);
    }

    private static boolean limited(Account account) {
        return account.quotaBytes() != Account.UNLIMITED || account.quotaMessages() != null && account.quotaMessages() > 0;
    }

    private String quotaExceeded(Account account, long size) {
        if (account.quotaBytes() != Account.UNLIMITED) {
            long used = store.messages().accountUsage(account.accountId());
            if (used + size > account.quotaBytes()) {
                return "mailbox full: " + used + " of " + account.quotaBytes() + " octets used, message has " + size;
            }
        }
        Long maxMessages = account.quotaMessages();
        if (maxMessages != null && maxMessages > 0) {
            long count = store.messages().accountMessages(account.accountId());
            if (count + 1 > maxMessages) {
                return "mailbox full: " + count + " of " + maxMessages + " messages";
            }
        }
        return null;
    }

    private Mailbox inbox(String accountId) {
        Mailbox cached = inboxes.get(accountId);
        if (cached != null) {
            return cached;
        }
        for (Mailbox created : store.mailboxes().ensureDefaults(accountId)) {
            Kafka.await(publisher.publish(Topics.MAILBOX_CHANGES, accountId, MailboxChanged.create(source, accountId, created.id(),
                    created.name(), created.uidValidity(), MailboxChanged.ChangeKind.MAILBOX_CREATED, List.of(),
                    created.highestModSeq(), null)), publishTimeout, "mailbox.changes");
        }
        Mailbox inbox = store.mailboxes().find(accountId, SpecialUse.INBOX.defaultName())
                .orElseThrow(() -> new StoreUnavailableException("INBOX of " + accountId + " vanished right after creation"));
        inboxes.put(accountId, inbox);
        return inbox;
    }
}
