package mail.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service reads, derived from its sources rather than listed by hand:
 * <ul>
 * <li>every member of every {@code @ConfigMapping} interface of the module and the library modules it depends on,
 * with its {@code @WithDefault} (Optional, Map and List-less groups have none and are not required);</li>
 * <li>every non-profile line of application.properties, whose values may hold {@code ${key:default}} expressions;</li>
 * <li>keys read directly through {@code getOptionalValue("key", …).orElse("default")}.</li>
 * </ul>
 * The value a container sees is then worked out the way SmallRye Config does it: the environment variable of the key
 * (dots and dashes to underscores, upper case) wins, then application.properties, then the mapping's default;
 * expressions are expanded against the same sources.
 */
final class ConfigModel {
    record Key(String name, String type, String defaultValue, boolean optional, String origin) {
    }

    /** A value that only works on the developer's machine: loopback endpoints, "localhost" names, local-dev secrets. */
    static final Pattern LOCAL_ONLY = Pattern.compile("\\b127\\.0\\.0\\.1\\b|\\blocalhost\\b|local-dev");

    /**
     * Optional keys whose absence makes a service invent a local-development substitute (a self-signed certificate, a
     * DKIM encryption key in its data directory that a new container loses): a deployment must set them.
     */
    static final Pattern SUBSTITUTED_WHEN_ABSENT = Pattern.compile("\\.tls\\.(cert|key)-file$|\\.key-encryption-key$");

