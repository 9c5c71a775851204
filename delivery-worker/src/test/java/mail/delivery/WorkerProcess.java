package mail.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mail.devinfra.LocalProcess;
import mail.testsupport.InfraEndpoints;

/** The packaged delivery-worker (target/quarkus-app) as its own JVM, as the launcher runs it; killable with -9. */
final class WorkerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final LocalProcess process;
    private final int httpPort;

    private WorkerProcess(LocalProcess process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** Starts a copy and waits until it owns at least one partition of mail.received. */
    static WorkerProcess start(String name, InfraEndpoints infra, Map<String, String> config) {
        Path module = Path.of("").toAbsolutePath();
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        int port = LocalProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of(LocalProcess.javaBinary(), "-Xmx160m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port));
        Map<String, String> all = new java.util.HashMap<>(infra.quarkusConfig());
        all.putAll(config);
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path dir = module.resolve("target/process-it");
        LocalProcess p = LocalProcess.start(name, cmd, Map.of(), dir, dir.resolve(name + ".log"));
        WorkerProcess w = new WorkerProcess(p, port);
        p.awaitReady(() -> w.metric("mail_delivery_partitions") >= 1, Duration.ofSeconds(120), "owning a mail.received partition");
        return w;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no offset commit, no lease release. */
    void kill9() throws Exception {
        ProcessHandle h = ProcessHandle.of(process.pid()).orElseThrow();
        h.destroyForcibly();
        h.onExit().get(30, TimeUnit.SECONDS);
    }

    /** The value of an unlabelled Prometheus sample, -1 when the endpoint does not answer or lacks it. */
    double metric(String name) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
