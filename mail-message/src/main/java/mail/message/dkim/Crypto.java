package mail.message.dkim;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** The two signature schemes. Ed25519 signs the SHA-256 of the data, not the data (RFC 8463 §3). */
final class Crypto {
    private Crypto() {
    }

    static byte[] sign(DkimAlgorithm algorithm, PrivateKey key, byte[] data) {
        try {
            Signature s = instance(algorithm);
            s.initSign(key);
            s.update(input(algorithm, data));
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.tag() + " signing failed: " + e.getMessage(), e);
        }
    }

    static boolean verify(DkimAlgorithm algorithm, PublicKey key, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        Signature s = instance(algorithm);
        s.initVerify(key);
        s.update(input(algorithm, data));
        try {
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            // a b= of the wrong length or shape is a signature that does not verify, not an error of ours
            return false;
        }
    }

    private static Signature instance(DkimAlgorithm algorithm) throws GeneralSecurityException {
        return Signature.getInstance(algorithm == DkimAlgorithm.RSA_SHA256 ? "SHA256withRSA" : "Ed25519");
    }

    private static byte[] input(DkimAlgorithm algorithm, byte[] data) {
        return algorithm == DkimAlgorithm.ED25519_SHA256 ? BodyDigest.sha256().digest(data) : data;
    }
}
