package mail.core.mongo;

import java.util.List;
import org.bson.conversions.Bson;

/** A collection and the indexes it must have; declared by the module that owns the collection. */
public record CollectionSpec(String name, List<IndexSpec> indexes) {
    public CollectionSpec {
        indexes = List.copyOf(indexes);
    }

    public static CollectionSpec of(String name, IndexSpec... indexes) {
        return new CollectionSpec(name, List.of(indexes));
    }

    public record IndexSpec(String name, Bson keys, boolean unique, Long expireAfterSeconds) {
        public static IndexSpec unique(String name, Bson keys) {
            return new IndexSpec(name, keys, true, null);
        }

        public static IndexSpec plain(String name, Bson keys) {
            return new IndexSpec(name, keys, false, null);
        }

        public static IndexSpec ttl(String name, Bson keys, long expireAfterSeconds) {
            return new IndexSpec(name, keys, false, expireAfterSeconds);
        }
    }
}
