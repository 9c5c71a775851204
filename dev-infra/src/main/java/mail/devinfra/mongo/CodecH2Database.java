package mail.devinfra.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Set;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 database with its collection and index maps opened through {@link CodecMaps}. The map
 * names are the server's own, so that its drop and rename code finds them.
 *
 * <p>An {@code aggregate} whose pipeline starts with a {@code $match} that an index can answer (countDocuments, the
 * sums of sizes) runs its remaining stages on what that index finds; the server alone runs every pipeline on all the
 * documents of the collection.
 */
final class CodecH2Database extends H2Database {
    /** Stages that only transform the documents they are given: no other collection, no output, no variables. */
    private static final Set<String> PLAIN_STAGES = Set.of("$match", "$group", "$project", "$sort", "$skip", "$limit",
            "$count", "$unwind", "$addFields", "$set", "$unset", "$replaceRoot", "$replaceWith", "$sortByCount");
    /** Options of the command under which the pipeline would mean more than its stages. */
    private static final Set<String> SPECIAL_OPTIONS = Set.of("explain", "let", "collation", "hint");

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
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver resolver, Oplog oplog) {
        if (command.equalsIgnoreCase("aggregate")) {
            Document answer = aggregateFromIndex(query, resolver, oplog);
            if (answer != null) {
                return answer;
            }
        }
        return super.handleCommand(channel, command, query, resolver, oplog);
    }

    /** The answer from an index, or null where the server's own path must run (it also reports every error). */
    private Document aggregateFromIndex(Document query, DatabaseResolver resolver, Oplog oplog) {
        if (!(query.get("aggregate") instanceof String) || query.keySet().stream().anyMatch(SPECIAL_OPTIONS::contains)
                || !(query.get("pipeline") instanceof List) || query.get("pipeline").toString().contains("$$")) {
            return null;
        }
        List<?> pipeline = (List<?>) query.get("pipeline");
        for (Object stage : pipeline) {
            if (!(stage instanceof Document) || ((Document) stage).size() != 1
                    || !PLAIN_STAGES.contains(((Document) stage).keySet().iterator().next())) {
                return null;
            }
        }
        if (pipeline.isEmpty() || !(((Document) pipeline.get(0)).get("$match") instanceof Document)) {
            return null;
        }
        Document match = (Document) ((Document) pipeline.get(0)).get("$match");
        String collectionName = (String) query.get("aggregate");
        MongoCollection<Object> collection = resolveCollection(collectionName, false);
        if (collection == null || collection.getIndexes().stream().noneMatch(i -> i.canHandle(match))) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<Document> rest = (List<Document>) pipeline.subList(1, pipeline.size());
        List<Document> result = Aggregation.fromPipeline(rest, resolver, this, collection, oplog)
                .runStages(collection.handleQueryAsStream(match));
        return new Document("cursor", new Document("id", 0L).append("ns", getFullCollectionNamespace(collectionName))
                .append("firstBatch", result)).append("ok", 1.0);
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
