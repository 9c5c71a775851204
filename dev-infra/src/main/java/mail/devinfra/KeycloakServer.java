package mail.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Keycloak from the keycloak-quarkus-dist zip on Maven Central, in start-dev mode with our realm imported.
 * The zip is unpacked once into a cache directory; the first start re-augments it there and later starts reuse it.
 * Each instance keeps its database (H2 file) in its own data directory.
 */
final class KeycloakServer {
    static final String VERSION = "26.5.6";

    private KeycloakServer() {
    }

    static Path cacheDir() {
        String env = System.getenv("MAIL_CACHE_DIR");
        Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "mailplatform");
        return base.toAbsolutePath();
    }

    /** Unpacks the distribution once (under a file lock, so that parallel runs do not race), returning its home. */
    static Path ensureDistribution() {
        Path cache = cacheDir();
        Path home = cache.resolve("keycloak-" + VERSION);
        if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            return home;
        }
        try {
            Files.createDirectories(cache);
            try (FileChannel ch = FileChannel.open(cache.resolve("keycloak.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
                    return home;
                }
                Path tmp = Files.createTempDirectory(cache, "keycloak-unpack-");
                unzipStrippingTopFolder(ServerClasspath.keycloakZip(), tmp);
                try (Stream<Path> scripts = Files.list(tmp.resolve("bin"))) {
                    scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
                }
                Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
            }
            return home;
        } catch (IOException e) {
            throw new StartupException("keycloak: cannot unpack the distribution into " + home + ": " + e.getMessage());
        }
    }

    private static void unzipStrippingTopFolder(Path zip, Path target) throws IOException {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path out = target.resolve(name.substring(slash + 1)).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("unsafe entry in " + zip + ": " + name);
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zf.getInputStream(e); OutputStream os = Files.newOutputStream(out)) {
                        in.transferTo(os);
                    }
                }
            }
        }
    }

    static String realmJson(String adminUser, String adminPassword, String servicesSecret) {
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/mail-realm.json")) {
            String t = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return t.replace("${SSL_REQUIRED}", "none")
                    .replace("${ADMIN_USER}", jsonEscape(adminUser))
                    .replace("${ADMIN_PASSWORD}", jsonEscape(adminPassword))
                    .replace("${SERVICES_SECRET}", jsonEscape(servicesSecret));
        } catch (IOException e) {
            throw new StartupException("keycloak: realm template missing: " + e.getMessage());
        }
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    static LocalProcess start(Path dataDir, int port, int managementPort, String adminUser, String adminPassword,
                              String servicesSecret, Path log) {
        Path home = ensureDistribution();
        try {
            Files.createDirectories(dataDir);
            Path importDir = home.resolve("data/import");
            Files.createDirectories(importDir);
            Files.writeString(importDir.resolve("mail-realm.json"), realmJson(adminUser, adminPassword, servicesSecret));
        } catch (IOException e) {
            throw new StartupException("keycloak: cannot write the realm file: " + e.getMessage());
        }
        List<String> cmd = List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                "--health-enabled=true", "--import-realm",
                "--db-url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("keycloakdb") + ";NON_KEYWORDS=VALUE");
        Map<String, String> env = Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m",
                "KC_BOOTSTRAP_ADMIN_USERNAME", adminUser,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        return LocalProcess.start("keycloak", cmd, env, dataDir, log);
    }

    static boolean realmReady(int port) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpResponse<Void> r = c.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/realms/mail/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
