package mail.relay;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.util.Base64;
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
    // gw.test is served by a second instance of our own smtp-gateway (ReceivingGatewayTest), the others by scripts
    static final String[] ROUTED = {"tls", "flaky", "reject", "down", "later", "parked", "dkim", "gw"};
    static final Path DKIM_PUBLIC_KEY = DIR.resolve("dkim-public.txt");
    static final String DKIM_SELECTOR = "relaytest";

    private DnsStub dns;
    private HttpServer directory;

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
            directory = directoryStub();
            dns = new DnsStub();
            dns.nullMx("nullmx.test");
            // what a receiver verifying dkim.test's signatures finds in DNS
            dns.txt(DKIM_SELECTOR + "._domainkey.dkim.test", "v=DKIM1; k=rsa; p=" + Files.readString(DKIM_PUBLIC_KEY));
            dns.txt("_dmarc.dkim.test", "v=DMARC1; p=reject");
            // a domain whose mail must be signed and must come from nowhere: what a forger of it sends fails DMARC
            dns.txt("forged.test", "v=spf1 -all");
            dns.txt("_dmarc.forged.test", "v=DMARC1; p=reject");
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
            m.put("test.port.dns", Integer.toString(dns.port()));
            m.put("mail.relay.dns.timeout", "2s");
            m.put("mail.relay.dkim.directory-url", "http://127.0.0.1:" + directory.getAddress().getPort());
            return m;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the test receivers: " + e, e);
        }
    }

    /**
     * directory-service's key endpoint as the relay sees it: keys for dkim.test (public half written where the test's
     * verifier reads it), an outage for broken-dkim.test, none for every other domain; a bearer token is required.
     */
    private static HttpServer directoryStub() throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        Files.writeString(DKIM_PUBLIC_KEY, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        String answer = "{\"domain\":\"dkim.test\",\"keys\":[{\"selector\":\"" + DKIM_SELECTOR + "\",\"algorithm\":\"rsa\","
                + "\"privateKeyPkcs8\":\"" + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\"}]}";
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/internal/v1/dkim/", exchange -> {
            String domain = exchange.getRequestURI().getPath().substring("/internal/v1/dkim/".length());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            int status;
            byte[] body = new byte[0];
            if (auth == null || !auth.startsWith("Bearer ey")) {
                status = 401;
            } else if ("dkim.test".equals(domain)) {
                status = 200;
                body = answer.getBytes(StandardCharsets.UTF_8);
            } else if ("broken-dkim.test".equals(domain)) {
                status = 503;
            } else {
                status = 404;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    @Override
    public void stop() {
        if (dns != null) {
            dns.close();
        }
        if (directory != null) {
            directory.stop(0);
        }
    }
}
