package mail.message.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A private key with the name it is published under ({@code selector._domainkey.domain}).
 *
 * @param domain   the d= value, an ASCII (A-label) domain
 * @param selector the s= value
 */
public record DkimSigningKey(String domain, String selector, DkimAlgorithm algorithm, PrivateKey privateKey) {
    /** RFC 8301 §3.2: signers MUST use at least 1024 bits. */
    static final int MIN_RSA_BITS = 1024;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    public DkimSigningKey {
        domain = checkName(domain, "domain");
        selector = checkName(selector, "selector");
        if (algorithm == null || privateKey == null) {
            throw new IllegalArgumentException("algorithm and private key are required");
        }
        if (!algorithm.jcaKeyAlgorithm().equalsIgnoreCase(privateKey.getAlgorithm())
                && !("Ed25519".equals(algorithm.jcaKeyAlgorithm()) && "EdDSA".equalsIgnoreCase(privateKey.getAlgorithm()))) {
            throw new IllegalArgumentException("a " + privateKey.getAlgorithm() + " key cannot sign " + algorithm.tag());
        }
        if (privateKey instanceof RSAPrivateKey && ((RSAPrivateKey) privateKey).getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("RSA key of " + ((RSAPrivateKey) privateKey).getModulus().bitLength()
                    + " bits is shorter than the " + MIN_RSA_BITS + " RFC 8301 requires");
        }
    }

    /**
     * @param algorithm {@code rsa}, {@code ed25519} (as the directory's key API names them) or the a= forms
     * @param pkcs8     the DER PKCS#8 private key; not kept (the JDK copies what it needs)
     */
    public static DkimSigningKey fromPkcs8(String selector, String domain, String algorithm, byte[] pkcs8) {
        DkimAlgorithm a = DkimAlgorithm.parse(algorithm);
        if (pkcs8 == null || pkcs8.length == 0) {
            throw new IllegalArgumentException("the PKCS#8 private key is empty");
        }
        try {
            PrivateKey key = KeyFactory.getInstance(a.jcaKeyAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new DkimSigningKey(domain, selector, a, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 " + a.keyType() + " private key: " + e.getMessage(), e);
        }
    }

    private static String checkName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("DKIM " + what + " is required");
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.length() > 253) {
            throw new IllegalArgumentException("DKIM " + what + " is longer than 253 characters");
        }
        for (String label : n.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("DKIM " + what + " '" + name + "' is not a valid (A-label) DNS name");
            }
        }
        return n;
    }

    @Override
    public String toString() {
        // never the key material, not even by accident in a log line
        return "DkimSigningKey[" + selector + "._domainkey." + domain + ", " + algorithm.tag() + "]";
    }
}
