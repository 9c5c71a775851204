package mail.directory.dkim;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import mail.directory.api.ApiException;
import mail.directory.domain.DomainRecord;
import mail.directory.domain.DomainService;
import org.jboss.logging.Logger;

/**
 * The private keys a signer needs: the current generation of a domain's DKIM keys, decrypted. Current means the
 * first key of each algorithm in the stored order, which is the order rotation writes (newest first) and the one
 * the admin API marks {@code active}; the previous generation stays published in DNS but no longer signs.
 */
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** One key as the outbound relay receives it. */
    public record SigningKey(String selector, String algorithm, String privateKeyPkcs8) {
        @Override
        public String toString() {
            // the key material must not reach a log line through toString
            return "SigningKey[" + selector + ", " + algorithm + "]";
        }
    }

    public record DomainKeys(String domain, List<SigningKey> keys) {
    }

    private final DomainService domains;
    private final KeyEncryption encryption;

    public SigningKeys(DomainService domains, KeyEncryption encryption) {
        this.domains = domains;
        this.encryption = encryption;
    }

    /** @param asciiName a valid domain name in A-label form */
    public DomainKeys current(String asciiName) {
        DomainRecord d = domains.require(asciiName);
        List<SigningKey> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (DkimKey k : d.dkimKeys()) {
            if (!seen.add(k.algorithm())) {
                continue;
            }
            byte[] pkcs8;
            try {
                pkcs8 = encryption.decrypt(k.encryptedPrivateKey(), d.name());
            } catch (IllegalStateException e) {
                LOG.errorf("DKIM key %s of %s does not decrypt: %s", k.selector(), d.name(), e.getMessage());
                throw new ApiException(500, "dkim-key-undecryptable", "DKIM key unavailable",
                        "the DKIM key of " + d.name() + " does not decrypt with the configured key-encryption key", null);
            }
            try {
                keys.add(new SigningKey(k.selector(), k.algorithm(), Base64.getEncoder().encodeToString(pkcs8)));
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        }
        if (keys.isEmpty()) {
            throw new ApiException(404, "no-dkim-keys", "Not found", "domain " + d.name() + " has no DKIM keys", null);
        }
        return new DomainKeys(d.name(), keys);
    }
}
