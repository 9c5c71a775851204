package mail.directory.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEncryptionTest {
    private final byte[] key = new byte[32];
    private final KeyEncryption encryption = new KeyEncryption(key);

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        byte[] secret = "pkcs8 bytes".getBytes(StandardCharsets.UTF_8);
        String a = encryption.encrypt(secret, "example.test");
        String b = encryption.encrypt(secret, "example.test");
        assertThat(a).startsWith("v1:").isNotEqualTo(b);
        assertThat(encryption.decrypt(a, "example.test")).isEqualTo(secret);
    }

    @Test
    void aKeyCopiedToAnotherDomainOrTamperedWithOrUnderAnotherKeyDoesNotDecrypt() {
        String sealed = encryption.encrypt("secret".getBytes(StandardCharsets.UTF_8), "example.test");
        assertThatThrownBy(() -> encryption.decrypt(sealed, "other.test")).isInstanceOf(IllegalStateException.class);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        assertThatThrownBy(() -> encryption.decrypt("v1:" + Base64.getEncoder().encodeToString(raw), "example.test"))
                .isInstanceOf(IllegalStateException.class);
        byte[] otherKey = Arrays.copyOf(key, 32);
        otherKey[0] = 1;
        assertThatThrownBy(() -> new KeyEncryption(otherKey).decrypt(sealed, "example.test"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> encryption.decrypt("plain text", "example.test")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void generatedKeysSignAndTheirPublicHalvesAreWhatDnsCarries() throws Exception {
        List<DkimKey> keys = new DkimKeys(encryption).generate("example.test", Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(keys).extracting(DkimKey::algorithm).containsExactly("rsa", "ed25519");
        assertThat(keys.get(0).selector()).startsWith("rsa-20261129-");
        assertThat(keys.get(1).selector()).startsWith("ed-20261129-");
        for (DkimKey k : keys) {
            byte[] pkcs8 = encryption.decrypt(k.encryptedPrivateKey(), "example.test");
            String alg = "rsa".equals(k.algorithm()) ? "RSA" : "Ed25519";
            Signature s = Signature.getInstance("rsa".equals(k.algorithm()) ? "SHA256withRSA" : "Ed25519");
            s.initSign(KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
            s.update("header hash".getBytes(StandardCharsets.UTF_8));
            assertThat(s.sign()).isNotEmpty();
        }
        assertThat(Base64.getDecoder().decode(keys.get(1).publicKey())).hasSize(32);
    }
}
