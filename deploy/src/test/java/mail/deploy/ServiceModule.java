package mail.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One service module: its configuration model and its container image definition. */
record ServiceModule(String name, Path dir, ConfigModel config) {
    private static final Pattern OUR_DEPENDENCY = Pattern.compile(
            "<groupId>io\\.mailplatform</groupId>\\s*<artifactId>([^<]+)</artifactId>");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    /**
     * The standard port each listener is published on (DESIGN.md §5); the key is the listener's configuration key.
     * A listener key missing here fails the port checks, so a new listener cannot be forgotten.
     */
    static final Map<String, Integer> STANDARD_PORTS = Map.of(
            "mail.smtp.mx.port", 25, "mail.smtp.submission.port", 587, "mail.smtp.submissions.port", 465,
            "mail.imap.port", 143, "mail.imap.tls-port", 993, "mail.pop3.port", 110, "mail.pop3.tls-port", 995);

    /** Whether a listener (by its port key) expects a PROXY protocol header: the key of that setting. */
    static final Map<String, String> PROXY_PROTOCOL_KEYS = Map.of(
            "mail.smtp.mx.port", "mail.smtp.mx.proxy-protocol",
            "mail.smtp.submission.port", "mail.smtp.submission.proxy-protocol",
            "mail.smtp.submissions.port", "mail.smtp.submissions.proxy-protocol",
            "mail.imap.port", "mail.imap.listener.proxy-protocol", "mail.imap.tls-port", "mail.imap.tls-listener.proxy-protocol",
            "mail.pop3.port", "mail.pop3.listener.proxy-protocol", "mail.pop3.tls-port", "mail.pop3.tls-listener.proxy-protocol");

    static ServiceModule load(Path root, Path dir) {
        Set<Path> sources = new LinkedHashSet<>();
        sources.add(dir.resolve("src/main/java"));
        // the library modules it depends on (transitively) bring their own @ConfigMapping interfaces (mail-core's InfraConfig)
        Deque<Path> todo = new ArrayDeque<>(List.of(dir));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            Path module = todo.pop();
            Path pom = module.resolve("pom.xml");
            if (!Files.isRegularFile(pom)) {
                continue;
            }
            Matcher d = DEPENDENCY.matcher(Repo.read(pom));
            while (d.find()) {
                // a test-scoped module (outbound-relay starts a real smtp-gateway in its tests) is not in the image
                Matcher m = OUR_DEPENDENCY.matcher(d.group(1));
                if (!m.find() || d.group(1).contains("<scope>test</scope>")) {
                    continue;
                }
                String artifact = m.group(1).trim();
                Path lib = root.resolve(artifact);
                if (seen.add(artifact) && Files.isDirectory(lib) && !artifact.equals("test-support")) {
                    sources.add(lib.resolve("src/main/java"));
                    todo.push(lib);
                }
            }
        }
        return new ServiceModule(dir.getFileName().toString(), dir,
                ConfigModel.load(dir.resolve("src/main/resources/application.properties"), List.copyOf(sources)));
    }

    int httpPort() {
        return Integer.parseInt(config.effective("quarkus.http.port", Map.of()));
    }

    Path dockerfile() {
        return dir.resolve("src/main/docker/Dockerfile.jvm");
    }

    Dockerfile image() {
        return Dockerfile.parse(Repo.read(dockerfile()));
    }

    /** Listener configuration keys (mail.<svc>…port, mail.<svc>…-port) with their port under the given environment. */
    Map<String, Integer> listeners(Map<String, String> env) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (!runsProtocolServer()) {
            // port keys of other services are client settings (e.g. outbound-relay's MTA-STS policy port)
            return out;
        }
        for (ConfigModel.Key k : config.keys().values()) {
            String last = k.name().substring(k.name().lastIndexOf('.') + 1);
            if (k.name().startsWith("mail.") && (last.equals("port") || last.endsWith("-port"))
                    && k.type().equals("int")) {
                String v = config.effective(k.name(), env);
                if (v != null) {
                    out.put(k.name(), Integer.parseInt(v.trim()));
                }
            }
        }
        return out;
    }

    /** Whether the service accepts mail connections itself (the shared mail-protocol ProtocolServer). */
    boolean runsProtocolServer() {
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
            return files.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> Repo.read(p).contains("new ProtocolServer("));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Environment of a container: what the deployment sets, over what the image sets. */
    Map<String, String> withImageEnv(Map<String, String> deploymentEnv) {
        Map<String, String> env = new LinkedHashMap<>(image().env());
        env.putAll(deploymentEnv);
        return env;
    }
}
