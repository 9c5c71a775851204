package mail.core.event;

import java.time.Instant;
import java.util.Locale;

/**
 * A directory entity was created/updated or deleted. The topic is compacted on {@link #compactionKey()}, so a
 * service that reads it from the beginning ends up with the full current directory in its local cache.
 *
 * <p>A delete is published twice under the same key: first this event with {@link Operation#DELETED} (so that
 * consumers that are caught up see who deleted what, and when), then a tombstone (null value) that lets
 * compaction drop the key for good. Consumers evict on either; see {@link DirectoryKey#parse(String)}.
 *
 * @param key      the domain name or the address, in lower case: Kafka compares keys byte-wise, and two
 *                 spellings of one entity would survive compaction as two entities
 * @param revision increases with every change of this key; consumers ignore an event whose revision is not
 *                 newer than the one they have, which makes redelivery harmless
 * @param snapshot the entity's mail attributes after an upsert; null for a delete
 */
public record DirectoryChanged(
        String id,
        String source,
        Instant time,
        EntityKind kind,
        String key,
        Operation operation,
        long revision,
        DirectorySnapshot snapshot) implements MailEvent {

    public static final String TYPE = "directory.changed";
    public static final int SCHEMA_VERSION = 1;

    public enum EntityKind {
        DOMAIN,
        ACCOUNT,
        GROUP,
        ALIAS
    }

    public enum Operation {
        UPSERTED,
        DELETED
    }

    public DirectoryChanged {
        Checks.attributes(id, source, time);
        Checks.required(kind, "kind");
        Checks.lowerCase(key, "key");
        Checks.required(operation, "operation");
        Checks.atLeast(revision, 1, "revision");
        if (operation == Operation.UPSERTED) {
            Checks.required(snapshot, "snapshot of an UPSERTED " + kind);
            if (snapshot.kind() != kind) {
                throw new IllegalArgumentException("snapshot is a " + snapshot.kind() + " but kind is " + kind);
            }
            if (!snapshot.key().toLowerCase(Locale.ROOT).equals(key)) {
                throw new IllegalArgumentException("snapshot describes '" + snapshot.key() + "' but key is '" + key + "'");
            }
        } else if (snapshot != null) {
            throw new IllegalArgumentException("a DELETED event carries no snapshot");
        }
    }

    public static DirectoryChanged upserted(String source, long revision, DirectorySnapshot snapshot) {
        Checks.required(snapshot, "snapshot");
        return new DirectoryChanged(MailEvent.newId(), source, Instant.now(), snapshot.kind(),
                snapshot.key().toLowerCase(Locale.ROOT), Operation.UPSERTED, revision, snapshot);
    }

    public static DirectoryChanged deleted(String source, EntityKind kind, String key, long revision) {
        return new DirectoryChanged(MailEvent.newId(), source, Instant.now(), kind, key, Operation.DELETED, revision,
                null);
    }

    public DirectoryKey directoryKey() {
        return new DirectoryKey(kind, key);
    }

    /** {@code <KIND>:<key>}, for example {@code ACCOUNT:alice@example.com}. */
    public String compactionKey() {
        return directoryKey().compactionKey();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int schemaVersion() {
        return SCHEMA_VERSION;
    }

    @Override
    public String topic() {
        return Topics.DIRECTORY_CHANGES;
    }

    @Override
    public String kafkaKey() {
        return compactionKey();
    }
}
