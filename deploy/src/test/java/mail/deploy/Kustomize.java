package mail.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization. With kubectl on the PATH it is kubectl's own kustomize (what an operator runs); without
 * it, a small renderer that understands what our kustomizations use: resources (files and directories), namespace,
 * replicas, strategic-merge patches of scalars and of lists of named items (containers).
 */
final class Kustomize {
    private Kustomize() {
    }

    static List<Map<String, Object>> render(Path dir) {
        Path kubectl = onPath("kubectl");
        return kubectl != null ? withKubectl(kubectl, dir) : inJava(dir);
    }

    static Path onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, binary);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<Map<String, Object>> withKubectl(Path kubectl, Path dir) {
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return Yaml.all(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, Object>> inJava(Path dir) {
        Map<String, Object> k = Yaml.one(Repo.read(dir.resolve("kustomization.yaml")));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object r : Yaml.list(k, "resources")) {
            Path p = dir.resolve(r.toString()).normalize();
            if (Files.isDirectory(p)) {
                objects.addAll(inJava(p));
            } else {
                objects.addAll(Yaml.all(Repo.read(p)));
            }
        }
        for (Object g : Yaml.list(k, "configMapGenerator")) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (Object f : Yaml.list(g, "files")) {
                Path file = dir.resolve(f.toString());
                data.put(file.getFileName().toString(), Repo.read(file));
            }
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("apiVersion", "v1");
            cm.put("kind", "ConfigMap");
            cm.put("metadata", new LinkedHashMap<>(Map.of("name", Yaml.str(g, "name"))));
            cm.put("data", data);
            objects.add(cm);
        }
        String namespace = Yaml.str(k, "namespace");
        if (namespace != null) {
            for (Map<String, Object> o : objects) {
                if (!"Namespace".equals(o.get("kind"))) {
                    metadata(o).put("namespace", namespace);
                }
            }
        }
        for (Object r : Yaml.list(k, "replicas")) {
            Map<String, Object> target = find(objects, "Deployment", Yaml.str(r, "name"));
            if (target == null) {
                throw new IllegalStateException("replicas for unknown Deployment " + Yaml.str(r, "name"));
            }
            mutable(target, "spec").put("replicas", ((Number) ((Map<?, ?>) r).get("count")).intValue());
        }
        for (Object patch : Yaml.list(k, "patches")) {
            for (Map<String, Object> p : Yaml.all(Repo.read(dir.resolve(Yaml.str(patch, "path"))))) {
                Map<String, Object> target = find(objects, Objects.toString(p.get("kind")), Yaml.str(p.get("metadata"), "name"));
                if (target == null) {
                    throw new IllegalStateException("patch for unknown " + p.get("kind") + " " + Yaml.str(p.get("metadata"), "name"));
                }
                merge(target, p);
            }
        }
        return objects;
    }

    static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        for (Map<String, Object> o : objects) {
            if (kind.equals(o.get("kind")) && name != null && name.equals(Yaml.str(o.get("metadata"), "name"))) {
                return o;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> o) {
        return mutable(o, "metadata");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutable(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof Map)) {
            v = new LinkedHashMap<String, Object>();
            o.put(key, v);
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object cur = target.get(e.getKey());
            if (cur instanceof Map && e.getValue() instanceof Map) {
                merge((Map<String, Object>) cur, (Map<String, Object>) e.getValue());
            } else if (cur instanceof List && e.getValue() instanceof List && namedItems((List<Object>) e.getValue())) {
                for (Object item : (List<Object>) e.getValue()) {
                    Map<String, Object> p = (Map<String, Object>) item;
                    Map<String, Object> match = null;
                    for (Object c : (List<Object>) cur) {
                        if (c instanceof Map && Objects.equals(((Map<?, ?>) c).get("name"), p.get("name"))) {
                            match = (Map<String, Object>) c;
                        }
                    }
                    if (match != null) {
                        merge(match, p);
                    } else {
                        ((List<Object>) cur).add(p);
                    }
                }
            } else {
                target.put(e.getKey(), e.getValue());
            }
        }
    }

    private static boolean namedItems(List<Object> list) {
        return !list.isEmpty() && list.stream().allMatch(i -> i instanceof Map && ((Map<?, ?>) i).containsKey("name"));
    }
}
