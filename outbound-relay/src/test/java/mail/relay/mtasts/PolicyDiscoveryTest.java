package mail.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import mail.protocol.tls.TlsMaterial;
import mail.relay.DnsStub;
import mail.relay.route.DnsjavaLookup;
import mail.relay.route.MxSelector;
import mail.relay.route.Route;
import mail.relay.route.Router;
import mail.relay.smtp.Destination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MTA-STS discovery over real sockets: a DNS server on loopback (MX, A and the {@code _mta-sts} TXT record) read by
 * the dnsjava adapter, and the policy served by an HTTPS server with a certificate for {@code mta-sts.sts.test},
 * trusted the way the relay's trust store is.
 */
class PolicyDiscoveryTest {
    static final String DOMAIN = "sts.test";
    static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: *.sts.test\r\nmax_age: 86400\r\n";

    interface Answer {
        void answer(HttpExchange ex) throws IOException;
    }

    DnsStub dns;
    HttpsServer server;
    volatile Answer answer = ex -> send(ex, 200, "text/plain; charset=utf-8", POLICY.getBytes(StandardCharsets.US_ASCII));
    SSLContext trusting;
    DnsjavaLookup lookup;

    @BeforeEach
    void start() throws Exception {
        dns = new DnsStub();
        dns.mx(DOMAIN, 10, "mx1.sts.test");
        dns.mx(DOMAIN, 20, "mx.elsewhere.test");
        dns.a("mx1.sts.test", "127.0.0.1");
        dns.a("mx.elsewhere.test", "127.0.0.2");
        dns.a("mta-sts." + DOMAIN, "127.0.0.1");
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=20261129;");
        lookup = new DnsjavaLookup("127.0.0.1:" + dns.port(), Duration.ofSeconds(2));
        server = serve(TlsMaterial.ensureSelfSigned(Path.of("target/mtasts-tls/good"), "mta-sts." + DOMAIN));
        trusting = trusting(TlsMaterial.ensureSelfSigned(Path.of("target/mtasts-tls/good"), "mta-sts." + DOMAIN));
    }

    @AfterEach
    void stop() {
        server.stop(0);
        dns.close();
    }

    @Test
    void theRouteToAnEnforcingDomainKeepsOnlyItsPermittedMxWithVerifiedTls() throws Exception {
        Router router = router();
        Route r = router.route(DOMAIN);
        List<Destination> d = ((Route.Hosts) r).destinations();
        assertThat(d).extracting(Destination::hostname).containsExactly("mx1.sts.test");
        assertThat(d.get(0).requireTls()).isTrue();
        assertThat(d.get(0).address()).isEqualTo("127.0.0.1");
    }

    @Test
    void aNewPolicyIdIsFetchedAgainAndCanLeaveNoPermittedMx() throws Exception {
        Router router = router();
        router.route(DOMAIN);
        answer = ex -> send(ex, 200, "text/plain", POLICY.replace("*.sts.test", "mx.other.test").getBytes(StandardCharsets.US_ASCII));
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=20261130;");
        Route r = router.route(DOMAIN);
        assertThat(r).isInstanceOf(Route.Deferred.class);
        assertThat(((Route.Deferred) r).status()).isEqualTo("4.7.5");
    }

    @Test
    void withoutATxtRecordTheMxRouteIsUnchanged() throws Exception {
        DnsStub plain = new DnsStub();
        try (plain) {
            plain.mx("plain.test", 10, "mx.plain.test");
            plain.a("mx.plain.test", "127.0.0.3");
            DnsjavaLookup l = new DnsjavaLookup("127.0.0.1:" + plain.port(), Duration.ofSeconds(2));
            MtaSts sts = new MtaSts(new MtaStsPolicies(l, new HttpsPolicyFetcher(l, trusting, port(), Duration.ofSeconds(5)),
                    Clock.systemUTC()), (m, o) -> { });
            Router router = new Router(java.util.Map.of(), Optional.empty(), Optional.empty(), false, List.of(),
                    new MxSelector(l, new SecureRandom(), 25), Optional.of(sts));
            Destination d = ((Route.Hosts) router.route("plain.test")).destinations().get(0);
            assertThat(d.hostname()).isEqualTo("mx.plain.test");
            assertThat(d.requireTls()).isFalse();
        }
    }

