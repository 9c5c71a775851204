package mail.smtp.session;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.SocketException;
import java.util.HashMap;
import java.util.Map;
import mail.auth.dns.LoopbackDnsServer;
import mail.testsupport.SharedInfra;

/** The shared infrastructure plus an authoritative DNS server on loopback serving two blocklist zones. */
public final class DnsblResource implements QuarkusTestResourceLifecycleManager {
    static LoopbackDnsServer dns;

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = new HashMap<>(SharedInfra.require(SharedInfra.ALL).quarkusConfig());
        try {
            dns = new LoopbackDnsServer();
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
        cfg.put("mail.smtp.dnsbl.zones", "bl.test.example,second.test.example");
        cfg.put("mail.smtp.dnsbl.dns-servers", dns.address());
        cfg.put("mail.smtp.dnsbl.timeout", "500ms");
        return cfg;
    }

    @Override
    public void stop() {
        if (dns != null) {
            dns.close();
        }
    }
}
