package mail.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/** SnakeYAML with merge keys (compose uses {@code <<: *anchor}) and every document of a stream. */
final class Yaml {
    private Yaml() {
    }

    private static org.yaml.snakeyaml.Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(200);
        return new org.yaml.snakeyaml.Yaml(options);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> one(String text) {
        Object o = yaml().load(text);
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("not a YAML mapping");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> all(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : yaml().loadAll(text)) {
            if (o instanceof Map) {
                out.add((Map<String, Object>) o);
            } else if (o != null) {
                throw new IllegalArgumentException("a document that is not a mapping: " + o);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String key) {
        if (!(o instanceof Map)) {
            return Map.of();
        }
        Object v = ((Map<String, Object>) o).get(key);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String key) {
        if (!(o instanceof Map)) {
            return List.of();
        }
        Object v = ((Map<String, Object>) o).get(key);
        return v instanceof List ? (List<Object>) v : List.of();
    }

    static String str(Object o, String key) {
        if (!(o instanceof Map)) {
            return null;
        }
        Object v = ((Map<?, ?>) o).get(key);
        return v == null ? null : v.toString();
    }

    /** Follows a path of map keys; null when any step is missing. */
    static Object at(Object o, String... path) {
        Object cur = o;
        for (String p : path) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<?, ?>) cur).get(p);
        }
        return cur;
    }
}
