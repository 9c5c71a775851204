package mail.devinfra;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The classpath of the infrastructure servers: this module's classes plus target/classpath.txt written by the build. */
final class ServerClasspath {
    private ServerClasspath() {
    }

    static Path moduleDir() {
        String root = System.getProperty("mail.root");
        if (root != null) {
            return Path.of(root, "dev-infra");
        }
        try {
            // running from dev-infra/target/classes (or a jar in dev-infra/target)
            Path here = Path.of(ServerClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.getParent().getParent();
        } catch (URISyntaxException e) {
            throw new StartupException("cannot locate the dev-infra module: " + e.getMessage());
        }
    }

    static String get() {
        Path dir = moduleDir();
        Path cpFile = dir.resolve("target/classpath.txt");
        Path classes = dir.resolve("target/classes");
        if (!Files.isRegularFile(cpFile) || !Files.isDirectory(classes)) {
            throw new StartupException("dev-infra is not built (" + cpFile + " missing): run ./mvnw -q -pl dev-infra package");
        }
        try {
            return classes + java.io.File.pathSeparator + Files.readString(cpFile).trim();
        } catch (IOException e) {
            throw new StartupException("cannot read " + cpFile + ": " + e.getMessage());
        }
    }

    static Path keycloakZip() {
        Path f = moduleDir().resolve("target/keycloak-dist.txt");
        try {
            for (String p : Files.readString(f).trim().split(java.io.File.pathSeparator)) {
                if (p.contains("keycloak-quarkus-dist")) {
                    return Path.of(p);
                }
            }
        } catch (IOException e) {
            throw new StartupException("dev-infra is not built (" + f + " missing): run ./mvnw -q -pl dev-infra package");
        }
        throw new StartupException("keycloak-quarkus-dist zip not listed in " + f);
    }
}
