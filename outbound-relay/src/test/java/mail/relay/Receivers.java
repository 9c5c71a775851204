package mail.relay;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import mail.protocol.tls.TlsMaterial;

/**
 * Configures the relay for its tests: static routes for the test domains to loopback ports (where the test class runs
 * scripted SMTP receivers, or nothing for a receiver that is down), verified TLS for tls.test with a trust store holding
 * the receivers' self-signed certificate, and a DNS stub that knows a null MX.
 *
 * <p>The receivers themselves live in the test class: test resources and tests may see different class loaders, so
 * only plain values (ports, paths) cross over, as configuration.
 */
public final class Receivers implements QuarkusTestResourceLifecycleManager {
    static final Path DIR = Path.of("target/receivers");
    static final String CERT_HOST = "mx.tls.test";
    static final String TRUST_PASSWORD = "test-only-trust";
    static final String[] ROUTED = {"tls", "flaky", "reject", "down", "later", "parked"};

    private DnsStub dns;

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(DIR);
            TlsMaterial cert = TlsMaterial.ensureSelfSigned(DIR, CERT_HOST);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("mx", cert.certificateChain().get(0));
            Path trust = DIR.resolve("trust.p12");
            try (OutputStream out = Files.newOutputStream(trust)) {
                ks.store(out, TRUST_PASSWORD.toCharArray());
            }
            dns = new DnsStub();
            dns.nullMx("nullmx.test");
            Map<String, String> m = new HashMap<>();
            for (String name : ROUTED) {
                int port = ScriptedSmtpServer.freePort();
                m.put("mail.relay.routes.\"" + name + ".test\"", "127.0.0.1:" + port);
                m.put("test.port." + name, Integer.toString(port));
            }
            m.put("mail.relay.require-tls-domains", "tls.test");
            m.put("mail.relay.trust-store", trust.toAbsolutePath().toString());
            m.put("mail.relay.trust-store-password", TRUST_PASSWORD);
            m.put("mail.relay.dns.resolver", "127.0.0.1:" + dns.port());
            m.put("mail.relay.dns.timeout", "2s");
            return m;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the test receivers: " + e, e);
        }
    }

    @Override
    public void stop() {
        if (dns != null) {
            dns.close();
        }
    }
}
