package mail.message;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

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

    /** The value with RFC 2047 encoded words decoded (unknown charsets are left encoded), null if absent. */
    String decoded(String name) {
        String raw = values.get(name);
        if (raw == null) {
            return null;
        }
        try {
            return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return raw;
        }
    }

    Envelope envelope() {
        return new Envelope(get("date"), get("subject"), AddressParser.parse(get("from")),
                AddressParser.parse(get("sender")), AddressParser.parse(get("reply-to")),
                AddressParser.parse(get("to")), AddressParser.parse(get("cc")), AddressParser.parse(get("bcc")),
                get("in-reply-to"), get("message-id"));
    }
}
