package mail.directory.dkim;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Generates a domain's DKIM key pairs: RSA-2048 for every verifier, Ed25519 (RFC 8463) for the modern ones. */
@ApplicationScoped
public class DkimKeys {
    public static final String RSA = "rsa";
    public static final String ED25519 = "ed25519";
    // an Ed25519 SubjectPublicKeyInfo is a fixed 12-byte header followed by the 32-byte key that p= carries
    private static final int ED25519_SPKI_HEADER = 12;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final KeyEncryption encryption;
    private final SecureRandom random = new SecureRandom();

    public DkimKeys(KeyEncryption encryption) {
        this.encryption = encryption;
    }

    /**
     * A new pair of each kind. Selectors name the creation day plus a random part, so that a rotation never reuses
     * one (a verifier may have cached the old key under it) and an administrator can still see the key's age.
     */
    public List<DkimKey> generate(String domain, Instant now) {
        byte[] r = new byte[3];
        random.nextBytes(r);
        String stamp = STAMP.format(now) + "-" + HexFormat.of().formatHex(r);
        return List.of(generate(domain, RSA, "rsa-" + stamp, now), generate(domain, ED25519, "ed-" + stamp, now));
    }

    private DkimKey generate(String domain, String algorithm, String selector, Instant now) {
        try {
            KeyPair pair;
            byte[] publicKey;
            if (RSA.equals(algorithm)) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                pair = g.generateKeyPair();
                publicKey = pair.getPublic().getEncoded();
            } else {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] spki = pair.getPublic().getEncoded();
                publicKey = Arrays.copyOfRange(spki, ED25519_SPKI_HEADER, spki.length);
            }
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            try {
                return new DkimKey(selector, algorithm, Base64.getEncoder().encodeToString(publicKey),
                        encryption.encrypt(pkcs8, domain), now);
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " key generation unavailable", e);
        }
    }
}
