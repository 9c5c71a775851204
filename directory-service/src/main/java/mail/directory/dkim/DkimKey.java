package mail.directory.dkim;

import java.time.Instant;

/**
 * One DKIM key pair of a domain.
 *
 * @param selector            the DNS label under {@code _domainkey}
 * @param algorithm           {@code rsa} (RSA-2048, rsa-sha256) or {@code ed25519} (RFC 8463)
 * @param publicKey           base64 of what goes into the {@code p=} tag
 * @param encryptedPrivateKey base64 of the AES-GCM encrypted PKCS#8 private key (see {@link KeyEncryption})
 */
public record DkimKey(String selector, String algorithm, String publicKey, String encryptedPrivateKey,
                      Instant createdAt) {
}
