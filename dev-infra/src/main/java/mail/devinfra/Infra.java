package mail.devinfra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The four infrastructure servers as child processes: Kafka, the MongoDB-compatible server, S3Proxy and Keycloak.
 * The same code serves the test suite (free ports, throwaway data) and the local platform (fixed ports, data kept).
 */
public final class Infra implements AutoCloseable {

    public record Ports(int kafka, int kafkaController, int mongo, int s3, int keycloak, int keycloakManagement) {
        /** DESIGN.md §5. */
        public static Ports fixed() {
            return new Ports(9092, 9093, 27017, 9000, 8180, 9180);
        }

        public static Ports free() {
            return new Ports(LocalProcess.freePort(), LocalProcess.freePort(), LocalProcess.freePort(),
                    LocalProcess.freePort(), LocalProcess.freePort(), LocalProcess.freePort());
        }

        Map<String, Integer> byName() {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("kafka", kafka);
            m.put("kafka controller", kafkaController);
            m.put("mongo", mongo);
            m.put("s3", s3);
            m.put("keycloak", keycloak);
            m.put("keycloak management", keycloakManagement);
            return m;
        }
    }

    public record Credentials(String adminUser, String adminPassword, String servicesSecret, String s3AccessKey, String s3SecretKey) {
        /** Local-development defaults, overridable from the environment; printed at start so nobody has to guess. */
        public static Credentials fromEnvironment() {
            return new Credentials(
                    env("MAIL_ADMIN_USER", "admin"),
                    env("MAIL_ADMIN_PASSWORD", "admin"),
                    env("MAIL_SERVICES_CLIENT_SECRET", "local-dev-services-secret"),
                    env("MAIL_S3_ACCESS_KEY", "local-dev-access-key"),
                    env("MAIL_S3_SECRET_KEY", "local-dev-secret-key"));
        }

