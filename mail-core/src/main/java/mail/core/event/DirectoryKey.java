package mail.core.event;

/**
 * Identity of a directory entity and the Kafka key of its records on the compacted {@code directory.changes}
 * topic. A tombstone has no value, so its key is all a consumer gets: {@link #parse(String)} recovers what to
 * evict from it.
 */
public record DirectoryKey(DirectoryChanged.EntityKind kind, String key) {

    private static final char SEPARATOR = ':';

    public DirectoryKey {
        Checks.required(kind, "kind");
        Checks.lowerCase(key, "key");
    }

    public String compactionKey() {
        return kind.name() + SEPARATOR + key;
    }

    // The kind never contains the separator, but the key may (quoted local parts), so split at the first one.
    public static DirectoryKey parse(String compactionKey) {
        Checks.required(compactionKey, "compactionKey");
        int separator = compactionKey.indexOf(SEPARATOR);
        if (separator < 0) {
            throw new IllegalArgumentException("not a directory compaction key: '" + compactionKey + "'");
        }
        DirectoryChanged.EntityKind kind;
        try {
            kind = DirectoryChanged.EntityKind.valueOf(compactionKey.substring(0, separator));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown entity kind in compaction key '" + compactionKey + "'", e);
        }
        return new DirectoryKey(kind, compactionKey.substring(separator + 1));
    }
}
