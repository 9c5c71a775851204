package mail.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A compose file with the settings of its .env file, and the checks that hold for it. */
final class Compose {
    /** ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message} */
    static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}");
    private static final Pattern SECRET_NAME = Pattern.compile("SECRET|PASSWORD|_KEY$|ACCESS_KEY|ENCRYPTION_KEY");
    private static final Set<String> STATEFUL_IMAGES = Set.of("apache/kafka", "mongo", "minio/minio", "postgres");

    private final String text;
    private final Map<String, Object> doc;
    private final Map<String, String> dotEnv;

    Compose(String text, Map<String, String> dotEnv) {
        this.text = text;
        this.doc = Yaml.one(text);
        this.dotEnv = dotEnv;
    }

    static Map<String, String> parseDotEnv(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(".env line without '=': " + t);
            }
            out.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
        }
        return out;
    }

    Map<String, Object> services() {
        return Yaml.map(doc, "services");
    }

    Map<String, Object> service(String name) {
        return Yaml.map(services(), name);
    }

    /** Interpolates like compose does with the .env file present. */
    String interpolate(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = dotEnv.get(m.group(1));
            String op = m.group(2);
            String v;
            if (set != null && !(set.isEmpty() && op != null && op.startsWith(":"))) {
                v = set;
            } else if (op != null && op.endsWith("-")) {
                v = m.group(3);
            } else {
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The environment a service's container gets from this file (values interpolated). */
    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object e = service(service).get("environment");
        if (e instanceof Map) {
            ((Map<?, ?>) e).forEach((k, v) -> env.put(k.toString(), interpolate(v == null ? "" : v.toString())));
        } else if (e instanceof List) {
            for (Object item : (List<?>) e) {
                String s = item.toString();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : interpolate(s.substring(eq + 1)));
            }
        }
        return env;
    }

    // ---------------------------------------------------------------- checks

    List<String> missingServices(List<ServiceModule> modules) {
        List<String> out = new ArrayList<>();
        for (ServiceModule m : modules) {
            if (!services().containsKey(m.name())) {
                out.add("compose: service " + m.name() + " is missing");
            }
        }
        return out;
    }

    List<String> environmentProblems(List<ServiceModule> modules) {
        List<String> out = new ArrayList<>();
        for (ServiceModule m : modules) {
            if (services().containsKey(m.name())) {
                out.addAll(m.config().problems("compose " + m.name(), m.withImageEnv(environment(m.name()))));
            }
        }
        return out;
    }

    List<String> portProblems(List<ServiceModule> modules) {
        List<String> out = new ArrayList<>();
        for (ServiceModule m : modules) {
            if (!services().containsKey(m.name())) {
                continue;
            }
            Map<String, String> env = m.withImageEnv(environment(m.name()));
            String port = m.config().effective("quarkus.http.port", env);
            if (!Integer.toString(m.httpPort()).equals(port)) {
                out.add("compose " + m.name() + ": HTTP port " + port + " but quarkus.http.port is " + m.httpPort());
            }
            Object hc = service(m.name()).get("healthcheck");
            if (hc != null) {
                String test = String.valueOf(Yaml.at(hc, "test"));
                if (!test.contains("/q/health/ready") || !test.contains(":" + m.httpPort() + "/")) {
                    out.add("compose " + m.name() + ": healthcheck does not ask /q/health/ready on " + m.httpPort() + ": " + test);
                }
            }
        }
        return out;
    }

    List<String> imageProblems() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> s : services().entrySet()) {
            String image = interpolate(Yaml.str(s.getValue(), "image"));
            if (image == null) {
                out.add("compose " + s.getKey() + ": no image (an untagged build)");
            } else {
                Images.problem(image).ifPresent(p -> out.add("compose " + s.getKey() + ": " + p));
            }
        }
        return out;
    }

    /** Services that may run several copies: no fixed name, no host port (haproxy is the only way in). */
    List<String> scalingProblems(List<ServiceModule> modules) {
        List<String> out = new ArrayList<>();
        for (ServiceModule m : modules) {
            Map<String, Object> s = service(m.name());
            if (s.containsKey("container_name")) {
                out.add("compose " + m.name() + ": container_name prevents --scale");
            }
            if (!Yaml.list(s, "ports").isEmpty()) {
                out.add("compose " + m.name() + ": publishes host ports " + Yaml.list(s, "ports") + ", which prevents --scale");
            }
        }
        return out;
    }

    List<String> dependencyProblems(List<ServiceModule> modules) {
        List<String> out = new ArrayList<>();
        Set<String> ours = new LinkedHashSet<>();
        modules.forEach(m -> ours.add(m.name()));
        for (Map.Entry<String, Object> s : services().entrySet()) {
            Object deps = Yaml.at(s.getValue(), "depends_on");
            if (deps instanceof List) {
                out.add("compose " + s.getKey() + ": depends_on without conditions starts it before its dependencies are ready");
                continue;
            }
            if (!(deps instanceof Map)) {
                continue;
            }
            for (Map.Entry<?, ?> d : ((Map<?, ?>) deps).entrySet()) {
                String target = d.getKey().toString();
                String condition = Yaml.str(d.getValue(), "condition");
                if (!services().containsKey(target)) {
                    out.add("compose " + s.getKey() + ": depends on unknown service " + target);
                } else if ("service_healthy".equals(condition)) {
                    if (!service(target).containsKey("healthcheck") && !ours.contains(target)) {
                        out.add("compose " + s.getKey() + ": waits for " + target + " to be healthy, but it has no healthcheck");
                    }
                } else if (!"service_completed_successfully".equals(condition)) {
                    out.add("compose " + s.getKey() + ": depends on " + target + " with condition " + condition);
                }
            }
        }
        return out;
    }

    /** Every variable the file uses is in .env.example and the other way round; secrets are placeholders. */
    List<String> dotEnvProblems() {
        List<String> out = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            used.add(m.group(1));
        }
        for (String v : used) {
            if (!dotEnv.containsKey(v)) {
                out.add(".env.example: " + v + " is used by the compose file but not listed");
            }
        }
        for (Map.Entry<String, String> e : dotEnv.entrySet()) {
            if (!used.contains(e.getKey())) {
                out.add(".env.example: " + e.getKey() + " is listed but the compose file never uses it");
            }
            if (SECRET_NAME.matcher(e.getKey()).find() && !e.getKey().endsWith("_USER")
                    && !e.getValue().isEmpty() && !e.getValue().contains("CHANGE-ME")) {
                out.add(".env.example: " + e.getKey() + " looks like a secret but is not a CHANGE-ME placeholder");
            }
        }
        return out;
    }

    List<String> volumeProblems() {
        List<String> out = new ArrayList<>();
        Set<String> declared = Yaml.map(doc, "volumes").keySet();
        for (Map.Entry<String, Object> s : services().entrySet()) {
            boolean named = false;
            for (Object v : Yaml.list(s.getValue(), "volumes")) {
                String src = v instanceof Map ? Yaml.str(v, "source") : v.toString().split(":")[0];
                if (src == null || src.startsWith(".") || src.startsWith("/") || src.startsWith("~")) {
                    continue;
                }
                named = true;
                if (!declared.contains(src)) {
                    out.add("compose " + s.getKey() + ": volume " + src + " is not declared under volumes:");
                }
            }
            String image = interpolate(Yaml.str(s.getValue(), "image"));
            String repo = image == null ? "" : image.replaceAll(":[^/]*$", "");
            boolean longRunning = !"no".equals(Yaml.str(s.getValue(), "restart"));
            if (STATEFUL_IMAGES.contains(repo) && longRunning && !named) {
                out.add("compose " + s.getKey() + ": keeps data but has no named volume");
            }
        }
        return out;
    }
}
