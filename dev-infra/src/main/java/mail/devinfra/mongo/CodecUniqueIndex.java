package mail.devinfra.mongo;

import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;

/**
 * A unique index of the server kept in an H2 map whose keys {@link ValueCodec} orders without serializing them.
 *
 * <p>It also answers queries on a <em>prefix</em> of its fields. mongo-java-server uses an index only for a query
 * that names exactly the index's fields, so {@code {mailboxId: m}} or {@code {mailboxId: m, uid: {$gt: n}}} read and
 * matched every document of the collection, although the (mailboxId, uid) index holds them in order. Here a query
 * whose leading index fields are plain equalities (a string or an ObjectId: values whose index form is the value
 * itself) gets the positions of every entry with that prefix: a superset of the matching documents, which the
 * collection then filters with the whole query, as it does for every index. The positions come in the collection's
 * own order (by position, which is the document id), so a query without a sort returns the same documents in the
 * same order as the scan did.
 */
final class CodecUniqueIndex extends AbstractUniqueIndex<Object> {
    private final MVMap<KeyValue, Object> map;

    CodecUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.map = map;
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        Document flat = conjuncts(query);
        return exact(flat) || !equalityPrefix(flat).isEmpty();
    }

    @Override
    public synchronized Iterable<Object> getPositions(Document query) {
        Document flat = conjuncts(query);
        if (exact(flat)) {
            return super.getPositions(flat);
        }
        List<Object> prefix = equalityPrefix(flat);
        TreeSet<Object> positions = new TreeSet<>(ValueCodec.INSTANCE::compare); // one per document, in scan order
        Cursor<KeyValue, Object> entries = map.cursor(new KeyValue(prefix)); // a shorter key sorts first
        while (entries.hasNext()) {
            KeyValue key = entries.next();
            if (!startsWith(key, prefix)) {
                break;
            }
            positions.add(entries.getValue());
        }
        return positions;
    }

    /**
     * Whether the server's own lookup answers the query: it names exactly the index's fields, and, for an index of
     * several fields, each by a plain value. The server's lookup accepts a regular expression or an array there but
     * then fails ("not yet implemented") or looks up element by element; such a query takes the prefix path instead.
     */
    private boolean exact(Document query) {
        if (!super.canHandle(query)) {
            return false;
        }
        if (!isCompoundIndex()) {
            return true;
        }
        for (String field : keys()) {
            Object value = query.get(field);
            if (value instanceof Document || value instanceof Collection || BsonRegularExpression.isRegularExpression(value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The query with its top-level {@code $and} (the MongoDB driver writes every {@code Filters.and} so) merged into
     * one document of conditions: what the index looks for. A field named twice keeps its first condition and
     * {@code $or}/{@code $nor} are left out, so the result asks for no less than the query; the collection filters
     * the index's answer with the whole query.
     */
    static Document conjuncts(Document query) {
        if (!(query.get("$and") instanceof List)) {
            return query;
        }
        Document flat = new Document();
        collect(query, flat);
        return flat;
    }

    private static void collect(Document query, Document into) {
        for (Map.Entry<String, Object> e : query.entrySet()) {
            if (e.getKey().equals("$and") && e.getValue() instanceof List) {
                for (Object part : (List<?>) e.getValue()) {
                    if (part instanceof Document) {
                        collect((Document) part, into);
                    }
                }
            } else if (!e.getKey().startsWith("$")) {
                into.putIfAbsent(e.getKey(), e.getValue());
            }
        }
    }

    /** The values of the index's leading fields that the query asks for by plain equality; empty if not the first. */
    private List<Object> equalityPrefix(Document query) {
        List<Object> prefix = new ArrayList<>();
        for (String field : keys()) {
            Object value = query.get(field);
            if (!(value instanceof String) && !(value instanceof ObjectId)) {
                break;
            }
            prefix.add(value);
        }
        return prefix;
    }

    private static boolean startsWith(KeyValue key, List<Object> prefix) {
        if (key.size() < prefix.size()) {
            return false;
        }
        for (int i = 0; i < prefix.size(); i++) {
            if (ValueCodec.INSTANCE.compare(key.get(i), prefix.get(i)) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected Object removeDocument(KeyValue key) {
        return map.remove(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, Object position) {
        return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, Object>> getIterable() {
        return map.entrySet();
    }

    @Override
    protected Object getPosition(KeyValue key) {
        return map.get(key);
    }

    @Override
    public long getCount() {
        return map.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
