package mail.smtp.session;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import mail.devinfra.LocalProcess;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.SharedInfra;

/**
 * The shared infrastructure plus a stand-in directory-service lookup API, with the gateway's directory cache switched
 * off: the cache is held "not loaded" for the whole test, so every RCPT and sender check must use the fallback.
 */
public final class LookupServerResource implements QuarkusTestResourceLifecycleManager {
    static LookupServer server;

    @Override
    public Map<String, String> start() {
        InfraEndpoints infra = SharedInfra.require(SharedInfra.ALL);
        Map<String, String> cfg = new HashMap<>(infra.quarkusConfig());
        int port = LocalProcess.freePort();
        server = new LookupServer(infra, port);
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        cfg.put("mail.smtp.directory.local-cache", "false");
        cfg.put("mail.smtp.directory.lookup-url", "http://127.0.0.1:" + port);
        // long enough for a first token and introspection on a loaded machine, shorter than the stand-in's hang
        cfg.put("mail.smtp.directory.lookup-timeout", "5s");
        // the idle timer counts from the last input, also while a command is processed; with every lookup of the
        // stand-in introspecting its token at Keycloak, a loaded machine can take longer than the tests' 5 s
        cfg.put("mail.smtp.idle-timeout", "60s");
        return cfg;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
