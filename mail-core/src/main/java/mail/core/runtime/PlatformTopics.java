package mail.core.runtime;

import java.util.ArrayList;
import java.util.List;
import mail.core.event.Topics;
import mail.core.kafka.TopicSpec;

/** The platform's topics: the four event streams and their dead-letter topics. */
public final class PlatformTopics {
    private PlatformTopics() {
    }

    public static List<TopicSpec> all(int partitions, short replicationFactor) {
        List<TopicSpec> l = new ArrayList<>();
        for (String t : Topics.ALL) {
            l.add(Topics.DIRECTORY_CHANGES.equals(t)
                    ? TopicSpec.compacted(t, partitions, replicationFactor)
                    : TopicSpec.deleting(t, partitions, replicationFactor));
            l.add(TopicSpec.deleting(Topics.deadLetterTopic(t), 1, replicationFactor));
        }
        return l;
    }
}
