package mail.message;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Lossless ParsedMessage <-> BSON for storing the metadata as a sub-document of a message record.
 * Field names are short (they repeat in every message) but readable. Null values and empty lists are left out
 * and come back as null / empty. Parameter maps are stored as arrays of [name, value] pairs because parameter
 * names come from the message and may contain '.' or start with '$', which are not safe as BSON keys.
 */
public final class MessageMetadataBson {
    /** Keys other modules query on (prefix them with the sub-document's own key, e.g. "meta."). */
    public static final String SIZE = "size";
    public static final String DATE = "date";
    public static final String THREAD_KEY = "thread";
    public static final String MESSAGE_ID = "msgId";
    public static final String REFERENCES = "refs";
    public static final String HAS_ATTACHMENTS = "att";
    public static final String SEARCH_SUBJECT = "search.subject";
    public static final String SEARCH_FROM = "search.from";
    public static final String SEARCH_TO = "search.to";
    public static final String SEARCH_CC = "search.cc";
    public static final String SEARCH_BCC = "search.bcc";
    public static final String SEARCH_BODY = "search.body";

    private MessageMetadataBson() {
    }

    public static Document toDocument(ParsedMessage m) {
        Document d = new Document();
        d.put("size", m.size());
        d.put("hdrLen", m.headerLength());
        d.put("lines", m.bodyLines());
        d.put("env", envelope(m.envelope()));
        d.put("body", part(m.body()));
        put(d, "rawHdr", m.rawHeader());
        if (m.date() != null) {
            d.put("date", Date.from(m.date()));
        }
        put(d, "thread", m.threadKey());
        put(d, "msgId", m.messageId());
        putList(d, "refs", m.references());
        put(d, "preview", m.preview());
        d.put("search", search(m.search()));
        d.put("att", m.hasAttachments());
        d.put("8bit", m.eightBit());
        d.put("utf8Hdr", m.utf8Headers());
        putList(d, "defects", m.defects());
        return d;
    }

    public static ParsedMessage fromDocument(Document d) {
        Date date = d.getDate("date");
        return new ParsedMessage(number(d, "size"), number(d, "hdrLen"), number(d, "lines"),
                envelope(d.get("env", Document.class)), part(d.get("body", Document.class)),
                d.getString("rawHdr"), date == null ? null : date.toInstant(), d.getString("thread"),
                d.getString("msgId"), strings(d, "refs"), d.getString("preview"),
                search(d.get("search", Document.class)), d.getBoolean("att", false), d.getBoolean("8bit", false),
                d.getBoolean("utf8Hdr", false), strings(d, "defects"));
    }

    public static Document envelope(Envelope e) {
        Document d = new Document();
        put(d, "date", e.date());
        put(d, "subject", e.subject());
        putAddresses(d, "from", e.from());
        putAddresses(d, "sender", e.sender());
        putAddresses(d, "replyTo", e.replyTo());
        putAddresses(d, "to", e.to());
        putAddresses(d, "cc", e.cc());
        putAddresses(d, "bcc", e.bcc());
        put(d, "inReplyTo", e.inReplyTo());
        put(d, "msgId", e.messageId());
        return d;
    }

    public static Envelope envelope(Document d) {
        if (d == null) {
            return Envelope.empty();
        }
        return new Envelope(d.getString("date"), d.getString("subject"), addresses(d, "from"),
                addresses(d, "sender"), addresses(d, "replyTo"), addresses(d, "to"), addresses(d, "cc"),
                addresses(d, "bcc"), d.getString("inReplyTo"), d.getString("msgId"));
    }

    public static Document part(BodyPart p) {
        Document d = new Document();
        d.put("type", p.type());
        d.put("sub", p.subtype());
        putParams(d, "params", p.params());
        put(d, "id", p.id());
        put(d, "desc", p.description());
        d.put("enc", p.encoding());
        put(d, "md5", p.md5());
        if (p.disposition() != null) {
            Document disp = new Document("type", p.disposition().type());
            putParams(disp, "params", p.disposition().params());
            d.put("disp", disp);
        }
        putList(d, "lang", p.language());
        put(d, "loc", p.location());
        d.put("hStart", p.headerStart());
        d.put("bStart", p.bodyStart());
        d.put("bEnd", p.bodyEnd());
        d.put("lines", p.lines());
        if (!p.parts().isEmpty()) {
            List<Document> parts = new ArrayList<>(p.parts().size());
            for (BodyPart child : p.parts()) {
                parts.add(part(child));
            }
            d.put("parts", parts);
        }
        if (p.envelope() != null) {
            d.put("env", envelope(p.envelope()));
        }
        if (p.message() != null) {
            d.put("msg", part(p.message()));
        }
        return d;
    }

