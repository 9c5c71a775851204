package mail.core.kafka;

import java.util.Map;

/** A topic and how it is laid out; compacted topics keep the latest record per key (directory.changes). */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> config) {
    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1");
        }
        config = Map.copyOf(config);
    }

    public static TopicSpec deleting(String name, int partitions, short replicationFactor) {
        return new TopicSpec(name, partitions, replicationFactor, Map.of("cleanup.policy", "delete"));
    }

    public static TopicSpec compacted(String name, int partitions, short replicationFactor) {
        return new TopicSpec(name, partitions, replicationFactor, Map.of("cleanup.policy", "compact"));
    }
}