        private static String env(String name, String dflt) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? dflt : v;
        }
    }

    private final Path dataDir;
    private final Path logDir;
    private final Ports ports;
    private final Credentials credentials;
    private final StateFile state;
    private final boolean persistent;
    private final List<LocalProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closing;

    public static final java.util.Set<String> ALL = java.util.Set.of("kafka", "mongo", "s3", "keycloak");

    private final java.util.Set<String> components;

    public Infra(Path dataDir, Ports ports, Credentials credentials, StateFile state, boolean persistent) {
        this(dataDir, ports, credentials, state, persistent, ALL);
    }

    public Infra(Path dataDir, Ports ports, Credentials credentials, StateFile state, boolean persistent,
                 java.util.Set<String> components) {
        this.components = java.util.Set.copyOf(components);
        this.dataDir = dataDir.toAbsolutePath();
        this.logDir = this.dataDir.resolve("logs");
        this.ports = ports;
        this.credentials = credentials;
        this.state = state;
        this.persistent = persistent;
    }

    public Ports ports() {
        return ports;
    }

    public Credentials credentials() {
        return credentials;
    }

    public void checkPortsFree() {
        ports.byName().forEach((name, port) -> {
            if (!LocalProcess.portFree(port)) {
                throw new StartupException("port " + port + " (" + name + ") is already in use on 127.0.0.1");
            }
        });
    }

    /** Starts all four in parallel (the machine has few cores, but most of the time is spent waiting) and waits for each. */
    public void start() {
        state.put("kafka.bootstrap", "127.0.0.1:" + ports.kafka())
                .put("mongo.uri", "mongodb://127.0.0.1:" + ports.mongo())
                .put("s3.endpoint", "http://127.0.0.1:" + ports.s3())
                .put("s3.access-key", credentials.s3AccessKey())
                .put("s3.secret-key", credentials.s3SecretKey())
                .put("keycloak.url", "http://127.0.0.1:" + ports.keycloak())
                .put("keycloak.realm-url", "http://127.0.0.1:" + ports.keycloak() + "/realms/mail")
                .put("keycloak.services-client-id", "mail-services")
                .put("keycloak.services-secret", credentials.servicesSecret())
                .put("admin.user", credentials.adminUser())
                .put("admin.password", credentials.adminPassword())
                .put("status", "starting")
                .write();
        // the first failure ends the wait: a corrupt Mongo file must not be reported only after Keycloak's 30 s start
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        Map<String, Runnable> starters = Map.of("kafka", this::startKafka, "mongo", this::startMongo,
                "s3", this::startS3, "keycloak", this::startKeycloak);
        List<CompletableFuture<Void>> all = components.stream()
                .map(c -> CompletableFuture.runAsync(starters.get(c))).toList();
        all.forEach(f -> f.whenComplete((ok, error) -> {
            if (error != null) {
                firstFailure.completeExceptionally(error);
            }
        }));
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)), firstFailure).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw cause instanceof StartupException se ? se : new StartupException(cause.toString());
        }
    }

    private void startKafka() {
        LocalProcess p = track(LocalProcess.start("kafka",
                // full JIT, like S3Proxy: every accepted message and every delivery goes through the broker
                LocalProcess.java(List.of("-Xmx256m", "-XX:+UseSerialGC"), "mail.devinfra.KafkaMain",
                        dataDir.resolve("kafka").toString(), "" + ports.kafka(), "" + ports.kafkaController()),
                Map.of(), dataDir, logDir.resolve("kafka.log")));
        // generous: on a loaded 2-core machine (several builds at once) a JVM start alone can take a minute
        p.awaitPort(ports.kafka(), Duration.ofSeconds(300));
        ready("kafka", p);
    }

    private void startMongo() {
        String file = dataDir.resolve("mongo/mongo.mv").toString();
        LocalProcess p = track(LocalProcess.start("mongo",
                // full JIT: every delivery and every IMAP command reads or writes it
                LocalProcess.java(List.of("-Xmx256m", "-XX:+UseSerialGC"),
                        "mail.devinfra.MongoMain", file, "" + ports.mongo()),
                Map.of(), dataDir, logDir.resolve("mongo.log")));
        p.awaitPort(ports.mongo(), Duration.ofSeconds(300));
        ready("mongo", p);
    }

    private void startS3() {
        LocalProcess p = track(LocalProcess.start("s3",
                // full JIT: S3Proxy is on the path of every accepted message
                LocalProcess.java(List.of("-Xmx256m", "-XX:+UseSerialGC"), "mail.devinfra.S3Main",
                        dataDir.resolve("s3").toString(), "" + ports.s3(), credentials.s3AccessKey(), credentials.s3SecretKey()),
                Map.of(), dataDir, logDir.resolve("s3.log")));
        p.awaitPort(ports.s3(), Duration.ofSeconds(300));
        ready("s3", p);
    }

    private void startKeycloak() {
        LocalProcess p = track(KeycloakServer.start(dataDir.resolve("keycloak"), ports.keycloak(), ports.keycloakManagement(),
                credentials.adminUser(), credentials.adminPassword(), credentials.servicesSecret(), logDir.resolve("keycloak.log")));
        // the first start on a fresh unpack re-augments the distribution: minutes on a slow machine
        p.awaitReady(() -> KeycloakServer.realmReady(ports.keycloak()), Duration.ofSeconds(600), "realm 'mail' served");
        try {
            new RealmUpgrade(ports.keycloak()).ensureServiceRole(credentials.adminUser(), credentials.adminPassword());
        } catch (java.io.IOException e) {
            // not fatal: without the role only the gateway's fallback lookup is refused (451 until its cache loads)
            System.err.println("keycloak: could not ensure realm role " + RealmUpgrade.SERVICE_ROLE + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ready("keycloak", p);
    }

    private LocalProcess track(LocalProcess p) {
        processes.add(p);
        state.put(p.name() + ".pid", p.pid()).put(p.name() + ".log", p.log()).write();
        return p;
    }

    private void ready(String name, LocalProcess p) {
        state.put(name + ".ready", "true").write();
    }

    public boolean persistent() {
        return persistent;
    }

    /** The first child that died on its own, if any: the supervisor reports it instead of pretending all is well. */
    public LocalProcess firstDead() {
        if (closing) {
            return null;
        }
        synchronized (processes) {
            return processes.stream().filter(p -> !p.isAlive()).findFirst().orElse(null);
        }
    }

    @Override
    public void close() {
        closing = true;
        List<LocalProcess> copy;
        synchronized (processes) {
            copy = new ArrayList<>(processes);
        }
        Collections.reverse(copy);
        copy.parallelStream().forEach(LocalProcess::close);
    }
}
