package mail.protocol.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsMaterialTest {

    private static final String HOST = "mail.test";
    // Not the common pool: on a two-core machine it has one thread, and a blocked server would starve the next.
    private static final ExecutorService SERVERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tls-test-server");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    static Path shared;

    private static TlsMaterial ec;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generateOnce() {
        ec = TlsMaterial.ensureSelfSigned(shared, HOST);
    }

    /** What the client saw: negotiated protocol and the server's echo of one line. */
    record Handshake(String protocol, String cipherSuite, String reply) {
    }

    private static SSLServerSocket listen(TlsMaterial material) throws IOException {
        SSLServerSocket server = (SSLServerSocket) material.sslContext().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        server.setSSLParameters(material.serverParameters());
        server.setSoTimeout(20_000);
        return server;
    }

    private static CompletableFuture<String> echoOnce(SSLServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(20_000);
                s.startHandshake();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII));
                String line = in.readLine();
                OutputStream out = s.getOutputStream();
                out.write(("250 " + line + "\r\n").getBytes(US_ASCII));
                out.flush();
                return s.getSession().getProtocol();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, SERVERS);
    }

    /** A client that checks the certificate and the name it connects by, like a mail client does. */
    private static Handshake handshake(TlsMaterial material, X509Certificate trusted, String serverName,
                                       String... clientProtocols) throws Exception {
        try (SSLServerSocket server = listen(material)) {
            CompletableFuture<String> serverSide = echoOnce(server);
            Handshake result;
            SSLSocketFactory factory = TrustingClient.trusting(trusted).getSocketFactory();
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 10_000);
            try (SSLSocket client = (SSLSocket) factory.createSocket(plain, serverName, server.getLocalPort(), true)) {
                SSLParameters params = client.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (clientProtocols.length > 0) {
                    params.setProtocols(clientProtocols);
                }
                client.setSSLParameters(params);
                client.setSoTimeout(20_000);
                client.startHandshake();
                client.getOutputStream().write("EHLO client.test\r\n".getBytes(US_ASCII));
                client.getOutputStream().flush();
                String reply = new BufferedReader(new InputStreamReader(client.getInputStream(), US_ASCII)).readLine();
                result = new Handshake(client.getSession().getProtocol(), client.getSession().getCipherSuite(), reply);
            }
            // Only after the client has closed: a TLS 1.3 server's close waits for the client's close_notify.
            assertThat(serverSide.get(20, TimeUnit.SECONDS)).isEqualTo(result.protocol());
            return result;
        }
    }

    @Test
    void selfSignedCertificateCompletesATls13Handshake() throws Exception {
        Handshake h = handshake(ec, ec.certificateChain().get(0), HOST);
        assertThat(h.protocol()).isEqualTo("TLSv1.3");
        assertThat(h.reply()).isEqualTo("250 EHLO client.test");
    }

    @Test
    void tls12ClientsAreServedToo() throws Exception {
        Handshake h = handshake(ec, ec.certificateChain().get(0), HOST, "TLSv1.2");
        assertThat(h.protocol()).isEqualTo("TLSv1.2");
        assertThat(h.cipherSuite()).startsWith("TLS_ECDHE_ECDSA_");
    }

    @Test
    void certificateIsValidForLocalhostAndTheLoopbackAddressToo() throws Exception {
        assertThat(handshake(ec, ec.certificateChain().get(0), "localhost").protocol()).isEqualTo("TLSv1.3");
        assertThat(handshake(ec, ec.certificateChain().get(0), "127.0.0.1").protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void aClientCheckingForAnotherNameRefusesIt() {
        assertThatThrownBy(() -> handshake(ec, ec.certificateChain().get(0), "other.test"))
                .hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
    }

    @Test
    void onlyTls13AndTls12AreEnabled() throws IOException {
        assertThat(ec.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(ec.serverParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(ec.newServerEngine().getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(ec.newServerEngine().getUseClientMode()).isFalse();
        try (SSLServerSocket server = listen(ec)) {
            assertThat(server.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    /**
     * The JDK's own client refuses TLS 1.1 before sending anything, which would prove nothing about the server, so
     * this sends a hand-made TLS 1.1 ClientHello and expects a protocol_version alert instead of a ServerHello.
     */
    @Test
    void aTls11ClientHelloIsRefusedWithAProtocolVersionAlert() throws Exception {
        try (SSLServerSocket server = listen(ec)) {
            CompletableFuture<Throwable> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(20_000);
                    s.startHandshake();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            }, SERVERS);
            byte[] response;
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 10_000);
                raw.setSoTimeout(20_000);
                raw.getOutputStream().write(clientHello(0x0302));
                raw.getOutputStream().flush();
                response = readUpTo(raw.getInputStream(), 7);
            }
            assertThat(serverSide.get(20, TimeUnit.SECONDS)).isInstanceOf(SSLHandshakeException.class);
            assertThat(response).as("an alert record, not a ServerHello").isNotEmpty();
            assertThat(response[0]).isEqualTo((byte) 21);
            assertThat(response).hasSize(7);
            assertThat(response[5]).as("fatal").isEqualTo((byte) 2);
            assertThat(response[6]).as("protocol_version").isEqualTo((byte) 70);
        }
    }

    @Test
    void theSameHandMadeHelloAsTls12GetsAServerHello() throws Exception {
        try (SSLServerSocket server = listen(ec)) {
            CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(5_000);
                    s.startHandshake();
                } catch (IOException expected) {
                    // The hand-made client never finishes the handshake.
                }
            }, SERVERS);
            try (Socket raw = new Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 10_000);
                raw.setSoTimeout(20_000);
                raw.getOutputStream().write(clientHello(0x0303));
                raw.getOutputStream().flush();
                byte[] response = readUpTo(raw.getInputStream(), 6);
                assertThat(response[0]).as("handshake record").isEqualTo((byte) 22);
                assertThat(response[5]).as("ServerHello").isEqualTo((byte) 2);
            }
            serverSide.get(20, TimeUnit.SECONDS);
        }
    }

    private static byte[] clientHello(int version) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeShort(version);
        b.write(new byte[32]);
        b.writeByte(0);
        int[] suites = {0xC02B, 0xC02F, 0xC009, 0xC013, 0xC00A, 0xC014, 0x002F, 0x0035};
        b.writeShort(suites.length * 2);
        for (int s : suites) {
            b.writeShort(s);
        }
        b.writeByte(1);
        b.writeByte(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        DataOutputStream e = new DataOutputStream(ext);
        e.writeShort(0x000a);
        e.writeShort(4);
        e.writeShort(2);
        e.writeShort(0x0017);
        e.writeShort(0x000b);
        e.writeShort(2);
        e.writeByte(1);
        e.writeByte(0);
        if (version >= 0x0303) {
            // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
            e.writeShort(0x000d);
            e.writeShort(8);
            e.writeShort(6);
            e.writeShort(0x0403);
            e.writeShort(0x0804);
            e.writeShort(0x0401);
        }
        b.writeShort(ext.size());
        b.write(ext.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        DataOutputStream r = new DataOutputStream(record);
        r.writeByte(22);
        r.writeShort(0x0301);
        r.writeShort(body.size() + 4);
        r.writeByte(1);
        r.writeByte(body.size() >>> 16);
        r.writeShort(body.size() & 0xffff);
        r.write(body.toByteArray());
        return record.toByteArray();
    }

    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            int c;
            try {
                c = in.read();
            } catch (IOException e) {
                break;
            }
            if (c < 0) {
                break;
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    @Test
    void selfSignedFilesAreCreatedOnceWithOwnerOnlyPermissions() throws Exception {
        Path dir = shared.resolve("tls");
        Path store = dir.resolve(TlsMaterial.SELF_SIGNED_KEYSTORE);
        Path password = dir.resolve(TlsMaterial.SELF_SIGNED_PASSWORD);
        assertThat(store).isRegularFile();
        assertThat(password).isRegularFile();
        assertThat(Files.readString(password).strip()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(dir.resolve(TlsMaterial.SELF_SIGNED_KEYSTORE + ".tmp")).doesNotExist();
        assertThat(dir.resolve(TlsMaterial.SELF_SIGNED_PASSWORD + ".tmp")).doesNotExist();

        byte[] before = Files.readAllBytes(store);
        String passwordBefore = Files.readString(password);
        TlsMaterial again = TlsMaterial.ensureSelfSigned(shared, HOST);
        assertThat(again.sha256Fingerprint()).isEqualTo(ec.sha256Fingerprint());
        assertThat(Files.readAllBytes(store)).isEqualTo(before);
        assertThat(Files.readString(password)).isEqualTo(passwordBefore);
        assertThat(again.description()).contains(store.toString());
    }

    @Test
    void selfSignedCertificateNamesTheHostAndLoopback() throws Exception {
        X509Certificate cert = ec.certificateChain().get(0);
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + HOST);
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        List<String> sans = new ArrayList<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            sans.add(san.get(0) + ":" + san.get(1));
        }
        assertThat(sans).containsExactlyInAnyOrder("2:" + HOST, "2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        long days = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()).toDays();
        assertThat(days).isEqualTo(825);
        assertThat(ec.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void rsaSelfSignedCertificateWorksToo() throws Exception {
        TlsMaterial rsa = TlsMaterial.ensureSelfSigned(tmp, "localhost", TlsMaterial.KeyAlgorithm.RSA_2048);
        X509Certificate cert = rsa.certificateChain().get(0);
        assertThat(((RSAKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        List<String> sans = new ArrayList<>();
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            sans.add(san.get(0) + ":" + san.get(1));
        }
        assertThat(sans).containsExactlyInAnyOrder("2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1");
        Handshake h = handshake(rsa, cert, "localhost", "TLSv1.2");
        assertThat(h.cipherSuite()).startsWith("TLS_ECDHE_RSA_");
        assertThat(handshake(rsa, cert, "localhost").protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void anotherHostNameGetsANewCertificate() {
        TlsMaterial first = TlsMaterial.ensureSelfSigned(tmp, "one.test");
        TlsMaterial second = TlsMaterial.ensureSelfSigned(tmp, "two.test");
        assertThat(second.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(second.certificateChain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=two.test");
        assertThat(TlsMaterial.ensureSelfSigned(tmp, "two.test").sha256Fingerprint())
                .isEqualTo(second.sha256Fingerprint());
    }

    @Test
    void concurrentFirstCallsAgreeOnOneCertificate() throws Exception {
        int threads = 4;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    barrier.await();
                    return TlsMaterial.ensureSelfSigned(tmp, "race.test").sha256Fingerprint();
                }));
            }
            String first = results.get(0).get(60, TimeUnit.SECONDS);
            for (Future<String> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(TlsMaterial.ensureSelfSigned(tmp, "race.test").sha256Fingerprint()).isEqualTo(first);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCorruptSelfSignedKeystoreIsReplaced() throws Exception {
        TlsMaterial first = TlsMaterial.ensureSelfSigned(tmp, "local.test");
        Files.write(tmp.resolve("tls").resolve(TlsMaterial.SELF_SIGNED_KEYSTORE), new byte[] {1, 2, 3});
        TlsMaterial second = TlsMaterial.ensureSelfSigned(tmp, "local.test");
        assertThat(second.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
    }

    @Test
    void invalidHostNamesAreRefusedBeforeRunningKeytool() {
        for (String bad : List.of("", "bad host", "a,b", "CN=x", "x\ny", "-lead.test", "a..b")) {
            assertThatThrownBy(() -> TlsMaterial.ensureSelfSigned(tmp, bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(tmp.resolve("tls")).doesNotExist();
    }

    // ---- PKCS12 and PEM loading

    private record Exported(Path cert, Path key, PrivateKey privateKey, X509Certificate certificate) {
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static Exported export(Path dataDir, Path into) throws Exception {
        Path dir = dataDir.resolve("tls");
        char[] password = Files.readString(dir.resolve(TlsMaterial.SELF_SIGNED_PASSWORD)).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(TlsMaterial.SELF_SIGNED_KEYSTORE))) {
            ks.load(in, password);
        }
        String alias = ks.aliases().nextElement();
        PrivateKey key = (PrivateKey) ks.getKey(alias, password);
        X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
        Files.createDirectories(into);
        Path certFile = into.resolve("cert.pem");
        Path keyFile = into.resolve("key.pem");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Exported(certFile, keyFile, key, cert);
    }

    private static char[] sharedPassword() throws IOException {
        return Files.readString(shared.resolve("tls").resolve(TlsMaterial.SELF_SIGNED_PASSWORD)).strip().toCharArray();
    }

    @Test
    void pkcs12KeystoreLoadsWithItsPassword() throws Exception {
        TlsMaterial loaded = TlsMaterial.fromPkcs12(shared.resolve("tls").resolve(TlsMaterial.SELF_SIGNED_KEYSTORE),
                sharedPassword());
        assertThat(loaded.sha256Fingerprint()).isEqualTo(ec.sha256Fingerprint());
        assertThat(loaded.description()).startsWith("PKCS12 ");
        assertThat(handshake(loaded, ec.certificateChain().get(0), HOST).protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void pemPairExportedFromTheKeystoreServesTheSameCertificate() throws Exception {
        Exported e = export(shared, tmp);
        TlsMaterial pem = TlsMaterial.fromPem(e.cert(), e.key());
        assertThat(pem.sha256Fingerprint()).isEqualTo(ec.sha256Fingerprint());
        assertThat(pem.description()).contains(e.cert().toString()).contains(e.key().toString());
        Handshake h = handshake(pem, e.certificate(), HOST);
        assertThat(h.protocol()).isEqualTo("TLSv1.3");
        assertThat(h.reply()).isEqualTo("250 EHLO client.test");
    }

    @Test
    void rsaPemPairWorks() throws Exception {
        TlsMaterial.ensureSelfSigned(tmp, "rsa.test", TlsMaterial.KeyAlgorithm.RSA_2048);
        Exported e = export(tmp, tmp.resolve("pem"));
        TlsMaterial pem = TlsMaterial.fromPem(e.cert(), e.key());
        assertThat(handshake(pem, e.certificate(), "rsa.test").protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void pemWithChainCrlfAndOpensslBagAttributesIsRead() throws Exception {
        Exported e = export(shared, tmp);
        // Only names are checked when a chain is assembled, so a second self-signed CN=mail.test stands in for
        // the issuer of a self-signed CN=mail.test.
        TlsMaterial other = TlsMaterial.ensureSelfSigned(tmp.resolve("other"), HOST);
        String chain = ("Bag Attributes\n    friendlyName: server\nsubject=CN = mail.test\n"
                + pem("CERTIFICATE", e.certificate().getEncoded())
                + "\n" + pem("CERTIFICATE", other.certificateChain().get(0).getEncoded())).replace("\n", "\r\n");
        Files.writeString(e.cert(), chain);
        Files.writeString(e.key(), "Key Attributes: <No Attributes>\n" + Files.readString(e.key()));
        TlsMaterial pem = TlsMaterial.fromPem(e.cert(), e.key());
        assertThat(pem.certificateChain()).hasSize(2);
        assertThat(pem.sha256Fingerprint()).isEqualTo(ec.sha256Fingerprint());
        assertThat(handshake(pem, e.certificate(), HOST).protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void chainWithTheLeafNotFirstIsRefused() throws Exception {
        Exported e = export(shared, tmp);
        TlsMaterial other = TlsMaterial.ensureSelfSigned(tmp.resolve("other"), "intermediate.test");
        Files.writeString(e.cert(), pem("CERTIFICATE", other.certificateChain().get(0).getEncoded())
                + pem("CERTIFICATE", e.certificate().getEncoded()));
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), e.key()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("does not belong")
                .hasMessageContaining("must come first");
    }

    @Test
    void certificatesThatDoNotFormAChainAreRefused() throws Exception {
        Exported e = export(shared, tmp);
        TlsMaterial other = TlsMaterial.ensureSelfSigned(tmp.resolve("other"), "unrelated.test");
        Files.writeString(e.cert(), pem("CERTIFICATE", e.certificate().getEncoded())
                + pem("CERTIFICATE", other.certificateChain().get(0).getEncoded()));
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), e.key()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("do not form a chain")
                .hasMessageContaining(e.cert().toString());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        Exported e = export(shared, tmp);
        TlsMaterial.ensureSelfSigned(tmp.resolve("other"), "other.test");
        Exported other = export(tmp.resolve("other"), tmp.resolve("other-pem"));
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), other.key()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("does not belong")
                .hasMessageContaining(other.key().toString());
    }

    @Test
    void rsaKeyForAnEcCertificateIsRefused() throws Exception {
        Exported e = export(shared, tmp);
        TlsMaterial.ensureSelfSigned(tmp.resolve("rsa"), "rsa.test", TlsMaterial.KeyAlgorithm.RSA_2048);
        Exported rsa = export(tmp.resolve("rsa"), tmp.resolve("rsa-pem"));
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), rsa.key()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("PKCS#8 EC key");
    }

    @Test
    void pkcs1RsaKeyIsRefusedWithAConversionHint() throws Exception {
        Exported e = export(shared, tmp);
        Path pkcs1 = tmp.resolve("rsa-key.pem");
        Files.writeString(pkcs1, pem("RSA PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), pkcs1))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("PKCS#1")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
    }

    @Test
    void sec1EcKeyAndEncryptedKeyAreRefusedWithHints() throws Exception {
        Exported e = export(shared, tmp);
        Path sec1 = tmp.resolve("ec-key.pem");
        Files.writeString(sec1, pem("EC PRIVATE KEY", new byte[] {0x30, 0x00}));
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), sec1))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("SEC1")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        Path encrypted = tmp.resolve("enc-key.pem");
        Files.writeString(encrypted, pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), encrypted))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("encrypted");
    }

    @Test
    void swappedFilesAreNamedAsSuch() throws Exception {
        Exported e = export(shared, tmp);
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.key(), e.cert()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("swapped");
    }

    @Test
    void emptyOrGarbledPemFilesAreReported() throws Exception {
        Exported e = export(shared, tmp);
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "");
        assertThatThrownBy(() -> TlsMaterial.fromPem(empty, e.key()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("no '-----BEGIN CERTIFICATE-----' block in " + empty);
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), empty))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("no '-----BEGIN PRIVATE KEY-----' block in " + empty);
        Path garbled = Files.writeString(tmp.resolve("garbled.pem"), pem("CERTIFICATE", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> TlsMaterial.fromPem(garbled, e.key()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("not a valid X.509 certificate");
    }

    @Test
    void missingFilesNameThePath() throws Exception {
        Exported e = export(shared, tmp);
        Path missing = tmp.resolve("nope.pem");
        assertThatThrownBy(() -> TlsMaterial.fromPem(missing, e.key()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("TLS certificate file not found: " + missing);
        assertThatThrownBy(() -> TlsMaterial.fromPem(e.cert(), missing))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("TLS private key file not found: " + missing);
        Path missingStore = tmp.resolve("nope.p12");
        assertThatThrownBy(() -> TlsMaterial.fromPkcs12(missingStore, "x".toCharArray()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("TLS keystore not found: " + missingStore);
    }

    @Test
    void wrongKeystorePasswordIsSaidPlainly() {
        Path store = shared.resolve("tls").resolve(TlsMaterial.SELF_SIGNED_KEYSTORE);
        assertThatThrownBy(() -> TlsMaterial.fromPkcs12(store, "wrong".toCharArray()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessage("wrong password for PKCS12 keystore " + store);
    }

    @Test
    void aFileThatIsNotPkcs12IsReported() throws Exception {
        Exported e = export(shared, tmp);
        assertThatThrownBy(() -> TlsMaterial.fromPkcs12(e.cert(), "x".toCharArray()))
                .isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("cannot read PKCS12 keystore " + e.cert());
    }

    @Test
    void keyAndChainFromElsewhere() throws Exception {
        Exported e = export(shared, tmp);
        TlsMaterial direct = TlsMaterial.of(e.privateKey(), List.of(e.certificate()));
        assertThat(direct.sha256Fingerprint()).isEqualTo(ec.sha256Fingerprint());
        assertThatThrownBy(() -> TlsMaterial.of(e.privateKey(), List.of())).isInstanceOf(TlsMaterialException.class);
    }
}
