package mail.devinfra.mongo;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Which H2 maps of a data file hold MongoDB values (documents, index keys, ids) and are opened with
 * {@link ValueCodec}: every map but the server's per-collection "meta." maps (a string key and a number, which
 * H2's default type stores without serialization) and our own format marker.
 */
final class CodecMaps {
    static final String FORMAT_MAP = "mail.devinfra.format";
    private static final String META_PREFIX = "meta.";

    private CodecMaps() {
    }

    static boolean usesCodec(String mapName) {
        return !mapName.startsWith(META_PREFIX) && !mapName.equals(FORMAT_MAP);
    }

    /** The map, with the codec where it applies; an already open map is returned as it is. */
    static <K, V> MVMap<K, V> open(MVStore store, String mapName) {
        if (!usesCodec(mapName)) {
            return store.openMap(mapName);
        }
        MVMap.Builder<K, V> typed = new MVMap.Builder<K, V>().keyType(ValueCodec.INSTANCE).valueType(ValueCodec.INSTANCE);
        return store.openMap(mapName, typed);
    }
}
