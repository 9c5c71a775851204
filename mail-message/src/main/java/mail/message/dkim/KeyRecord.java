package mail.message.dkim;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A parsed key record (RFC 6376 §3.6.1, RFC 8463 §4). */
record KeyRecord(String keyType, List<String> hashAlgorithms, List<String> serviceTypes, List<String> flags,
                 String publicKeyBase64) {
    // SubjectPublicKeyInfo header of an Ed25519 key; p= carries only the 32 octets after it (RFC 8463 §4)
    private static final byte[] ED25519_SPKI = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    static KeyRecord parse(String txt) throws TagList.SyntaxException {
        Map<String, String> tags = TagList.parse(txt);
        String v = tags.get("v");
        if (v != null && !"DKIM1".equals(v)) {
            throw new TagList.SyntaxException("key record v=" + v + " is not DKIM1");
        }
        String p = tags.get("p");
        if (p == null) {
            throw new TagList.SyntaxException("key record has no p=");
        }
        String k = tags.getOrDefault("k", "rsa");
        if (!"rsa".equals(k) && !"ed25519".equals(k)) {
            throw new TagList.SyntaxException("key record k=" + k + " is not a known key type");
        }
        return new KeyRecord(k, list(tags.get("h")), list(tags.getOrDefault("s", "*")), list(tags.getOrDefault("t", "")),
                TagList.compact(p));
    }

    private static List<String> list(String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(value.split(":")).map(TagList::trim).filter(s -> !s.isEmpty()).toList();
    }

    boolean revoked() {
        return publicKeyBase64.isEmpty();
    }

    boolean testing() {
        return flags.contains("y");
    }

    boolean strictIdentity() {
        return flags.contains("s");
    }

    boolean forEmail() {
        return serviceTypes.contains("*") || serviceTypes.contains("email");
    }

    boolean allowsSha256() {
        return hashAlgorithms == null || hashAlgorithms.contains("sha256");
    }

    /** @throws GeneralSecurityException if p= is not a key of the record's type */
    PublicKey publicKey() throws GeneralSecurityException {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(publicKeyBase64);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("p= is not base64");
        }
        if ("ed25519".equals(keyType)) {
            if (der.length != 32) {
                throw new GeneralSecurityException("an ed25519 p= must be 32 octets, not " + der.length);
            }
            byte[] spki = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + 32);
            System.arraycopy(der, 0, spki, ED25519_SPKI.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            // some publish the bare PKCS#1 RSAPublicKey instead of SubjectPublicKeyInfo
            return rsa.generatePublic(pkcs1(der));
        }
    }

    static int bits(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return ((RSAPublicKey) key).getModulus().bitLength();
        }
        return 256;
    }

    /** SEQUENCE { INTEGER n, INTEGER e }, or a GeneralSecurityException. */
    private static RSAPublicKeySpec pkcs1(byte[] der) throws GeneralSecurityException {
        int[] pos = {0};
        expect(der, pos, 0x30);
        int seqLen = length(der, pos);
        if (pos[0] + seqLen != der.length) {
            throw new GeneralSecurityException("p= is neither SubjectPublicKeyInfo nor RSAPublicKey");
        }
        BigInteger n = integer(der, pos);
        BigInteger e = integer(der, pos);
        return new RSAPublicKeySpec(n, e);
    }

    private static BigInteger integer(byte[] der, int[] pos) throws GeneralSecurityException {
        expect(der, pos, 0x02);
        int len = length(der, pos);
        if (len <= 0 || pos[0] + len > der.length) {
            throw new GeneralSecurityException("bad RSAPublicKey integer");
        }
        BigInteger v = new BigInteger(1, Arrays.copyOfRange(der, pos[0], pos[0] + len));
        pos[0] += len;
        return v;
    }

    private static void expect(byte[] der, int[] pos, int tag) throws GeneralSecurityException {
        if (pos[0] >= der.length || (der[pos[0]] & 0xff) != tag) {
            throw new GeneralSecurityException("p= is neither SubjectPublicKeyInfo nor RSAPublicKey");
        }
        pos[0]++;
    }

    private static int length(byte[] der, int[] pos) throws GeneralSecurityException {
        if (pos[0] >= der.length) {
            throw new GeneralSecurityException("truncated DER");
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int octets = first & 0x7f;
        if (octets == 0 || octets > 3 || pos[0] + octets > der.length) {
            throw new GeneralSecurityException("bad DER length");
        }
        int len = 0;
        for (int i = 0; i < octets; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }
}
