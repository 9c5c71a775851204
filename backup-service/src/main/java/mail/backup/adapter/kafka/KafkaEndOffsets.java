package mail.backup.adapter.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import mail.backup.engine.OffsetSource;
import mail.core.event.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** End offsets of the platform's event topics, read with the admin client (no consumer group is joined). */
public final class KafkaEndOffsets implements OffsetSource {
    private static final long TIMEOUT_SECONDS = 15;

    private final Admin admin;

    public KafkaEndOffsets(Admin admin) {
        this.admin = admin;
    }

    @Override
    public Map<String, Map<String, Long>> endOffsets() {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> topics = Topics.ALL.stream().filter(existing::contains).toList();
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            described.values().forEach(t -> t.partitions().forEach(p -> ask.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = admin.listOffsets(ask).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, Map<String, Long>> out = new TreeMap<>();
            answer.forEach((tp, info) -> out.computeIfAbsent(tp.topic(), t -> new TreeMap<>(
                    (a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))).put(Integer.toString(tp.partition()), info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Kafka offsets", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the Kafka end offsets the backup must record: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }
}
