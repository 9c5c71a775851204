package mail.backup.engine;

import java.util.Map;

/** Where the event log stands: topic → partition → end offset (the next offset to be written). */
public interface OffsetSource {
    Map<String, Map<String, Long>> endOffsets();
}
