package mail.devinfra.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the local MongoDB-compatible server stores keys and documents in its H2 maps: a tagged binary form of the
 * value types the server holds, instead of the H2 default, Java serialization. The default cost most of the server's
 * CPU under delivery load (docs/benchmarks.md): every page write serialised its documents, and every index lookup
 * serialised both keys of every comparison, because the index key class is not {@link Comparable}.
 *
 * <p>Keys are ordered by type, then by value; documents and lists element by element (a document's field order
 * counts, as it does for MongoDB's own comparison of values). Equal means equal type and value, as under the byte
 * comparison of the default: 1 (int) and 1L are different keys, and the server normalises index keys before it
 * looks them up. Any other type goes through Java serialization, so nothing the server may hold is refused.
 */
final class ValueCodec extends BasicDataType<Object> {
    static final ValueCodec INSTANCE = new ValueCodec();

    private static final byte NULL = 0;
    private static final byte MISSING = 1;
    private static final byte FALSE = 2;
    private static final byte TRUE = 3;
    private static final byte INT = 4;
    private static final byte LONG = 5;
    private static final byte DOUBLE = 6;
    private static final byte STRING = 7;
    private static final byte OBJECT_ID = 8;
    private static final byte INSTANT = 9;
    private static final byte DOCUMENT = 10;
    private static final byte LIST = 11;
    private static final byte KEY_VALUE = 12;
    private static final byte SERIALIZED = 13;
    private static final byte MIN_KEY = 14;
    private static final byte MAX_KEY = 15;

    private ValueCodec() {
    }

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }

    /**
     * The heap a value takes, for the page cache's size limit: walked in full, since an estimate that leaves out
     * nested documents lets the cache hold several times its limit (a message's metadata is mostly nested).
     */
    @Override
    public int getMemory(Object o) {
        if (o instanceof String) {
            return 40 + ((String) o).length();
        }
        if (o instanceof Document) {
            int m = 80;
            for (Map.Entry<String, Object> e : ((Document) o).entrySet()) {
                m += 32 + 40 + e.getKey().length() + getMemory(e.getValue());
            }
            return m;
        }
        if (o instanceof List) {
            int m = 40;
            for (Object v : (List<?>) o) {
                m += 8 + getMemory(v);
            }
            return m;
        }
        if (o instanceof KeyValue) {
            int m = 56;
            for (Object v : (KeyValue) o) {
                m += 8 + getMemory(v);
            }
            return m;
        }
        if (o instanceof ObjectId) {
            return 48;
        }
        return 24;
    }

    @Override
    public void write(WriteBuffer buff, Object o) {
        if (o == null) {
            buff.put(NULL);
        } else if (o instanceof Missing) {
            buff.put(MISSING);
        } else if (o instanceof MinKey) {
            buff.put(MIN_KEY);
        } else if (o instanceof MaxKey) {
            buff.put(MAX_KEY);
        } else if (o instanceof Boolean) {
            buff.put((Boolean) o ? TRUE : FALSE);
        } else if (o instanceof Integer) {
            buff.put(INT).putVarInt((Integer) o);
        } else if (o instanceof Long) {
            buff.put(LONG).putVarLong((Long) o);
        } else if (o instanceof Double) {
            buff.put(DOUBLE).putDouble((Double) o);
        } else if (o instanceof String) {
            String s = (String) o;
            buff.put(STRING).putVarInt(s.length()).putStringData(s, s.length());
        } else if (o instanceof ObjectId) {
            buff.put(OBJECT_ID).put(((ObjectId) o).toByteArray());
        } else if (o instanceof Instant) {
            Instant t = (Instant) o;
            buff.put(INSTANT).putVarLong(t.getEpochSecond()).putVarInt(t.getNano());
        } else if (o instanceof Document) {
            Document d = (Document) o;
            buff.put(DOCUMENT).putVarInt(d.size());
            for (Map.Entry<String, Object> e : d.entrySet()) {
                buff.putVarInt(e.getKey().length()).putStringData(e.getKey(), e.getKey().length());
                write(buff, e.getValue());
            }
        } else if (o instanceof List) {
            List<?> l = (List<?>) o;
            buff.put(LIST).putVarInt(l.size());
            for (Object v : l) {
                write(buff, v);
            }
        } else if (o instanceof KeyValue) {
            KeyValue k = (KeyValue) o;
            buff.put(KEY_VALUE).putVarInt(k.size());
            for (Object v : k) {
                write(buff, v);
            }
        } else {
            byte[] bytes = serialize(o);
            buff.put(SERIALIZED).putVarInt(bytes.length).put(bytes);
        }
    }

    @Override
    public Object read(ByteBuffer buff) {
        byte tag = buff.get();
        switch (tag) {
            case NULL:
                return null;
            case MISSING:
                return Missing.getInstance();
            case MIN_KEY:
                return MinKey.getInstance();
            case MAX_KEY:
                return MaxKey.getInstance();
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case INT:
                return DataUtils.readVarInt(buff);
            case LONG:
                return DataUtils.readVarLong(buff);
            case DOUBLE:
                return buff.getDouble();
            case STRING:
                return DataUtils.readString(buff, DataUtils.readVarInt(buff));
            case OBJECT_ID: {
                byte[] id = new byte[12];
                buff.get(id);
                return new ObjectId(id);
            }
            case INSTANT:
                return Instant.ofEpochSecond(DataUtils.readVarLong(buff), DataUtils.readVarInt(buff));
            case DOCUMENT: {
                int n = DataUtils.readVarInt(buff);
                Document d = new Document();
                for (int i = 0; i < n; i++) {
                    String key = DataUtils.readString(buff, DataUtils.readVarInt(buff));
                    d.put(key, read(buff));
                }
                return d;
            }
            case LIST:
                return readList(buff);
            case KEY_VALUE:
                return new KeyValue(readList(buff));
            case SERIALIZED: {
                byte[] bytes = new byte[DataUtils.readVarInt(buff)];
                buff.get(bytes);
                return deserialize(bytes);
            }
            default:
                throw new IllegalStateException("unknown value tag " + tag + " in the data file");
        }
    }

    private List<Object> readList(ByteBuffer buff) {
        int n = DataUtils.readVarInt(buff);
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(read(buff));
        }
        return l;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        int ta = tag(a);
        int tb = tag(b);
        if (ta != tb) {
            return Integer.compare(ta, tb);
        }
        switch (ta) {
            case NULL:
            case MISSING:
            case MIN_KEY:
            case MAX_KEY:
            case FALSE:
            case TRUE:
                return 0;
            case INT:
            case LONG:
            case STRING:
            case OBJECT_ID:
            case INSTANT:
                return ((Comparable) a).compareTo(b);
            case DOUBLE:
                return Double.compare((Double) a, (Double) b);
            case DOCUMENT:
                return compareDocuments((Document) a, (Document) b);
            case LIST:
                return compareSequences(((List<?>) a).iterator(), ((List<?>) b).iterator());
            case KEY_VALUE:
                return compareSequences(((KeyValue) a).iterator(), ((KeyValue) b).iterator());
            default:
                return compareSerialized(a, b);
        }
    }

    private int compareDocuments(Document a, Document b) {
        Iterator<Map.Entry<String, Object>> i = a.entrySet().iterator();
        Iterator<Map.Entry<String, Object>> j = b.entrySet().iterator();
        while (i.hasNext() && j.hasNext()) {
            Map.Entry<String, Object> x = i.next();
            Map.Entry<String, Object> y = j.next();
            int c = x.getKey().compareTo(y.getKey());
            if (c == 0) {
                c = compare(x.getValue(), y.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }

    private int compareSequences(Iterator<?> i, Iterator<?> j) {
        while (i.hasNext() && j.hasNext()) {
            int c = compare(i.next(), j.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }

    private static int compareSerialized(Object a, Object b) {
        int c = a.getClass().getName().compareTo(b.getClass().getName());
        return c != 0 ? c : Arrays.compareUnsigned(serialize(a), serialize(b));
    }

    private static int tag(Object o) {
        if (o == null) {
            return NULL;
        } else if (o instanceof Missing) {
            return MISSING;
        } else if (o instanceof MinKey) {
            return MIN_KEY;
        } else if (o instanceof MaxKey) {
            return MAX_KEY;
        } else if (o instanceof Boolean) {
            return (Boolean) o ? TRUE : FALSE;
        } else if (o instanceof Integer) {
            return INT;
        } else if (o instanceof Long) {
            return LONG;
        } else if (o instanceof Double) {
            return DOUBLE;
        } else if (o instanceof String) {
            return STRING;
        } else if (o instanceof ObjectId) {
            return OBJECT_ID;
        } else if (o instanceof Instant) {
            return INSTANT;
        } else if (o instanceof Document) {
            return DOCUMENT;
        } else if (o instanceof List) {
            return LIST;
        } else if (o instanceof KeyValue) {
            return KEY_VALUE;
        }
        return SERIALIZED;
    }

    private static byte[] serialize(Object o) {
        if (!(o instanceof Serializable)) {
            throw new IllegalArgumentException("cannot store a value of type " + o.getClass().getName());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream s = new ObjectOutputStream(out)) {
            s.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Object deserialize(byte[] bytes) {
        try (ObjectInputStream s = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return s.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a stored value's class is gone: " + e.getMessage(), e);
        }
    }
}
