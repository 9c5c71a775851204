package mail.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository the deployment files describe; the services are found in it, never listed by hand. */
final class Repo {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private Repo() {
    }

    static Path root() {
        String prop = System.getProperty("mail.root");
        Path start = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found from " + start);
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A service is a module of the parent POM whose application.properties names a Quarkus application with an HTTP
     * port and readiness dependencies; libraries, the CLI and dev-infra have no such file.
     */
    static List<ServiceModule> services() {
        Path root = root();
        List<ServiceModule> out = new ArrayList<>();
        Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
        while (m.find()) {
            Path dir = root.resolve(m.group(1).trim());
            Path props = dir.resolve("src/main/resources/application.properties");
            if (Files.isRegularFile(props)) {
                String text = read(props);
                if (text.contains("quarkus.http.port") && text.contains("mail.readiness.dependencies")) {
                    out.add(ServiceModule.load(root, dir));
                }
            }
        }
        return out;
    }

    static ServiceModule service(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }
}