    private static final Pattern MAPPING = Pattern.compile(
            "@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)\\s*(?:public\\s+)?interface\\s+(\\w+)\\s*\\{");
    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)\\s*\\{");
    private static final Pattern ANNOTATION = Pattern.compile("@(\\w+)(?:\\(\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|[^)]*)\\s*\\))?");
    private static final Pattern MEMBER = Pattern.compile("^([\\w.]+(?:<[\\w.<>,\\s]+>)?)\\s+(\\w+)\\(\\s*\\)$");
    private static final Pattern OPTIONAL_VALUE = Pattern.compile(
            "getOptionalValue\\(\\s*\"([^\"]+)\"[^;]*?\\.orElse\\(\\s*\"([^\"]*)\"\\s*\\)", Pattern.DOTALL);

    private final Map<String, Key> keys;
    private final Map<String, String> properties;

    ConfigModel(Map<String, Key> keys, Map<String, String> properties) {
        this.keys = keys;
        this.properties = properties;
    }

    static ConfigModel load(Path applicationProperties, List<Path> sourceRoots) {
        Map<String, Key> keys = new TreeMap<>();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String src = Repo.read(f);
                    if (src.contains("@ConfigMapping")) {
                        parseMappings(stripComments(src), f.getFileName().toString(), keys);
                    }
                    Matcher m = OPTIONAL_VALUE.matcher(src);
                    while (m.find()) {
                        keys.putIfAbsent(m.group(1), new Key(m.group(1), "String", m.group(2), false, f.getFileName().toString()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String> props = loadProperties(Repo.read(applicationProperties));
        for (String k : props.keySet()) {
            keys.putIfAbsent(k, new Key(k, "String", null, false, "application.properties"));
        }
        return new ConfigModel(keys, props);
    }

    static Map<String, String> loadProperties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new TreeMap<>();
        // profile lines (%test.…) never apply in a container
        p.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    Map<String, Key> keys() {
        return keys;
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    /** The value the service would see under this environment; null when a required value is missing. */
    String effective(String key, Map<String, String> env) {
        String raw = raw(key, env);
        return raw == null ? null : expand(raw, env, 0);
    }

    private String raw(String key, Map<String, String> env) {
        String e = env.get(envName(key));
        if (e != null) {
            return e;
        }
        if (properties.containsKey(key)) {
            return properties.get(key);
        }
        Key k = keys.get(key);
        return k == null ? null : k.defaultValue();
    }

    private String expand(String value, Map<String, String> env, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("expression nesting too deep: " + value);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value.substring(i));
                break;
            }
            out.append(value, i, start);
            int end = matchingBrace(value, start + 1);
            String inner = value.substring(start + 2, end);
            int colon = topLevelColon(inner);
            String name = colon < 0 ? inner : inner.substring(0, colon);
            String dflt = colon < 0 ? null : inner.substring(colon + 1);
            String resolved;
            if (name.startsWith("java.") || name.startsWith("user.")) {
                resolved = "/jvm-system-property";
            } else {
                resolved = raw(name, env);
                if (resolved == null && env.containsKey(name)) {
                    resolved = env.get(name);
                }
            }
            if (resolved == null) {
                resolved = dflt;
            }
            if (resolved == null) {
                return null;
            }
            String expanded = expand(resolved, env, depth + 1);
            if (expanded == null) {
                return null;
            }
            out.append(expanded);
            i = end + 1;
        }
        return out.toString();
    }

    private static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                depth++;
            } else if (s.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced expression: " + s);
    }

    private static int topLevelColon(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ':' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** What is wrong with running this service under the given container environment. */
    List<String> problems(String service, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (Key k : keys.values()) {
            String v = effective(k.name(), env);
            String var = envName(k.name());
            if (v == null && !k.optional()) {
                out.add(service + ": " + k.name() + " has no value and no default: set " + var);
            } else if (v != null && LOCAL_ONLY.matcher(v).find()) {
                out.add(service + ": " + k.name() + " = '" + v + "' only works on a developer machine: set " + var);
            } else if (v == null && SUBSTITUTED_WHEN_ABSENT.matcher(k.name()).find()) {
                out.add(service + ": " + k.name() + " is missing and would be replaced by a local-development substitute: set " + var);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- parsing @ConfigMapping interfaces

    static String stripComments(String src) {
        String noBlocks = src.replaceAll("(?s)/\\*.*?\\*/", "");
        return noBlocks.replaceAll("(?m)^\\s*//.*$", "");
    }

    private static void parseMappings(String src, String origin, Map<String, Key> keys) {
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher i = INTERFACE.matcher(src);
        while (i.find()) {
            int open = i.end() - 1;
            bodies.put(i.group(1), src.substring(open + 1, matchingBrace(src, open)));
        }
        Matcher m = MAPPING.matcher(src);
        while (m.find()) {
            addMembers(m.group(1), m.group(2), bodies, origin, keys, 0);
        }
    }

    private static void addMembers(String prefix, String iface, Map<String, String> bodies, String origin,
            Map<String, Key> keys, int depth) {
        if (depth > 5) {
            throw new IllegalStateException("config groups nested too deep at " + prefix);
        }
        for (String stmt : statements(withoutNestedInterfaces(bodies.get(iface)))) {
            String defaultValue = null;
            String name = null;
            Matcher a = ANNOTATION.matcher(stmt);
            int lastAnnotationEnd = 0;
            while (a.find() && stmt.substring(lastAnnotationEnd, a.start()).isBlank()) {
                if (a.group(1).equals("WithDefault")) {
                    defaultValue = unescape(a.group(2));
                } else if (a.group(1).equals("WithName")) {
                    name = unescape(a.group(2));
                }
                lastAnnotationEnd = a.end();
            }
            Matcher member = MEMBER.matcher(stmt.substring(lastAnnotationEnd).trim());
            if (!member.matches()) {
                continue;
            }
            String type = member.group(1).replaceAll("\\s", "");
            String key = prefix + "." + (name != null ? name : kebab(member.group(2)));
            if (bodies.containsKey(type)) {
                addMembers(key, type, bodies, origin, keys, depth + 1);
            } else {
                boolean optional = type.startsWith("Optional<") || type.startsWith("java.util.Optional<")
                        || type.startsWith("Map<") || type.startsWith("java.util.Map<");
                keys.put(key, new Key(key, type, defaultValue, optional, origin));
            }
        }
    }

    private static String withoutNestedInterfaces(String body) {
        StringBuilder out = new StringBuilder(body);
        Matcher i = INTERFACE.matcher(out);
        while (i.find()) {
            int open = i.end() - 1;
            int close = matchingBrace(out.toString(), open);
            out.delete(i.start(), close + 1);
            i = INTERFACE.matcher(out);
        }
        return out.toString();
    }

    /** Splits on ';' outside string literals (defaults such as a DMARC policy contain ';'). */
    private static List<String> statements(String body) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' && (i == 0 || body.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (c == ';' && !inString) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        return out;
    }

    private static String unescape(String s) {
        return s == null ? null : s.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
