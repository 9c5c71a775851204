package mail.message.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keys for tests: the published ones of RFC 8463 Appendix A, and fresh ones with their key records. */
final class TestKeys {
    // PKCS#8 header of an Ed25519 private key; the 32-octet seed follows
    private static final byte[] ED25519_PKCS8 = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65,
            0x70, 0x04, 0x22, 0x04, 0x20};
    // AlgorithmIdentifier rsaEncryption with NULL parameters
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private TestKeys() {
    }

    static byte[] resource(String name) {
        try (InputStream in = TestKeys.class.getResourceAsStream("/dkim/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource dkim/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** name -> value lines of rfc8463-keys.txt. */
    static Map<String, String> rfc8463() {
        Map<String, String> m = new HashMap<>();
        for (String line : new String(resource("rfc8463-keys.txt"), StandardCharsets.US_ASCII).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int sp = line.indexOf(' ');
                m.put(line.substring(0, sp), line.substring(sp + 1).strip());
            }
        }
        return m;
    }

    static byte[] rfc8463Ed25519Pkcs8() {
        byte[] seed = Base64.getDecoder().decode(rfc8463().get("ed25519-seed"));
        byte[] out = Arrays.copyOf(ED25519_PKCS8, ED25519_PKCS8.length + seed.length);
        System.arraycopy(seed, 0, out, ED25519_PKCS8.length, seed.length);
        return out;
    }

    /** The RFC gives a PKCS#1 PEM; the JDK reads PKCS#8, which is that key wrapped with its algorithm. */
    static byte[] rfc8463RsaPkcs8() {
        String pem = new String(resource("rfc8463-rsa.pem"), StandardCharsets.US_ASCII);
        byte[] pkcs1 = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }

    /** A fresh key pair, its signing key and the TXT record to publish (as directory-service writes it). */
    record Generated(DkimSigningKey signing, String txt) {
    }

    static Generated rsa(String domain, String selector, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            KeyPair pair = g.generateKeyPair();
            return new Generated(new DkimSigningKey(domain, selector, DkimAlgorithm.RSA_SHA256, pair.getPrivate()),
                    "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Generated ed25519(String domain, String selector) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            return new Generated(new DkimSigningKey(domain, selector, DkimAlgorithm.ED25519_SHA256, pair.getPrivate()),
                    "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(raw));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Our own port, answered from a map: name -> records; a name mapped to null is a temporary failure. */
    static final class MapLookup implements DkimKeyLookup {
        final Map<String, List<String>> zone = new HashMap<>();
        int queries;

        MapLookup put(String selector, String domain, String... txt) {
            zone.put(selector + "._domainkey." + domain, txt == null ? null : List.of(txt));
            return this;
        }

        MapLookup put(Generated key) {
            return put(key.signing().selector(), key.signing().domain(), key.txt());
        }

        @Override
        public Answer lookup(String selector, String domain) {
            queries++;
            String name = selector + "._domainkey." + domain;
            if (!zone.containsKey(name)) {
                return new NotFound();
            }
            List<String> records = zone.get(name);
            return records == null ? new TemporaryFailure("SERVFAIL from the test resolver") : new Records(records);
        }
    }
}
