package mail.smtp.session;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;
import mail.auth.dns.LoopbackDnsServer;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.SharedInfra;

/** The shared infrastructure plus an authoritative DNS server on a loopback port, with sender authentication on. */
public final class SenderAuthResource implements QuarkusTestResourceLifecycleManager {
    static LoopbackDnsServer dns;

    @Override
    public Map<String, String> start() {
        InfraEndpoints infra = SharedInfra.require(SharedInfra.ALL);
        Map<String, String> cfg = new HashMap<>(infra.quarkusConfig());
        try {
            dns = new LoopbackDnsServer();
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
        cfg.put("mail.smtp.auth-checks.enabled", "true");
        cfg.put("mail.smtp.auth-checks.dns-servers", dns.address());
        cfg.put("mail.smtp.auth-checks.dns-timeout", "300ms");
        cfg.put("mail.smtp.auth-checks.timeout", "2s");
        // the idle timer runs while the end of DATA is processed; a loaded machine must not end sessions here
        cfg.put("mail.smtp.idle-timeout", "60s");
        return cfg;
    }

    @Override
    public void stop() {
        if (dns != null) {
            dns.close();
        }
    }
}
