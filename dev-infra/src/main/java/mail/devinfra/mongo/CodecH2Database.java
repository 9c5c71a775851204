package mail.devinfra.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 database with its collection and index maps opened through {@link CodecMaps}. The map
 * names are the server's own, so that its drop and rename code finds them.
 */
final class CodecH2Database extends H2Database {
    // The server's constructor opens the existing collections through the overrides below before a field of this
    // class could be assigned; its own store field is set by then.
    private static final VarHandle STORE;

    static {
        try {
            STORE = MethodHandles.privateLookupIn(H2Database.class, MethodHandles.lookup())
                    .findVarHandle(H2Database.class, "mvStore", MVStore.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    CodecH2Database(String databaseName, MVStore store, CursorRegistry cursors) {
        super(databaseName, store, cursors);
    }

    private MVStore store() {
        return (MVStore) STORE.get(this);
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new CodecUniqueIndex(CodecMaps.open(store(), getFullCollectionNamespace(collectionName) + "._index_" + indexName),
                indexName, keys, sparse);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String fullName = getFullCollectionNamespace(collectionName);
        return new H2Collection(this, collectionName, options, CodecMaps.open(store(), "databases." + fullName),
                CodecMaps.open(store(), "meta." + fullName), cursorRegistry);
    }
}
