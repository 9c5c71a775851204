package mail.directory.domain;

import java.time.Instant;
import java.util.List;
import mail.core.event.DirectorySnapshot;
import mail.directory.dkim.DkimKey;

/**
 * A hosted (primary) domain as stored.
 *
 * @param name        A-label form, the MongoDB _id and the key on directory.changes
 * @param unicodeName the name for display
 * @param revision    revision of this key on directory.changes
 * @param deleted     deleted, but the DELETED event is not published yet
 */
public record DomainRecord(String name, String unicodeName, List<String> aliasDomains, String catchAll,
                           List<DkimKey> dkimKeys, long revision, boolean deleted, Instant createdAt) {

    public DomainRecord {
        aliasDomains = aliasDomains == null ? List.of() : List.copyOf(aliasDomains);
        dkimKeys = dkimKeys == null ? List.of() : List.copyOf(dkimKeys);
    }

    public DirectorySnapshot.Domain snapshot() {
        return new DirectorySnapshot.Domain(name, aliasDomains, catchAll);
    }
}
