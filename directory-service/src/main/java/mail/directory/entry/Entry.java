package mail.directory.entry;

import java.time.Instant;
import java.util.List;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectorySnapshot;

/**
 * One address of the directory: an account, an alias or a group. All three live in one collection keyed by the
 * canonical address, which is what makes an address only ever one of them.
 *
 * @param id                 canonical address ({@code EmailAddress.canonical()}), the MongoDB _id
 * @param address            the address as the administrator wrote it (SMTP form, case kept)
 * @param domain             the A-label form of the address's domain
 * @param revision           revision of this key on directory.changes
 * @param deleted            deleted, but the DELETED event is not published yet
 * @param credentialsVersion accounts: raised on every password change and every enable/disable
 * @param targets            aliases: targets; groups: members
 * @param saveSentCopy       accounts: the delivery worker stores a copy of what the account submits in its Sent mailbox
 */
public record Entry(String id, EntityKind kind, String address, String domain, long revision, boolean deleted,
                    String accountId, String keycloakId, String displayName, long quotaBytes, Long quotaMessages,
                    boolean enabled, long credentialsVersion, List<String> targets, Instant createdAt,
                    boolean saveSentCopy) {

    public Entry {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    public Entry(String id, EntityKind kind, String address, String domain, long revision, boolean deleted,
                 String accountId, String keycloakId, String displayName, long quotaBytes, Long quotaMessages,
                 boolean enabled, long credentialsVersion, List<String> targets, Instant createdAt) {
        this(id, kind, address, domain, revision, deleted, accountId, keycloakId, displayName, quotaBytes, quotaMessages,
                enabled, credentialsVersion, targets, createdAt, false);
    }

    public DirectorySnapshot snapshot() {
        // the snapshot's key must equal the compaction key ignoring case; a spelling that differs in more than case
        // (NFC, quoting) is published in canonical form
        String published = address.toLowerCase(java.util.Locale.ROOT).equals(id) ? address : id;
        if (kind == EntityKind.ACCOUNT) {
            return new DirectorySnapshot.Account(published, accountId, displayName, quotaBytes, enabled,
                    credentialsVersion, quotaMessages, saveSentCopy ? Boolean.TRUE : null);
        }
        if (kind == EntityKind.ALIAS) {
            return new DirectorySnapshot.Alias(published, targets);
        }
        return new DirectorySnapshot.Group(published, targets);
    }
}
