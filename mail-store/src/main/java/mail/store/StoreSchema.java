package mail.store;

import com.mongodb.client.model.Indexes;
import java.util.List;
import mail.core.mongo.CollectionSpec;
import mail.core.mongo.CollectionSpec.IndexSpec;

/** The collections of the mailbox store; every service that uses the store registers them as a SchemaContributor. */
public final class StoreSchema {
    public static final String MAILBOXES = "mailboxes";
    public static final String MESSAGES = "messages";
    public static final String BLOB_REFS = "blob_refs";
    /** One record per delivery key, kept after an expunge so that a late redelivery does not bring a message back. */
    public static final String DELIVERIES = "deliveries";
    /** The per-mailbox allocation leases of {@link UidAllocator}: one short-lived document per mailbox being written. */
    public static final String MAILBOX_LEASES = "mailbox_leases";

    /** Longer than any Kafka retention of mail.received, so a redelivered event always finds its record. */
    public static final long DELIVERY_RECORD_TTL_SECONDS = 30L * 24 * 3600;

    private StoreSchema() {
    }

    public static List<CollectionSpec> collections() {
        return List.of(
                CollectionSpec.of(MAILBOXES,
                        IndexSpec.unique("account_name", Indexes.ascending(Mailboxes.ACCOUNT_ID, Mailboxes.NAME))),
                CollectionSpec.of(MESSAGES,
                        // the safety net under the allocator: one UID is one message, on every server
                        IndexSpec.unique("mailbox_uid", Indexes.ascending(Messages.MAILBOX_ID, Messages.UID)),
                        IndexSpec.unique("delivery_key", Indexes.ascending(Messages.DELIVERY_KEY)),
                        IndexSpec.plain("mailbox_modseq", Indexes.ascending(Messages.MAILBOX_ID, Messages.MODSEQ)),
                        IndexSpec.plain("mailbox_flags", Indexes.ascending(Messages.MAILBOX_ID, Messages.FLAGS)),
                        // an account's messages (quota usage), and unique because (mailbox, uid) is; a unique index
                        // is also one the local MongoDB-compatible server keeps and uses, where a plain one is ignored
                        IndexSpec.unique("account_mailbox_uid",
                                Indexes.ascending(Messages.ACCOUNT_ID, Messages.MAILBOX_ID, Messages.UID))),
                CollectionSpec.of(BLOB_REFS),
                CollectionSpec.of(MAILBOX_LEASES),
                CollectionSpec.of(DELIVERIES,
                        IndexSpec.ttl("expiry", Indexes.ascending(Deliveries.AT), DELIVERY_RECORD_TTL_SECONDS)));
    }
}