    @Test
    void theFetcherReadsFixedLengthAndChunkedBodies() throws Exception {
        assertThat(fetcher().fetch(DOMAIN)).isEqualTo(POLICY);
        answer = ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0); // 0: chunked
            try (OutputStream out = ex.getResponseBody()) {
                byte[] b = POLICY.getBytes(StandardCharsets.US_ASCII);
                out.write(b, 0, 10);
                out.flush();
                out.write(b, 10, b.length - 10);
            }
        };
        assertThat(fetcher().fetch(DOMAIN)).isEqualTo(POLICY);
    }

    @Test
    void redirectsAreNotFollowedAndErrorsAreNotPolicies() {
        answer = ex -> {
            ex.getResponseHeaders().add("Location", "https://mta-sts." + DOMAIN + "/elsewhere.txt");
            send(ex, 301, "text/plain", new byte[0]);
        };
        assertThatThrownBy(() -> fetcher().fetch(DOMAIN)).hasMessageContaining("answered 301");
        answer = ex -> send(ex, 404, "text/plain", "not here".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> fetcher().fetch(DOMAIN)).hasMessageContaining("answered 404");
        answer = ex -> send(ex, 200, "text/html", "<html></html>".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> fetcher().fetch(DOMAIN)).hasMessageContaining("not text/plain");
    }

    @Test
    void aBodyOverSixtyFourKilobytesIsRefusedWhileReading() {
        byte[] big = ("version: STSv1\n" + "x".repeat(70 * 1024)).getBytes(StandardCharsets.US_ASCII);
        answer = ex -> send(ex, 200, "text/plain", big);
        assertThatThrownBy(() -> fetcher().fetch(DOMAIN)).hasMessageContaining("64 KB");
        answer = ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(big);
            } catch (IOException closedByTheClient) {
                // the fetcher stops reading at the limit
            }
        };
        assertThatThrownBy(() -> fetcher().fetch(DOMAIN)).hasMessageContaining("64 KB");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        server.stop(0);
        server = serve(TlsMaterial.ensureSelfSigned(Path.of("target/mtasts-tls/other"), "mta-sts.other.test"));
        SSLContext trustsOther = trusting(TlsMaterial.ensureSelfSigned(Path.of("target/mtasts-tls/other"), "mta-sts.other.test"));
        HttpsPolicyFetcher f = new HttpsPolicyFetcher(lookup, trustsOther, port(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> f.fetch(DOMAIN)).isInstanceOf(IOException.class).hasMessageContaining("mta-sts." + DOMAIN);
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        SSLContext trustsNothingHere = trusting(TlsMaterial.ensureSelfSigned(Path.of("target/mtasts-tls/other"), "mta-sts.other.test"));
        HttpsPolicyFetcher f = new HttpsPolicyFetcher(lookup, trustsNothingHere, port(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> f.fetch(DOMAIN)).isInstanceOf(IOException.class);
    }

    @Test
    void aPolicyHostWithoutAddressOrServerFailsClearly() throws Exception {
        assertThatThrownBy(() -> fetcher().fetch("nosts.test")).hasMessageContaining("mta-sts.nosts.test");
        server.stop(0);
        assertThatThrownBy(() -> fetcher().fetch(DOMAIN)).isInstanceOf(IOException.class);
    }

    private Router router() {
        MtaSts sts = new MtaSts(new MtaStsPolicies(lookup, fetcher(), Clock.systemUTC()), (m, o) -> { });
        return new Router(java.util.Map.of(), Optional.empty(), Optional.empty(), false, List.of(),
                new MxSelector(lookup, new SecureRandom(), 25), Optional.of(sts));
    }

    private HttpsPolicyFetcher fetcher() {
        return new HttpsPolicyFetcher(lookup, trusting, port(), Duration.ofSeconds(5));
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private HttpsServer serve(TlsMaterial cert) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(cert.sslContext()));
        s.createContext("/.well-known/mta-sts.txt", ex -> {
            try (ex) {
                answer.answer(ex);
            }
        });
        s.start();
        return s;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            } catch (IOException closedByTheClient) {
                // the fetcher may stop reading at its limit
            }
        }
    }

    private static SSLContext trusting(TlsMaterial cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("sts", cert.certificateChain().get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
