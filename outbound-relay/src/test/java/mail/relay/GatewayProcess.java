package mail.relay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mail.devinfra.LocalProcess;
import mail.testsupport.InfraEndpoints;

/**
 * A second instance of our own smtp-gateway, packaged as the launcher runs it (smtp-gateway/target/quarkus-app, built
 * earlier in the same reactor), playing another organisation's MX: the relay's "remote" receiver that checks SPF,
 * DKIM and DMARC like any receiver would.
 */
final class GatewayProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final LocalProcess process;

    private GatewayProcess(LocalProcess process) {
        this.process = process;
    }

    /** Starts it with its MX on {@code mxPort} and waits until it is ready (directory cache loaded, dependencies up). */
    static GatewayProcess start(InfraEndpoints infra, int mxPort, Map<String, String> config) {
        Path module = Path.of("").toAbsolutePath();
        Path jar = module.resolveSibling("smtp-gateway").resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the reactor builds smtp-gateway before outbound-relay; "
                    + "alone, run ./mvnw -pl smtp-gateway package -DskipTests first");
        }
        int httpPort = LocalProcess.freePort();
        Path dir = module.resolve("target/gateway-process");
        Map<String, String> all = new HashMap<>(infra.quarkusConfig());
        all.put("quarkus.http.port", Integer.toString(httpPort));
        all.put("mail.smtp.mx.port", Integer.toString(mxPort));
        all.put("mail.smtp.submission.port", Integer.toString(LocalProcess.freePort()));
        all.put("mail.smtp.submissions.port", Integer.toString(LocalProcess.freePort()));
        all.put("mail.smtp.data-dir", dir.resolve("data").toString());
        all.putAll(config);
        List<String> cmd = new ArrayList<>(List.of(LocalProcess.javaBinary(), "-Xmx160m", "-XX:+UseSerialGC"));
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        LocalProcess p = LocalProcess.start("receiving-gateway", cmd, Map.of(), dir, dir.resolve("gateway.log"));
        GatewayProcess g = new GatewayProcess(p);
        try {
            p.awaitReady(() -> ready(httpPort), Duration.ofSeconds(120), "its readiness check");
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return g;
    }

    private static boolean ready(int port) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
