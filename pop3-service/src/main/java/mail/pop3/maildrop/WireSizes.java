package mail.pop3.maildrop;

import static com.mongodb.client.model.Filters.in;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import mail.core.blob.BlobStore;
import mail.core.event.MessageRef;
import mail.core.mongo.CollectionSpec;
import mail.pop3.protocol.WireSize;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * The RFC 1939 size of each message body (see {@link WireSize}), keyed by the blob's SHA-256: blobs never change, so
 * a size is counted once, on the first POP3 login that lists the message, and read from here ever after. The stored
 * size cannot be used as it is: a message stored with bare LF line endings is longer on the wire than in the store.
 */
public final class WireSizes {
    private static final Logger LOG = Logger.getLogger(WireSizes.class);
    public static final String COLLECTION = "pop3_wire_sizes";
    static final String SIZE = "size";

    private final MongoCollection<Document> sizes;
    private final BlobStore blobs;

    public WireSizes(MongoDatabase db, BlobStore blobs) {
        this.sizes = db.getCollection(COLLECTION);
        this.blobs = blobs;
    }

    public static CollectionSpec collection() {
        return CollectionSpec.of(COLLECTION);
    }

    /**
     * @return the wire size per SHA-256 for every message given
     * @throws RuntimeException when MongoDB fails (the caller answers -ERR [SYS/TEMP])
     */
    public Map<String, Long> of(Collection<MessageRef> messages) {
        Set<String> wanted = new LinkedHashSet<>();
        for (MessageRef m : messages) {
            wanted.add(m.sha256());
        }
        Map<String, Long> known = new HashMap<>();
        if (!wanted.isEmpty()) {
            for (Document d : sizes.find(in("_id", List.copyOf(wanted)))) {
                Object v = d.get(SIZE);
                if (v instanceof Number n) {
                    known.put(d.getString("_id"), n.longValue());
                }
            }
        }
        for (MessageRef m : messages) {
            if (!known.containsKey(m.sha256())) {
                OptionalLong size = count(m);
                if (size.isPresent()) {
                    remember(m.sha256(), size.getAsLong());
                }
                known.put(m.sha256(), size.orElse(m.size()));
            }
        }
        return known;
    }

    /** The stored size for a body that cannot be read now: not remembered, so the next login counts again. */
    private OptionalLong count(MessageRef m) {
        try (InputStream in = blobs.get(m)) {
            return OptionalLong.of(WireSize.of(in));
        } catch (IOException | RuntimeException e) {
            // RETR of this message will answer [SYS/TEMP]; the rest of the maildrop stays usable
            LOG.warnf("cannot count the size of %s, listing its stored size: %s", m.blobKey(), e.toString());
            return OptionalLong.empty();
        }
    }

    private void remember(String sha256, long size) {
        try {
            sizes.insertOne(new Document("_id", sha256).append(SIZE, size));
        } catch (MongoWriteException e) {
            // another session counted the same blob at the same time: same content, same size
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }
}
