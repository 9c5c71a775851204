package mail.core.directory;

import java.util.List;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.core.event.DirectorySnapshot;

/** Builders for the records of directory.changes, so that tests read like the directory they set up. */
final class Changes {

    static final String SOURCE = "directory-service/test";

    private Changes() {
    }

    static DirectoryChanged domain(long revision, String name, String... aliasDomains) {
        return DirectoryChanged.upserted(SOURCE, revision, new DirectorySnapshot.Domain(name, List.of(aliasDomains)));
    }

    static DirectoryChanged account(long revision, String address, String accountId) {
        return account(revision, address, accountId, true);
    }

    static DirectoryChanged account(long revision, String address, String accountId, boolean enabled) {
        return DirectoryChanged.upserted(SOURCE, revision,
                new DirectorySnapshot.Account(address, accountId, null, DirectorySnapshot.Account.UNLIMITED, enabled));
    }

    static DirectoryChanged alias(long revision, String address, String... targets) {
        return DirectoryChanged.upserted(SOURCE, revision, new DirectorySnapshot.Alias(address, List.of(targets)));
    }

    static DirectoryChanged group(long revision, String address, String... members) {
        return DirectoryChanged.upserted(SOURCE, revision, new DirectorySnapshot.Group(address, List.of(members)));
    }

    static DirectoryChanged deleted(long revision, EntityKind kind, String key) {
        return DirectoryChanged.deleted(SOURCE, kind, key, revision);
    }

    static DirectoryKey key(EntityKind kind, String key) {
        return new DirectoryKey(kind, key);
    }

    static EmailAddress addr(String address) {
        return EmailAddress.parse(address);
    }
}
