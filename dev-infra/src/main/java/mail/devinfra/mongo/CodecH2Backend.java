package mail.devinfra.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend storing its maps with {@link ValueCodec}. A data file records its format in a map
 * of its own; a file written before (Java-serialized maps, no marker) is opened with the server's plain backend, as
 * it was written, so an existing local platform keeps its data.
 */
public final class CodecH2Backend extends H2Backend {
    private static final String FORMAT_KEY = "values";
    private static final String FORMAT = "codec-1";

    private CodecH2Backend(MVStore store) {
        super(store);
    }

    /** The backend for the data file, or for memory when {@code file} is null. */
    public static H2Backend open(String file) {
        MVStore store = file == null ? new MVStore.Builder().open() : MVStore.open(file);
        MVMap<String, String> format = store.openMap(CodecMaps.FORMAT_MAP);
        String written = format.get(FORMAT_KEY);
        if (written == null && store.getMapNames().stream().anyMatch(CodecMaps::usesCodec)) {
            return new H2Backend(store);
        }
        if (written != null && !FORMAT.equals(written)) {
            store.close();
            throw new IllegalStateException("the data file was written in format " + written + ", which this version cannot read");
        }
        if (written == null) {
            format.put(FORMAT_KEY, FORMAT);
        }
        // Every map opened with its type before the server's code opens any by name: its drop and rename paths call
        // openMap(name) with H2's default type, which returns an already open map as it is.
        for (String name : store.getMapNames()) {
            CodecMaps.open(store, name);
        }
        return new CodecH2Backend(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new CodecH2Database(databaseName, getMvStore(), getCursorRegistry());
    }
}