    public static BodyPart part(Document d) {
        List<BodyPart> parts = new ArrayList<>();
        List<Document> children = d.getList("parts", Document.class);
        if (children != null) {
            for (Document child : children) {
                parts.add(part(child));
            }
        }
        Document disp = d.get("disp", Document.class);
        Document env = d.get("env", Document.class);
        Document msg = d.get("msg", Document.class);
        return new BodyPart(d.getString("type"), d.getString("sub"), params(d, "params"), d.getString("id"),
                d.getString("desc"), d.getString("enc"), d.getString("md5"),
                disp == null ? null : new Disposition(disp.getString("type"), params(disp, "params")),
                strings(d, "lang"), d.getString("loc"), number(d, "hStart"), number(d, "bStart"),
                number(d, "bEnd"), number(d, "lines"), parts, env == null ? null : envelope(env),
                msg == null ? null : part(msg));
    }

    private static Document search(SearchText s) {
        Document d = new Document();
        put(d, "subject", s.subject());
        put(d, "from", s.from());
        put(d, "to", s.to());
        put(d, "cc", s.cc());
        put(d, "bcc", s.bcc());
        put(d, "body", s.body());
        d.put("trunc", s.truncated());
        return d;
    }

    private static SearchText search(Document d) {
        if (d == null) {
            return SearchText.empty();
        }
        return new SearchText(text(d, "subject"), text(d, "from"), text(d, "to"), text(d, "cc"), text(d, "bcc"),
                text(d, "body"), d.getBoolean("trunc", false));
    }

    private static String text(Document d, String key) {
        String v = d.getString(key);
        return v == null ? "" : v;
    }

    private static void putAddresses(Document d, String key, List<Address> list) {
        if (list.isEmpty()) {
            return;
        }
        List<Document> out = new ArrayList<>(list.size());
        for (Address a : list) {
            Document ad = new Document();
            put(ad, "name", a.personal());
            put(ad, "adl", a.adl());
            put(ad, "mbox", a.mailbox());
            put(ad, "host", a.host());
            out.add(ad);
        }
        d.put(key, out);
    }

    private static List<Address> addresses(Document d, String key) {
        List<Document> list = d.getList(key, Document.class);
        List<Address> out = new ArrayList<>();
        if (list != null) {
            for (Document a : list) {
                out.add(new Address(a.getString("name"), a.getString("adl"), a.getString("mbox"),
                        a.getString("host")));
            }
        }
        return out;
    }

    private static void putParams(Document d, String key, Map<String, String> params) {
        if (params.isEmpty()) {
            return;
        }
        List<List<String>> pairs = new ArrayList<>(params.size());
        for (Map.Entry<String, String> e : params.entrySet()) {
            pairs.add(List.of(e.getKey(), e.getValue()));
        }
        d.put(key, pairs);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> params(Document d, String key) {
        List<Object> pairs = d.getList(key, Object.class);
        Map<String, String> out = new LinkedHashMap<>();
        if (pairs != null) {
            for (Object pair : pairs) {
                List<String> nv = (List<String>) pair;
                out.put(nv.get(0), nv.get(1));
            }
        }
        return out;
    }

    private static void put(Document d, String key, String value) {
        if (value != null) {
            d.put(key, value);
        }
    }

    private static void putList(Document d, String key, List<String> values) {
        if (!values.isEmpty()) {
            d.put(key, values);
        }
    }

    private static List<String> strings(Document d, String key) {
        List<String> list = d.getList(key, String.class);
        return list == null ? List.of() : list;
    }

    private static long number(Document d, String key) {
        Object v = d.get(key);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
