package mail.delivery.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import mail.store.Messages;
import mail.store.NewMessage;
import mail.store.SpecialUse;
import mail.store.StoredMessage;
import mail.store.StoreUnavailableException;
import org.bson.Document;

/**
 * Stores one message for one account into its INBOX (or, when the MX's sender authentication asked for it, its Junk
 * mailbox) and announces it on mailbox.changes.
 */
public final class LocalDelivery {
    // exact usage at most every 5 s per account, and always within 10 % of a limit (see QuotaGuard)
    private static final Duration QUOTA_MAX_AGE = Duration.ofSeconds(5);
    private static final double QUOTA_HEADROOM = 0.9;

    private final MailStore store;
    private final EventPublisher publisher;
    private final String source;
    private final Duration publishTimeout;
    private final CreationAnnouncements announcements;
    private final QuotaGuard quota;
    // An INBOX's id and UIDVALIDITY never change (IMAP cannot delete or re-create INBOX), so caching them is safe.
    // An account is cached only once its default mailboxes exist and their creation has been announced, so a hit
    // costs no round trip at all.
    private final Map<String, Mailbox> inboxes = new ConcurrentHashMap<>();

    public LocalDelivery(MailStore store, EventPublisher publisher, String source, Duration publishTimeout,
                         CreationAnnouncements announcements) {
        this.store = store;
        this.publisher = publisher;
        this.source = source;
        this.publishTimeout = publishTimeout;
        this.announcements = announcements;
        this.quota = new QuotaGuard(new QuotaGuard.Usage() {
            @Override
            public long bytes(String accountId) {
                return store.messages().accountUsage(accountId);
            }

            @Override
            public long messages(String accountId) {
                return store.messages().accountMessages(accountId);
            }
        }, System::nanoTime, QUOTA_MAX_AGE, QUOTA_HEADROOM);
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
        return deliver(eventId, account, blob, metadata, internalDate, false);
    }

    /** @param junk file into the account's Junk mailbox (RFC 6154 \Junk) instead of INBOX */
    public Outcome deliver(String eventId, Account account, MessageRef blob, Document metadata, Instant internalDate,
                           boolean junk) {
        Mailbox inbox = inbox(account.accountId());
        if (junk) {
            inbox = specialUse(account.accountId(), SpecialUse.JUNK).orElse(inbox);
        }
        return store(deliveryKey(eventId, account.accountId()), account, inbox, blob, metadata, internalDate, List.of());
    }

    /**
     * Files the sender's own copy of a submission, marked \Seen, into the mailbox marked \Sent; its delivery key differs
     * from the INBOX copy's, so a sender who is also a recipient gets both. Empty when the account has no \Sent
     * mailbox (the user deleted it): the message itself was sent, and a copy of one's own mail in INBOX would only
     * confuse.
     */
    public Optional<Outcome> fileSentCopy(String eventId, Account account, MessageRef blob, Document metadata,
                                                    Instant internalDate) {
        Mailbox inbox = inbox(account.accountId());
        return specialUse(account.accountId(), SpecialUse.SENT).filter(m -> !m.id().equals(inbox.id())).map(sent ->
                store(deliveryKey(eventId, account.accountId()) + "/sent", account, sent, blob, metadata, internalDate,
                        List.of(Messages.SEEN)));
    }

    private Outcome store(String key, Account account, Mailbox mailbox, MessageRef blob, Document metadata,
                          Instant internalDate, List<String> flags) {
        // a redelivery must find its earlier copy before any quota check could now (wrongly) refuse it
        if (QuotaGuard.limited(account) && store.messages().byDeliveryKey(key).isEmpty()) {
            String over = quota.exceeded(account, blob.size());
            if (over != null) {
                return new OverQuota(over);
            }
        }
        NewMessage message = new NewMessage(account.accountId(), blob, internalDate, flags, List.of(), metadata, key);
        StoredMessage stored;
        try {
            stored = store.store(mailbox, message).orElse(null);
        } catch (StoreUnavailableException e) {
            // the cached INBOX may be gone with its account; the retry looks it up again
            inboxes.remove(account.accountId());
            throw e;
        }
        if (stored == null) {
            return new AlreadyRemoved();
        }
        if (stored.created()) {
            quota.stored(account.accountId(), blob.size());
        }
        // published again on redelivery: consumers treat a repeated MESSAGE_ADDED as a no-op
        CompletableFuture<?> announced = publisher.publish(Topics.MAILBOX_CHANGES, account.accountId(),
                MailboxChanged.create(source, account.accountId(), mailbox.id(), mailbox.name(), mailbox.uidValidity(),
                        MailboxChanged.ChangeKind.MESSAGE_ADDED, List.of(stored.uid()), stored.modSeq(), null));
        return new Stored(mailbox, stored, stored.created(), announced);
    }

    /**
     * The mailbox marked with a special use: found by its default name first (one indexed lookup), else among all of
     * the account's mailboxes, since the user may have renamed it. Not cached, as IMAP may rename or delete it at any
     * time. An account whose Junk mailbox was deleted gets junk in INBOX: filed somewhere visible rather than lost.
     */
    private Optional<Mailbox> specialUse(String accountId, SpecialUse use) {
        Mailbox byName = store.mailboxes().find(accountId, use.defaultName()).orElse(null);
        if (byName != null && byName.specialUse() == use) {
            return Optional.of(byName);
        }
        for (Mailbox m : store.mailboxes().list(accountId)) {
            if (m.specialUse() == use) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private Mailbox inbox(String accountId) {
        Mailbox cached = inboxes.get(accountId);
        if (cached != null) {
            return cached;
        }
        Map<String, Mailbox> created = new HashMap<>();
        store.mailboxes().ensureDefaults(accountId).forEach(m -> created.put(m.name(), m));
        // every default mailbox not yet announced, not only those this call created: an earlier attempt may have
        // created them and died before its MAILBOX_CREATED events were acknowledged. Looked up by name, which the
        // unique (account, name) index answers on every server (a listing by account scans on the local one).
        List<Mailbox> defaults = new ArrayList<>();
        for (SpecialUse use : SpecialUse.values()) {
            Mailbox m = created.get(use.defaultName());
            if (m == null) {
                m = store.mailboxes().find(accountId, use.defaultName()).orElseThrow(() ->
                        new StoreUnavailableException(use.defaultName() + " of " + accountId + " vanished right after creation"));
            }
            defaults.add(m);
        }
        Set<String> done = announcements.announced(defaults.stream().map(Mailbox::id).toList());
        List<Mailbox> pending = defaults.stream().filter(m -> !done.contains(m.id())).toList();
        List<CompletableFuture<?>> published = new ArrayList<>();
        for (Mailbox m : pending) {
            published.add(publisher.publish(Topics.MAILBOX_CHANGES, accountId, MailboxChanged.create(source, accountId, m.id(),
                    m.name(), m.uidValidity(), MailboxChanged.ChangeKind.MAILBOX_CREATED, List.of(), m.highestModSeq(), null)));
        }
        for (CompletableFuture<?> f : published) {
            Kafka.await(f, publishTimeout, "mailbox.changes");
        }
        announcements.markAnnounced(pending.stream().map(Mailbox::id).toList());
        Mailbox inbox = defaults.get(SpecialUse.INBOX.ordinal());
        inboxes.put(accountId, inbox);
        return inbox;
    }
}
