package mail.directory;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import mail.devinfra.LocalProcess;
import mail.testsupport.SharedInfra;

/**
 * The shared infrastructure, except that the Keycloak admin client talks to a port where nothing listens: every
 * Keycloak write of the service fails as with Keycloak down, while tokens are still checked against the real realm.
 */
public final class UnreachableKeycloakAdmin implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = new HashMap<>(SharedInfra.require(SharedInfra.ALL).quarkusConfig());
        String realm = cfg.get("mail.keycloak.realm-url");
        cfg.put("quarkus.oidc.auth-server-url", realm);
        cfg.put("mail.keycloak.realm-url", "http://127.0.0.1:" + LocalProcess.freePort() + "/realms/mail");
        return cfg;
    }

    @Override
    public void stop() {
        // nothing started
    }
}
