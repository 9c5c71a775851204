package mail.core.mongo;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Creates collections and indexes at start. Every copy of every service may run it at the same time: creating what
 * exists is a no-op in MongoDB, and a lost creation race is tolerated.
 *
 * <p>Within one JVM the calls are serialised, and a service writes to its collections only once they have returned
 * (see the relay's schema gate, the readiness check's). The local MongoDB-compatible server does not survive a
 * collection or index being created by two connections at once, or while documents are written to it: it answers
 * with generic errors and can be left with a document that is found by a query but missing from an index, which
 * then fails every findAndModify that selects it ("Expected one element but got zero").
 */
public final class MongoSchema {
    private static final Logger LOG = Logger.getLogger(MongoSchema.class);
    /** NamespaceExists: another copy created the collection between our check and our create. */
    private static final int NAMESPACE_EXISTS = 48;
    private static final Object LOCK = new Object();

    private MongoSchema() {
    }

    public static void ensure(MongoDatabase db, List<CollectionSpec> specs) {
        synchronized (LOCK) {
            ensureNow(db, specs);
        }
    }

    private static void ensureNow(MongoDatabase db, List<CollectionSpec> specs) {
        Set<String> existing = db.listCollectionNames().into(new HashSet<>());
        for (CollectionSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                try {
                    db.createCollection(spec.name());
                } catch (MongoCommandException e) {
                    // the local server reports a lost race as a generic error: "... already existed in ...namespaces"
                    if (e.getErrorCode() != NAMESPACE_EXISTS && !e.getMessage().contains("already exist")) {
                        throw e;
                    }
                }
            }
            for (CollectionSpec.IndexSpec idx : spec.indexes()) {
                IndexOptions options = new IndexOptions().name(idx.name()).unique(idx.unique());
                if (idx.expireAfterSeconds() != null) {
                    options.expireAfter(idx.expireAfterSeconds(), TimeUnit.SECONDS);
                }
                db.getCollection(spec.name()).createIndex(idx.keys(), options);
            }
            LOG.debugf("collection %s ready with %d indexes", spec.name(), spec.indexes().size());
        }
    }
}
