package mail.directory.domain;

import java.time.Instant;
import java.util.List;

/** A domain as the admin API shows it; private keys never leave the service. */
public record DomainView(String name, String unicodeName, List<String> aliasDomains, String catchAll,
                         List<DkimPublicKey> dkim, long entries, long revision, Instant createdAt) {

    public record DkimPublicKey(String selector, String algorithm, String publicKey, Instant createdAt, boolean active) {
    }
}
