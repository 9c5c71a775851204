package mail.message;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The header fields of one entity that the model uses (first occurrence wins), unfolded, trimmed. */
final class HeaderFields {
    static final Set<String> WANTED = Set.of("content-type", "content-transfer-encoding", "content-id",
            "content-description", "content-md5", "content-disposition", "content-language", "content-location",
            "date", "subject", "from", "sender", "reply-to", "to", "cc", "bcc", "in-reply-to", "message-id",
            "references");

    private final Map<String, String> values = new HashMap<>();

    boolean has(String name) {
        return values.containsKey(name);
    }

    void put(String name, String value) {
        values.putIfAbsent(name, value);
    }

    String get(String name) {
        return values.get(name);
    }
}
