package mail.message.dkim;

import java.util.Locale;

/** The signing algorithms we produce and accept (rsa-sha1 is neither: RFC 8301). */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "RSA"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "Ed25519");

    private final String tag;
    private final String keyType;
    private final String jcaKeyAlgorithm;

    DkimAlgorithm(String tag, String keyType, String jcaKeyAlgorithm) {
        this.tag = tag;
        this.keyType = keyType;
        this.jcaKeyAlgorithm = jcaKeyAlgorithm;
    }

    /** The a= value. */
    public String tag() {
        return tag;
    }

    /** The k= value of the key record. */
    public String keyType() {
        return keyType;
    }

    String jcaKeyAlgorithm() {
        return jcaKeyAlgorithm;
    }

    /** Accepts the a= form ({@code rsa-sha256}) and the key-type form the directory uses ({@code rsa}). */
    public static DkimAlgorithm parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("DKIM algorithm is required");
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (DkimAlgorithm a : values()) {
            if (a.tag.equals(n) || a.keyType.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported DKIM algorithm '" + name + "' (rsa-sha256 or ed25519-sha256)");
    }
}
