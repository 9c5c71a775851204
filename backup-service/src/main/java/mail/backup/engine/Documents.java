package mail.backup.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import mail.core.event.EventCodec;
import mail.core.event.MailEvent;
import mail.core.event.MessageRef;
import mail.core.event.OutboundRequested;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

/**
 * Documents as backup lines: MongoDB extended JSON in its canonical form, so longs stay longs, dates stay dates and
 * ObjectIds stay ObjectIds after a restore. The same text is hashed to detect changed documents.
 */
public final class Documents {
    private static final JsonWriterSettings EXTENDED = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final EventCodec CODEC = new EventCodec();

    private Documents() {
    }

    public static String json(Document d) {
        return d.toJson(EXTENDED);
    }

    public static Document parse(String line) {
        return Document.parse(line);
    }

    /** The key of a document in an index: its {@code _id} as extended JSON (ids may be ObjectIds, strings, …). */
    public static String idKey(Document d) {
        return new Document("_id", d.get("_id")).toJson(EXTENDED);
    }

    public static Object idFromKey(String key) {
        return Document.parse(key).get("_id");
    }

    /**
     * Every message body a document points at, wherever it sits: a {@code blobKey}/{@code sha256}/{@code size}
     * triple (the mailbox store) at any depth, or a queued {@code mail.outbound} event kept as JSON text (the relay's
     * queue). Found by shape, so a collection added later is covered without a change here.
     */
    public static void blobRefs(Object value, Map<String, Long> out) {
        if (value instanceof Document d) {
            Object key = d.get("blobKey");
            Object sha = d.get("sha256");
            if (key instanceof String && sha instanceof String s && HEX.matcher(s).matches()) {
                Object size = d.get("size");
                out.put(s, size instanceof Number n ? n.longValue() : -1L);
            }
            Object event = d.get("event");
            if (event instanceof String text && text.contains("\"mail.outbound.requested\"")) {
                try {
                    MailEvent e = CODEC.decode(text.getBytes(StandardCharsets.UTF_8));
                    if (e instanceof OutboundRequested o) {
                        MessageRef ref = o.message();
                        out.put(ref.sha256(), ref.size());
                    }
                } catch (RuntimeException ignored) {
                    // not an event we can read; the relay would not be able to send it either
                }
            }
            for (Object v : d.values()) {
                if (v instanceof Document || v instanceof List<?>) {
                    blobRefs(v, out);
                }
            }
        } else if (value instanceof List<?> l) {
            for (Object v : l) {
                blobRefs(v, out);
            }
        }
    }
}
