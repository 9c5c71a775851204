package mail.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
record Dockerfile(List<Instruction> instructions) {
    record Instruction(String keyword, String args) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\\S*)");

    static Dockerfile parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (cur.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (cur.length() > 0 && t.startsWith("#")) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            cur.append(t);
            String joined = cur.toString().strip();
            cur.setLength(0);
            int sp = joined.indexOf(' ');
            out.add(sp < 0 ? new Instruction(joined.toUpperCase(), "")
                    : new Instruction(joined.substring(0, sp).toUpperCase(), joined.substring(sp + 1).strip()));
        }
        return new Dockerfile(out);
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String args : all("ENV")) {
            Matcher m = ENV_PAIR.matcher(args);
            while (m.find()) {
                String v = m.group(2);
                if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                }
                env.put(m.group(1), v);
            }
        }
        return env;
    }

    /** The user the container runs as: the last USER instruction, root when there is none. */
    String user() {
        List<String> users = all("USER");
        return users.isEmpty() ? "root" : users.get(users.size() - 1).strip();
    }

    List<Integer> exposed() {
        List<Integer> out = new ArrayList<>();
        for (String args : all("EXPOSE")) {
            for (String p : args.split("\\s+")) {
                out.add(Integer.parseInt(p.replace("/tcp", "")));
            }
        }
        return out;
    }

    /** Structural problems; the port is the service's quarkus.http.port. */
    List<String> problems(String name, int httpPort, List<Integer> listenerPorts) {
        List<String> out = new ArrayList<>();
        List<String> froms = all("FROM");
        if (froms.isEmpty()) {
            out.add(name + ": no FROM");
        }
        for (String from : froms) {
            String image = from.split("\\s+")[0];
            Images.problem(image).ifPresent(p -> out.add(name + ": FROM " + p));
        }
        String user = user();
        if (user.equals("root") || user.equals("0") || user.startsWith("root:") || user.startsWith("0:")) {
            out.add(name + ": runs as root (last USER is '" + user + "')");
        }
        List<String> health = all("HEALTHCHECK");
        if (health.isEmpty() || health.get(health.size() - 1).equalsIgnoreCase("NONE")) {
            out.add(name + ": no HEALTHCHECK");
        } else {
            String h = health.get(health.size() - 1);
            // the port is either written out or the image's own QUARKUS_HTTP_PORT (checked against httpPort below)
            boolean port = h.contains(Integer.toString(httpPort))
                    || (h.contains("${QUARKUS_HTTP_PORT}") && env().containsKey("QUARKUS_HTTP_PORT"));
            if (!h.contains("/q/health/ready") || !port) {
                out.add(name + ": HEALTHCHECK does not ask /q/health/ready on port " + httpPort + ": " + h);
            }
        }
        String port = env().get("QUARKUS_HTTP_PORT");
        if (port != null && !port.equals(Integer.toString(httpPort))) {
            out.add(name + ": ENV QUARKUS_HTTP_PORT=" + port + " but application.properties has quarkus.http.port=" + httpPort);
        }
        if (!"0.0.0.0".equals(env().get("QUARKUS_HTTP_HOST"))) {
            out.add(name + ": QUARKUS_HTTP_HOST is not 0.0.0.0, the HTTP port would be unreachable from outside the container");
        }
        List<Integer> exposed = exposed();
        List<Integer> wanted = new ArrayList<>(listenerPorts);
        wanted.add(0, httpPort);
        for (int p : wanted) {
            if (!exposed.contains(p)) {
                out.add(name + ": port " + p + " not in EXPOSE " + exposed);
            }
        }
        String entry = String.join(" ", all("ENTRYPOINT")) + " " + String.join(" ", all("CMD")) + " " + env();
        if (!entry.contains("MaxRAMPercentage")) {
            out.add(name + ": the heap does not follow the container limit (no -XX:MaxRAMPercentage)");
        }
        for (String add : all("ADD")) {
            if (add.contains("http://") || add.contains("https://")) {
                out.add(name + ": ADD from a URL is not reproducible: " + add);
            }
        }
        return out;
    }
}
