package mail.devinfra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The local platform: the infrastructure plus all seven services, with data under one directory that survives
 * restarts. Commands: run (foreground; bin/mailplatform up puts it in the background), await, status, down.
 */
public final class Platform {

    record Service(String name, int httpPort) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("directory-service", 8081),
            new Service("smtp-gateway", 8082),
            new Service("delivery-worker", 8083),
            new Service("imap-service", 8084),
            new Service("pop3-service", 8085),
            new Service("backup-service", 8086),
            new Service("outbound-relay", 8087));

    private final Path root;
    private final Path dataDir;
    private final StateFile state;
    private final List<LocalProcess> services = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopping;

    private Platform(Path root, Path dataDir) {
        this.root = root;
        this.dataDir = dataDir;
        this.state = new StateFile(dataDir.resolve("state.properties"));
    }

    public static void main(String[] args) {
        String cmd = args.length > 0 ? args[0] : "help";
        Path data = Path.of(option(args, "--data", ".mailplatform")).toAbsolutePath().normalize();
        Path root = ServerClasspath.moduleDir().getParent().toAbsolutePath().normalize();
        int rc = switch (cmd) {
            case "run" -> new Platform(root, data).run();
            case "await" -> await(data, Duration.ofSeconds(Long.parseLong(option(args, "--timeout", "600"))),
                    Long.parseLong(option(args, "--pid", "-1")));
            case "status" -> status(data);
            case "down" -> down(data);
            default -> {
                System.err.println("usage: Platform run|await|status|down [--data DIR]");
                yield 64;
            }
        };
        System.exit(rc);
    }

    private static String option(String[] args, String name, String dflt) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    private int run() {
        FileChannel lockChannel;
        FileLock lock;
        try {
            Files.createDirectories(dataDir.resolve("logs"));
            lockChannel = FileChannel.open(dataDir.resolve("platform.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            System.err.println("ERROR cannot use data directory " + dataDir + ": " + e.getMessage());
            return 2;
        }
        if (lock == null) {
            System.err.println("ERROR the platform is already running on " + dataDir + " (see bin/mailplatform status)");
            return 3;
        }
        Infra infra = new Infra(dataDir, Infra.Ports.fixed(), Infra.Credentials.fromEnvironment(), state, true);
        Thread stopper = new Thread(() -> stopAll(infra), "platform-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        state.put("pid", ProcessHandle.current().pid()).put("status", "starting").put("error", "").write();
        try {
            preflight(infra);
            CompletableFuture<Void> infraUp = CompletableFuture.runAsync(infra::start);
            awaitCore(infraUp);
            startServices(infra);
            infraUp.join();
            awaitServices(Duration.ofSeconds(240));
        } catch (StartupException | CompletionException e) {
            String msg = e instanceof CompletionException && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            state.put("status", "failed").put("error", msg).write();
            System.err.println("ERROR " + msg);
            Runtime.getRuntime().removeShutdownHook(stopper);
            stopAll(infra);
            return 2;
        }
        state.put("status", "ready").write();
        System.out.println("platform ready");
        while (true) {
            LocalProcess.sleep(2000);
            if (stopping) {
                continue;
            }
            LocalProcess dead = infra.firstDead();
            if (dead == null) {
                synchronized (services) {
                    dead = services.stream().filter(p -> !p.isAlive()).findFirst().orElse(null);
                }
            }
            state.put("status", dead == null ? "ready" : "degraded")
                    .put("error", dead == null ? "" : dead.name() + " exited (log: " + dead.log() + ")").write();
        }
    }

    private void preflight(Infra infra) {
        infra.checkPortsFree();
        for (Service s : SERVICES) {
            if (!LocalProcess.portFree(s.httpPort())) {
                throw new StartupException("port " + s.httpPort() + " (" + s.name() + " HTTP) is already in use on 127.0.0.1");
            }
            Path jar = root.resolve(s.name()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new StartupException(s.name() + " is not built (" + jar + " missing): run ./mvnw -q install -DskipTests");
            }
        }
        Path mongoFile = dataDir.resolve("mongo/mongo.mv");
        try {
            if (Files.exists(mongoFile) && Files.size(mongoFile) == 0) {
                throw new StartupException("data directory is corrupt: " + mongoFile + " is empty");
            }
        } catch (IOException e) {
            throw new StartupException("data directory unreadable: " + e.getMessage());
        }
    }

    /** Services need Kafka, Mongo and S3 to be useful; Keycloak may still be starting and they report not-ready until it is. */
    private void awaitCore(CompletableFuture<Void> infraUp) {
        long deadline = System.nanoTime() + Duration.ofSeconds(400).toNanos();
        while (System.nanoTime() < deadline) {
            if (infraUp.isCompletedExceptionally()) {
                infraUp.join();
            }
            Properties p = StateFile.read(dataDir.resolve("state.properties"));
            if ("true".equals(p.getProperty("kafka.ready")) && "true".equals(p.getProperty("mongo.ready"))
                    && "true".equals(p.getProperty("s3.ready"))) {
                return;
            }
            LocalProcess.sleep(200);
        }
        throw new StartupException("kafka, mongo and s3 did not start within 120 s (logs: " + dataDir.resolve("logs") + ")");
    }

    private void startServices(Infra infra) {
        Map<String, String> env = serviceEnvironment(infra);
        for (Service s : SERVICES) {
            Path jar = root.resolve(s.name()).resolve("target/quarkus-app/quarkus-run.jar");
            List<String> cmd = List.of(LocalProcess.javaBinary(), "-Xmx192m", "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=" + dataDir.resolve("tmp"), "-jar", jar.toString());
            Map<String, String> e = new HashMap<>(env);
            e.put("QUARKUS_HTTP_PORT", Integer.toString(s.httpPort()));
            LocalProcess p = LocalProcess.start(s.name(), cmd, e, dataDir, dataDir.resolve("logs").resolve(s.name() + ".log"));
            services.add(p);
            state.put(s.name() + ".pid", p.pid()).put(s.name() + ".url", "http://127.0.0.1:" + s.httpPort())
                    .put(s.name() + ".log", p.log()).write();
        }
    }

    private Map<String, String> serviceEnvironment(Infra infra) {
        try {
            Files.createDirectories(dataDir.resolve("tmp"));
        } catch (IOException e) {
            throw new StartupException("cannot create " + dataDir.resolve("tmp") + ": " + e.getMessage());
        }
        Infra.Ports p = infra.ports();
        Infra.Credentials c = infra.credentials();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + p.kafka());
        env.put("MAIL_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + p.kafka());
        env.put("MAIL_MONGO_URI", "mongodb://127.0.0.1:" + p.mongo());
        env.put("MAIL_S3_ENDPOINT", "http://127.0.0.1:" + p.s3());
        env.put("MAIL_S3_ACCESS_KEY", c.s3AccessKey());
        env.put("MAIL_S3_SECRET_KEY", c.s3SecretKey());
        env.put("MAIL_KEYCLOAK_REALM_URL", "http://127.0.0.1:" + p.keycloak() + "/realms/mail");
        env.put("MAIL_KEYCLOAK_CLIENT_SECRET", c.servicesSecret());
        env.put("MAIL_DATA_DIR", dataDir.toString());
        // Local mail comes from loopback clients with made-up sender domains: SPF/DMARC against the real DNS would defer
        // it (no resolver) or file it as junk (example.net publishes -all). Set MAIL_SMTP_AUTH_CHECKS_ENABLED=true to
        // try the checks locally; deployments have them on (the gateway's default).
        if (System.getenv("MAIL_SMTP_AUTH_CHECKS_ENABLED") == null) {
            env.put("MAIL_SMTP_AUTH_CHECKS_ENABLED", "false");
        }
        return env;
    }

    private void awaitServices(Duration timeout) {
        for (LocalProcess p : new ArrayList<>(services)) {
            Service s = SERVICES.stream().filter(x -> x.name().equals(p.name())).findFirst().orElseThrow();
            p.awaitReady(() -> health(s.httpPort(), "ready") == 200, timeout, "/q/health/ready green");
            state.put(s.name() + ".ready", "true").write();
        }
    }

    private void stopAll(Infra infra) {
        stopping = true;
        List<LocalProcess> copy;
        synchronized (services) {
            copy = new ArrayList<>(services);
        }
        copy.parallelStream().forEach(LocalProcess::close);
        infra.close();
        state.put("status", "stopped").write();
    }

    static int health(int port, String which) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + which))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String healthBody(int port) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static boolean alive(Properties p, String key) {
        String pid = p.getProperty(key);
        return pid != null && !pid.isBlank() && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits for a background `run` to finish starting; prints its one-line error if it failed. */
    private static int await(Path data, Duration timeout, long launcherPid) {
        Path file = data.resolve("state.properties");
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastPrinted = "";
        while (System.nanoTime() < deadline) {
            Properties p = StateFile.read(file);
            String status = p.getProperty("status", "");
            if ("ready".equals(status)) {
                return 0;
            }
            if ("failed".equals(status)) {
                System.err.println("ERROR " + p.getProperty("error", "the platform stopped during start"));
                return 2;
            }
            boolean launcherGone = launcherPid > 0 && ProcessHandle.of(launcherPid).map(h -> !h.isAlive()).orElse(true);
            if (launcherGone || (launcherPid <= 0 && !p.isEmpty() && !alive(p, "pid"))) {
                LocalProcess.sleep(300);
                Properties last = StateFile.read(file);
                if ("failed".equals(last.getProperty("status"))) {
                    System.err.println("ERROR " + last.getProperty("error"));
                    return 2;
                }
                System.err.println("ERROR the platform process exited during start: " + lastLine(data.resolve("logs/platform.log")));
                return 2;
            }
            StringBuilder progress = new StringBuilder();
            for (String n : List.of("kafka", "mongo", "s3", "keycloak")) {
                if ("true".equals(p.getProperty(n + ".ready"))) {
                    progress.append(n).append(' ');
                }
            }
            for (Service s : SERVICES) {
                if ("true".equals(p.getProperty(s.name() + ".ready"))) {
                    progress.append(s.name()).append(' ');
                }
            }
            String line = progress.toString().trim();
            if (!line.equals(lastPrinted) && !line.isEmpty()) {
                System.out.println("  ready: " + line);
                lastPrinted = line;
            }
            LocalProcess.sleep(500);
        }
        System.err.println("ERROR the platform did not become ready within " + timeout.toSeconds() + " s (logs: "
                + data.resolve("logs") + ")");
        return 2;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("ERROR")) {
                    return lines.get(i).substring(6);
                }
            }
            return "see " + log;
        } catch (IOException e) {
            return "see " + log;
        }
    }

    private static int status(Path data) {
        Properties p = StateFile.read(data.resolve("state.properties"));
        if (p.isEmpty() || !alive(p, "pid")) {
            System.out.println("mailplatform: not running (data: " + data + ")");
            return 1;
        }
        System.out.printf("mailplatform: %s (pid %s, data %s)%n", p.getProperty("status"), p.getProperty("pid"), data);
        boolean allUp = "ready".equals(p.getProperty("status"));
        for (String n : List.of("kafka", "mongo", "s3", "keycloak")) {
            boolean up = alive(p, n + ".pid");
            allUp &= up;
            String where = switch (n) {
                case "kafka" -> p.getProperty("kafka.bootstrap");
                case "mongo" -> p.getProperty("mongo.uri");
                case "s3" -> p.getProperty("s3.endpoint");
                default -> p.getProperty("keycloak.url");
            };
            System.out.printf("  %-18s %-8s %s%n", n, up ? "running" : "STOPPED", where);
        }
        for (Service s : SERVICES) {
            int live = health(s.httpPort(), "live");
            int ready = health(s.httpPort(), "ready");
            boolean ok = alive(p, s.name() + ".pid") && live == 200 && ready == 200;
            allUp &= ok;
            String detail = ready == 200 ? "" : " " + healthBody(s.httpPort()).replaceAll("\\s+", " ");
            System.out.printf("  %-18s %-8s http://127.0.0.1:%d  live=%s ready=%s%s%n", s.name(),
                    alive(p, s.name() + ".pid") ? "running" : "STOPPED", s.httpPort(), code(live), code(ready),
                    detail.length() > 300 ? detail.substring(0, 300) + "…" : detail);
        }
        return allUp ? 0 : 3;
    }

    private static String code(int c) {
        return c == 200 ? "UP" : c < 0 ? "no answer" : "DOWN(" + c + ")";
    }

    private static int down(Path data) {
        Properties p = StateFile.read(data.resolve("state.properties"));
        if (p.isEmpty()) {
            System.out.println("mailplatform: not running");
            return 0;
        }
        String pid = p.getProperty("pid");
        if (pid != null && alive(p, "pid")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
        // whatever survived a killed launcher (SIGKILL leaves its children behind)
        for (String key : p.stringPropertyNames()) {
            if (key.endsWith(".pid") && alive(p, key)) {
                ProcessHandle.of(Long.parseLong(p.getProperty(key))).ifPresent(h -> LocalProcess.stop(h, Duration.ofSeconds(20)));
            }
        }
        new StateFile(data.resolve("state.properties")).put("status", "stopped").write();
        System.out.println("mailplatform: stopped");
        return 0;
    }
}
