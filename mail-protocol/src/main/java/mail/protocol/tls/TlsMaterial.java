package mail.protocol.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server's certificate and key, ready for the SMTP listeners: an {@link SSLContext}, the
 * {@link KeyManagerFactory} behind it (for Vert.x, {@code KeyCertOptions.wrap(keyManagerFactory())}), and the
 * protocols to enable, which are TLS 1.3 and 1.2 only (RFC 8996 retired 1.0 and 1.1).
 *
 * <p>Loaded from a PEM pair (certificate chain, leaf first, and an unencrypted PKCS#8 key), from a PKCS#12
 * keystore, or, for local runs, from a self-signed certificate that {@link #ensureSelfSigned} creates once.
 * Immutable and thread-safe.
 */
public final class TlsMaterial {

    /** Newest first, which is also the preference order. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public static final String SELF_SIGNED_DIR = "tls";
    public static final String SELF_SIGNED_KEYSTORE = "selfsigned.p12";
    public static final String SELF_SIGNED_PASSWORD = "selfsigned.p12.password";
    static final String SELF_SIGNED_LOCK = "selfsigned.lock";
    static final int SELF_SIGNED_VALIDITY_DAYS = 825;

    public enum KeyAlgorithm {
        EC_P256(List.of("-keyalg", "EC", "-groupname", "secp256r1")),
        RSA_2048(List.of("-keyalg", "RSA", "-keysize", "2048"));

        private final List<String> keytoolArgs;

        KeyAlgorithm(List<String> keytoolArgs) {
            this.keytoolArgs = keytoolArgs;
        }
    }

    private static final String ALIAS = "server";
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final SecureRandom RANDOM = new SecureRandom();
    // FileChannel.lock() guards against other processes only; a second lock from this JVM would throw.
    private static final Object SELF_SIGNED_JVM_LOCK = new Object();

    private final SSLContext sslContext;
    private final KeyManagerFactory keyManagerFactory;
    private final List<X509Certificate> chain;
    private final List<String> enabledProtocols;
    private final String description;

    private TlsMaterial(PrivateKey key, List<X509Certificate> chain, String description) {
        this.chain = List.copyOf(chain);
        this.description = description;
        try {
            char[] password = randomPassword().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
            // PKIX rather than the default SunX509: it checks certificate validity and key usage when choosing.
            keyManagerFactory = KeyManagerFactory.getInstance("PKIX");
            keyManagerFactory.init(store, password);
            sslContext = SSLContext.getInstance("TLS");
            sslContext.init(keyManagerFactory.getKeyManagers(), null, null);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsMaterialException("cannot set up TLS with " + description + ": " + e.getMessage(), e);
        }
        List<String> supported = List.of(sslContext.getSupportedSSLParameters().getProtocols());
        List<String> enabled = new ArrayList<>();
        for (String p : PROTOCOLS) {
            if (supported.contains(p)) {
                enabled.add(p);
            }
        }
        if (enabled.isEmpty()) {
            throw new TlsMaterialException("this JVM supports none of " + PROTOCOLS);
        }
        this.enabledProtocols = List.copyOf(enabled);
    }

    /** A key and its certificate chain from elsewhere, leaf first. */
    public static TlsMaterial of(PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new TlsMaterialException("the certificate chain is empty");
        }
        requireMatchingKey(key, chain.get(0), "the given key", "the given certificate");
        requireChain(chain, "the given chain");
        return new TlsMaterial(key, chain, "key and certificate of " + chain.get(0).getSubjectX500Principal());
    }

    /**
     * @param certificateChain PEM, server certificate first, then intermediates
     * @param privateKey       PEM "PRIVATE KEY" (unencrypted PKCS#8), RSA, EC or EdDSA
     */
    /**
     * The certificate a service is configured with: a PEM pair if both files are given, else a PKCS#12 keystore, else
     * (local runs) a self-signed one generated once into {@code dataDir} for {@code hostname}.
     */
    public static TlsMaterial select(java.util.Optional<String> certFile, java.util.Optional<String> keyFile,
                                     java.util.Optional<String> keystore, java.util.Optional<String> keystorePassword,
                                     Path dataDir, String hostname) {
        if (certFile.isPresent() && keyFile.isPresent()) {
            return fromPem(Path.of(certFile.get()), Path.of(keyFile.get()));
        }
        if (keystore.isPresent()) {
            return fromPkcs12(Path.of(keystore.get()), keystorePassword.orElse("").toCharArray());
        }
        return ensureSelfSigned(dataDir, hostname);
    }

    public static TlsMaterial fromPem(Path certificateChain, Path privateKey) {
        List<X509Certificate> chain = readCertificates(certificateChain);
        PrivateKey key = readPrivateKey(privateKey, chain.get(0).getPublicKey().getAlgorithm());
        requireMatchingKey(key, chain.get(0), privateKey.toString(), certificateChain.toString());
        requireChain(chain, certificateChain.toString());
        return new TlsMaterial(key, chain, "PEM " + certificateChain + " + " + privateKey);
    }

    /** The keystore must hold exactly one private key, protected by the store password. */
    public static TlsMaterial fromPkcs12(Path keystore, char[] password) {
        KeyStore store = loadPkcs12(keystore, password);
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw new TlsMaterialException("PKCS12 keystore " + keystore + " must hold exactly one private key, "
                        + "found " + keyAliases.size() + (keyAliases.isEmpty() ? "" : " " + keyAliases));
            }
            String alias = keyAliases.get(0);
            Key key;
            try {
                key = store.getKey(alias, password);
            } catch (UnrecoverableKeyException e) {
                throw new TlsMaterialException("the key '" + alias + "' in PKCS12 keystore " + keystore
                        + " has a password other than the keystore's; use one password for both", e);
            }
            if (!(key instanceof PrivateKey)) {
                throw new TlsMaterialException("entry '" + alias + "' in " + keystore + " is not a private key");
            }
            Certificate[] certs = store.getCertificateChain(alias);
            if (certs == null || certs.length == 0) {
                throw new TlsMaterialException("the key '" + alias + "' in " + keystore + " has no certificate");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certs) {
                chain.add((X509Certificate) c);
            }
            return new TlsMaterial((PrivateKey) key, chain, "PKCS12 " + keystore);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException("cannot read PKCS12 keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    public static TlsMaterial ensureSelfSigned(Path dataDir, String hostname) {
        return ensureSelfSigned(dataDir, hostname, KeyAlgorithm.EC_P256);
    }

    /**
     * For local runs: a self-signed certificate for {@code hostname}, localhost, 127.0.0.1 and ::1 in
     * {@code <dataDir>/tls/}, created by the JDK's keytool on first use and reused after that, so a client that
     * was told to trust it keeps trusting it across restarts. It is created again only when it has expired or
     * names another host. Safe against several processes starting at once (a lock file serialises creation).
     */
    public static TlsMaterial ensureSelfSigned(Path dataDir, String hostname, KeyAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        requireHostname(hostname);
        Path dir = dataDir.resolve(SELF_SIGNED_DIR);
        Path store = dir.resolve(SELF_SIGNED_KEYSTORE);
        Path passwordFile = dir.resolve(SELF_SIGNED_PASSWORD);
        // Read without the lock first: the common case is a certificate made long ago.
        TlsMaterial existing = loadSelfSigned(store, passwordFile, hostname);
        if (existing != null) {
            return existing;
        }
        createPrivateDirectory(dir);
        synchronized (SELF_SIGNED_JVM_LOCK) {
            try (FileChannel channel = FileChannel.open(dir.resolve(SELF_SIGNED_LOCK),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                // Released when the channel closes, also if keytool fails.
                channel.lock();
                existing = loadSelfSigned(store, passwordFile, hostname);
                if (existing != null) {
                    return existing;
                }
                generateSelfSigned(dir, store, passwordFile, hostname, algorithm);
            } catch (IOException e) {
                throw new TlsMaterialException("cannot create a self-signed certificate in " + dir + ": " + e, e);
            }
        }
        TlsMaterial created = loadSelfSigned(store, passwordFile, hostname);
        if (created == null) {
            throw new TlsMaterialException("keytool ran but " + store + " cannot be loaded");
        }
        return created;
    }

    public SSLContext sslContext() {
        return sslContext;
    }

    public KeyManagerFactory keyManagerFactory() {
        return keyManagerFactory;
    }

    /** TLSv1.3 and TLSv1.2, as far as this JVM supports them. */
    public List<String> enabledProtocols() {
        return enabledProtocols;
    }

    /** Leaf first. */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** For logs and for telling users what to trust: SHA-256 of the server certificate, colon-separated hex. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(chain.get(0).getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the material came from, for the startup log. */
    public String description() {
        return description;
    }

    /** Server-side parameters: the enabled protocols, and the server's cipher suite order preferred. */
    public SSLParameters serverParameters() {
        SSLParameters params = sslContext.getDefaultSSLParameters();
        params.setProtocols(enabledProtocols.toArray(new String[0]));
        params.setUseCipherSuitesOrder(true);
        params.setNeedClientAuth(false);
        params.setWantClientAuth(false);
        return params;
    }

    public SSLEngine newServerEngine() {
        SSLEngine engine = sslContext.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(serverParameters());
        return engine;
    }

    private static KeyStore loadPkcs12(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException("TLS keystore not found: " + keystore, e);
        } catch (AccessDeniedException e) {
            throw new TlsMaterialException("TLS keystore not readable (permission denied): " + keystore, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsMaterialException("wrong password for PKCS12 keystore " + keystore, e);
            }
            throw new TlsMaterialException("cannot read PKCS12 keystore " + keystore
                    + " (not a PKCS12 file, or corrupt): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException("cannot read PKCS12 keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    private record PemBlock(String label, String base64) {
    }

    private static List<PemBlock> pemBlocks(String text) {
        List<PemBlock> blocks = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new PemBlock(m.group(1), m.group(2)));
        }
        return blocks;
    }

    private static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        boolean sawKey = false;
        for (PemBlock block : pemBlocks(readPem(file, "certificate"))) {
            if (block.label().equals("CERTIFICATE")) {
                try {
                    byte[] der = Base64.getMimeDecoder().decode(block.base64());
                    certs.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)));
                } catch (IllegalArgumentException | CertificateException e) {
                    throw new TlsMaterialException("certificate " + (certs.size() + 1) + " in " + file
                            + " is not a valid X.509 certificate: " + e.getMessage(), e);
                }
            } else if (block.label().endsWith("PRIVATE KEY")) {
                sawKey = true;
            }
        }
        if (certs.isEmpty()) {
            throw new TlsMaterialException("no '-----BEGIN CERTIFICATE-----' block in " + file
                    + (sawKey ? " (it holds a private key: are the certificate and key files swapped?)" : ""));
        }
        return certs;
    }

    private static PrivateKey readPrivateKey(Path file, String certificateKeyAlgorithm) {
        List<PemBlock> keys = new ArrayList<>();
        for (PemBlock block : pemBlocks(readPem(file, "private key"))) {
            if (block.label().endsWith("PRIVATE KEY")) {
                keys.add(block);
            }
        }
        if (keys.isEmpty()) {
            throw new TlsMaterialException("no '-----BEGIN PRIVATE KEY-----' block in " + file);
        }
        if (keys.size() > 1) {
            throw new TlsMaterialException(file + " holds " + keys.size() + " private keys; keep only the server's");
        }
        PemBlock block = keys.get(0);
        switch (block.label()) {
            case "PRIVATE KEY":
                break;
            case "RSA PRIVATE KEY":
                throw new TlsMaterialException(file + " holds a PKCS#1 RSA key ('BEGIN RSA PRIVATE KEY'), which is "
                        + "not supported; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file
                        + " -out key.pk8.pem");
            case "EC PRIVATE KEY":
                throw new TlsMaterialException(file + " holds a SEC1 EC key ('BEGIN EC PRIVATE KEY'), which is "
                        + "not supported; convert it to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file
                        + " -out key.pk8.pem");
            case "ENCRYPTED PRIVATE KEY":
                throw new TlsMaterialException(file + " holds an encrypted key, which is not supported; protect "
                        + "the file by its permissions and decrypt it with: openssl pkcs8 -in " + file
                        + " -out key.pk8.pem");
            default:
                throw new TlsMaterialException(file + " holds a '" + block.label() + "' block; expected 'PRIVATE KEY'");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.base64());
        } catch (IllegalArgumentException e) {
            throw new TlsMaterialException("the private key in " + file + " is not valid base64", e);
        }
        try {
            return KeyFactory.getInstance(certificateKeyAlgorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new TlsMaterialException("the private key in " + file + " is not a PKCS#8 " + certificateKeyAlgorithm
                    + " key, which the certificate's public key calls for", e);
        } catch (GeneralSecurityException e) {
            throw new TlsMaterialException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readPem(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TlsMaterialException("TLS " + what + " file not found: " + file, e);
        } catch (AccessDeniedException e) {
            throw new TlsMaterialException("TLS " + what + " file not readable (permission denied): " + file, e);
        } catch (IOException e) {
            throw new TlsMaterialException("cannot read TLS " + what + " file " + file + ": " + e, e);
        }
    }

    private static void requireMatchingKey(PrivateKey key, X509Certificate leaf, String keySource,
                                           String certSource) {
        String signatureAlgorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                signatureAlgorithm = "SHA256withRSA";
                break;
            case "EC":
                signatureAlgorithm = "SHA256withECDSA";
                break;
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                signatureAlgorithm = "EdDSA";
                break;
            default:
                return;
        }
        byte[] probe = "mailplatform key check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsMaterialException("the private key in " + keySource + " does not belong to the first "
                    + "certificate in " + certSource + " (" + leaf.getSubjectX500Principal()
                    + "); the server's own certificate must come first");
        }
    }

    // The keystore would refuse a broken chain too, but only with "Certificate chain is not valid".
    private static void requireChain(List<X509Certificate> chain, String source) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            X509Certificate next = chain.get(i + 1);
            if (!cert.getIssuerX500Principal().equals(next.getSubjectX500Principal())) {
                throw new TlsMaterialException("the certificates in " + source + " do not form a chain: certificate "
                        + (i + 1) + " (" + cert.getSubjectX500Principal() + ") is issued by "
                        + cert.getIssuerX500Principal() + ", but certificate " + (i + 2) + " is "
                        + next.getSubjectX500Principal() + "; list the server's certificate first, then each issuer");
            }
        }
    }

    /** Null when there is nothing usable yet, so that the caller creates it. */
    private static TlsMaterial loadSelfSigned(Path store, Path passwordFile, String hostname) {
        if (!Files.isRegularFile(store) || !Files.isRegularFile(passwordFile)) {
            return null;
        }
        TlsMaterial material;
        try {
            char[] password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip().toCharArray();
            material = fromPkcs12(store, password);
        } catch (IOException | TlsMaterialException e) {
            // Another process may be between writing the new password and moving the new keystore into place.
            return null;
        }
        X509Certificate leaf = material.chain.get(0);
        boolean expired = leaf.getNotAfter().before(new Date());
        boolean otherHost = !leaf.getSubjectX500Principal().getName().equals("CN=" + hostname);
        return expired || otherHost ? null : material;
    }

    private static void generateSelfSigned(Path dir, Path store, Path passwordFile, String hostname,
                                           KeyAlgorithm algorithm) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new TlsMaterialException("cannot create a self-signed certificate: no keytool at " + keytool
                    + " (a runtime without it needs a configured certificate: a PEM pair or a PKCS12 keystore)");
        }
        String password = randomPassword();
        Path tmpStore = dir.resolve(SELF_SIGNED_KEYSTORE + ".tmp");
        Path tmpPassword = dir.resolve(SELF_SIGNED_PASSWORD + ".tmp");
        Files.deleteIfExists(tmpStore);
        Files.deleteIfExists(tmpPassword);
        writePrivateFile(tmpPassword, password + "\n");

        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS));
        command.addAll(algorithm.keytoolArgs);
        command.addAll(List.of(
                "-validity", Integer.toString(SELF_SIGNED_VALIDITY_DAYS),
                "-dname", "CN=" + hostname,
                "-ext", "SAN=" + subjectAltNames(hostname),
                "-ext", "EKU=serverAuth",
                "-storetype", "PKCS12",
                "-keystore", tmpStore.toString(),
                // From the environment, so the password never shows in the process list.
                "-storepass:env", "MAIL_TLS_KEYSTORE_PASSWORD"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MAIL_TLS_KEYSTORE_PASSWORD", password);
        Process process = builder.start();
        process.getOutputStream().close();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new TlsMaterialException("keytool did not finish within 2 minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TlsMaterialException("interrupted while keytool was creating " + store, e);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(tmpStore)) {
            Files.deleteIfExists(tmpPassword);
            throw new TlsMaterialException("keytool failed with exit code " + process.exitValue() + ": " + output);
        }
        restrictToOwner(tmpStore);
        // The keystore is moved last: its presence is what tells readers that both files are complete.
        move(tmpPassword, passwordFile);
        move(tmpStore, store);
    }

    private static String subjectAltNames(String hostname) {
        List<String> names = new ArrayList<>();
        names.add((IPV4.matcher(hostname).matches() ? "ip:" : "dns:") + hostname);
        if (!hostname.equalsIgnoreCase("localhost")) {
            names.add("dns:localhost");
        }
        if (!hostname.equals("127.0.0.1")) {
            names.add("ip:127.0.0.1");
        }
        names.add("ip:::1");
        return String.join(",", names);
    }

    private static void requireHostname(String hostname) {
        Objects.requireNonNull(hostname, "hostname");
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("not a host name: '" + hostname + "'");
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                restrictToOwner(dir);
            }
        } catch (IOException e) {
            throw new TlsMaterialException("cannot create " + dir + ": " + e, e);
        }
    }

    private static void writePrivateFile(Path file, String content) throws IOException {
        if (isPosix(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void restrictToOwner(Path path) throws IOException {
        if (!isPosix(path)) {
            return;
        }
        Set<PosixFilePermission> perms = Files.isDirectory(path)
                ? PosixFilePermissions.fromString("rwx------")
                : PosixFilePermissions.fromString("rw-------");
        Files.setPosixFilePermissions(path, perms);
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
