package mail.backup.archive;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one backup contains. It is written last, so a backup without a manifest is an unfinished one and is ignored.
 *
 * @param parentId     the backup this one is an increment of; null for a full backup
 * @param kafkaOffsets per topic, per partition: the end offset when the backup started; replaying from there after a
 *                     restore loses nothing (every consumer write is idempotent by event id)
 * @param collections  every collection the backup covers, so an incremental knows what was dropped
 * @param files        content files written by this backup (blobs only when not already in the chain)
 */
public record Manifest(int formatVersion, String id, String parentId, String kind, Instant createdAt, Instant finishedAt,
                       Map<String, Map<String, Long>> kafkaOffsets, List<String> collections, List<ContentFile> files,
                       Stats stats) {
    public static final int FORMAT_VERSION = 1;
    public static final String FULL = "full";
    public static final String INCREMENTAL = "incremental";

    public Manifest {
        kafkaOffsets = kafkaOffsets == null ? Map.of() : Map.copyOf(kafkaOffsets);
        collections = collections == null ? List.of() : List.copyOf(collections);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * @param documents    documents in the backed-up state (not only the changed ones)
     * @param changed      documents written by this backup
     * @param messages     message documents in the backed-up state
     * @param blobsWritten blobs this backup copied; the others were already in the chain
     * @param bytesWritten stored bytes of all files this backup wrote
     * @param rawBytes     uncompressed bytes of the blobs and documents this backup wrote
     */
    public record Stats(long documents, long changed, long messages, long blobsWritten, long blobsReferenced,
                        long bytesWritten, long rawBytes, long millis) {
    }

    public boolean isFull() {
        return parentId == null;
    }
}
