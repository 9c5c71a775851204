package mail.directory.dkim;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import mail.directory.config.DirectoryConfig;
import org.jboss.logging.Logger;

/**
 * Encrypts DKIM private keys at rest with AES-256-GCM. The ciphertext is {@code v1:} + base64(12-byte nonce ||
 * ciphertext || tag), and the domain name is bound in as associated data so that a key copied onto another domain's
 * document does not decrypt.
 */
@ApplicationScoped
public class KeyEncryption {
    private static final Logger LOG = Logger.getLogger(KeyEncryption.class);
    private static final String VERSION = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    static final String LOCAL_KEY_FILE = "directory/LOCAL-DEV-ONLY-dkim-key-encryption-key";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public KeyEncryption(DirectoryConfig config) {
        this.key = new SecretKeySpec(load(config), "AES");
    }

    KeyEncryption(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    private static byte[] load(DirectoryConfig config) {
        if (config.keyEncryptionKey().isPresent()) {
            return decodeKey(config.keyEncryptionKey().get(), "mail.directory.key-encryption-key");
        }
        Path file = Path.of(config.dataDir()).resolve(LOCAL_KEY_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII,
                        StandardOpenOption.CREATE_NEW);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system; the data directory's own permissions protect it
                }
            }
            LOG.warnf("DKIM private keys are encrypted with a LOCAL DEVELOPMENT key from %s; "
                    + "set MAIL_DIRECTORY_KEY_ENCRYPTION_KEY in production", file);
            return decodeKey(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local key-encryption key " + file, e);
        }
    }

    private static byte[] decodeKey(String base64, String where) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not base64");
        }
        if (k.length != 32) {
            throw new IllegalStateException(where + " must be 32 bytes (base64), got " + k.length);
        }
        return k;
    }

    public String encrypt(byte[] plain, String domain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(domain.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws IllegalStateException if the text was not encrypted with this key for this domain */
    public byte[] decrypt(String sealedText, String domain) {
        if (sealedText == null || !sealedText.startsWith(VERSION)) {
            throw new IllegalStateException("not an encrypted key of version " + VERSION);
        }
        byte[] all = Base64.getDecoder().decode(sealedText.substring(VERSION.length()));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(domain.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the DKIM key of " + domain + " does not decrypt with the configured key", e);
        }
    }
}
