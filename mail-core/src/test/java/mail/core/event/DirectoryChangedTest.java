package mail.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryChanged.Operation;
import org.junit.jupiter.api.Test;

class DirectoryChangedTest {

    private static final String SOURCE = "directory-service/host-1";

    @Test
    void compactionKeyIsKindColonKey() {
        assertThat(SampleEvents.accountUpserted().compactionKey()).isEqualTo("ACCOUNT:alice@example.com");
        assertThat(SampleEvents.domainUpserted().compactionKey()).isEqualTo("DOMAIN:example.com");
        assertThat(SampleEvents.groupUpserted().compactionKey()).isEqualTo("GROUP:team@example.com");
        assertThat(SampleEvents.aliasUpserted().compactionKey()).isEqualTo("ALIAS:postmaster@example.com");
    }

    @Test
    void theKafkaKeyIsTheCompactionKey() {
        DirectoryChanged event = SampleEvents.groupUpserted();

        assertThat(event.kafkaKey()).isEqualTo(event.compactionKey());
        assertThat(event.topic()).isEqualTo(Topics.DIRECTORY_CHANGES);
    }

    @Test
    void deleteSharesTheUpsertsKeySoCompactionKeepsOnlyTheLatest() {
        DirectoryChanged upserted = SampleEvents.accountUpserted();
        DirectoryChanged deleted = DirectoryChanged.deleted(SOURCE, EntityKind.ACCOUNT, "alice@example.com",
                upserted.revision() + 1);

        assertThat(deleted.compactionKey()).isEqualTo(upserted.compactionKey());
        assertThat(deleted.snapshot()).isNull();
        assertThat(deleted.operation()).isEqualTo(Operation.DELETED);
    }

    @Test
    void sameNameOfDifferentKindsDoesNotCollide() {
        DirectoryChanged group = DirectoryChanged.deleted(SOURCE, EntityKind.GROUP, "sales@example.com", 1);
        DirectoryChanged alias = DirectoryChanged.deleted(SOURCE, EntityKind.ALIAS, "sales@example.com", 1);

        assertThat(group.compactionKey()).isNotEqualTo(alias.compactionKey());
    }

    @Test
    void tombstoneKeyTellsTheConsumerWhatToEvict() {
        String recordKey = SampleEvents.accountDeleted().kafkaKey();

        DirectoryKey evict = DirectoryKey.parse(recordKey);

        assertThat(evict).isEqualTo(new DirectoryKey(EntityKind.ACCOUNT, "alice@example.com"));
        assertThat(evict.compactionKey()).isEqualTo(recordKey);
        assertThat(SampleEvents.accountDeleted().directoryKey()).isEqualTo(evict);
    }

    @Test
    void compactionKeyParsingSplitsAtTheFirstColonOnly() {
        DirectoryKey parsed = DirectoryKey.parse("ALIAS:\"a:b\"@example.com");

        assertThat(parsed.kind()).isEqualTo(EntityKind.ALIAS);
        assertThat(parsed.key()).isEqualTo("\"a:b\"@example.com");
    }

    @Test
    void malformedCompactionKeysAreRejected() {
        assertThatThrownBy(() -> DirectoryKey.parse("alice@example.com")).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> DirectoryKey.parse("ROBOT:r2@example.com")).hasMessageContaining("unknown entity kind");
        assertThatThrownBy(() -> DirectoryKey.parse("ACCOUNT:")).hasMessage("key must not be blank");
    }

    @Test
    void upsertNeedsASnapshotOfTheSameEntity() {
        assertThatThrownBy(() -> new DirectoryChanged(MailEvent.newId(), SOURCE, SampleEvents.TIME, EntityKind.ALIAS,
                "a@example.com", Operation.UPSERTED, 1, null))
                .hasMessage("snapshot of an UPSERTED ALIAS must not be null");
        assertThatThrownBy(() -> new DirectoryChanged(MailEvent.newId(), SOURCE, SampleEvents.TIME, EntityKind.ALIAS,
                "a@example.com", Operation.UPSERTED, 1, new DirectorySnapshot.Group("a@example.com", List.of())))
                .hasMessage("snapshot is a GROUP but kind is ALIAS");
        assertThatThrownBy(() -> new DirectoryChanged(MailEvent.newId(), SOURCE, SampleEvents.TIME, EntityKind.ALIAS,
                "a@example.com", Operation.UPSERTED, 1,
                new DirectorySnapshot.Alias("b@example.com", List.of("c@example.com"))))
                .hasMessageContaining("snapshot describes 'b@example.com' but key is 'a@example.com'");
    }

    @Test
    void deleteCarriesNoSnapshot() {
        assertThatThrownBy(() -> new DirectoryChanged(MailEvent.newId(), SOURCE, SampleEvents.TIME, EntityKind.DOMAIN,
                "example.com", Operation.DELETED, 2, new DirectorySnapshot.Domain("example.com", List.of())))
                .hasMessage("a DELETED event carries no snapshot");
    }

    @Test
    void keyMustBeLowerCaseSoThatOneEntityHasOneCompactionKey() {
        assertThatThrownBy(() -> DirectoryChanged.deleted(SOURCE, EntityKind.ACCOUNT, "Alice@example.com", 1))
                .hasMessageContaining("key must be lower case");
    }

    @Test
    void upsertedFactoryDerivesKindAndCanonicalKeyFromTheSnapshot() {
        DirectoryChanged event = DirectoryChanged.upserted(SOURCE, 5,
                new DirectorySnapshot.Account("Bob@Example.com", "acc-2", null, DirectorySnapshot.Account.UNLIMITED,
                        false));

        assertThat(event.kind()).isEqualTo(EntityKind.ACCOUNT);
        assertThat(event.key()).isEqualTo("bob@example.com");
        assertThat(event.operation()).isEqualTo(Operation.UPSERTED);
    }

    @Test
    void revisionStartsAtOne() {
        assertThatThrownBy(() -> DirectoryChanged.deleted(SOURCE, EntityKind.DOMAIN, "example.com", 0))
                .hasMessageContaining("revision must be >= 1");
    }

    @Test
    void snapshotsValidateTheirAttributes() {
        assertThatThrownBy(() -> new DirectorySnapshot.Alias("a@example.com", List.of()))
                .hasMessage("targets must not be empty");
        assertThatThrownBy(() -> new DirectorySnapshot.Account("a@example.com", "acc", null, -1, true))
                .hasMessageContaining("quotaBytes must be >= 0");
        assertThatThrownBy(() -> new DirectorySnapshot.Domain("example.com", List.of(" ")))
                .hasMessage("aliasDomains[0] must not be blank");
        assertThat(new DirectorySnapshot.Domain("example.com", null).aliasDomains()).isEmpty();
    }

    @Test
    void addedSnapshotFieldsAreOptionalAndValidated() {
        DirectorySnapshot.Account old = new DirectorySnapshot.Account("a@example.com", "acc", null, 0, true);
        assertThat(old.credentialsVersion()).isNull();
        assertThat(old.messageQuota()).isEqualTo(DirectorySnapshot.Account.UNLIMITED);
        assertThat(new DirectorySnapshot.Domain("example.com", List.of()).catchAll()).isNull();

        assertThatThrownBy(() -> new DirectorySnapshot.Account("a@example.com", "acc", null, 0, true, -1L, null))
                .hasMessageContaining("credentialsVersion must be >= 0");
        assertThatThrownBy(() -> new DirectorySnapshot.Account("a@example.com", "acc", null, 0, true, 1L, -5L))
                .hasMessageContaining("quotaMessages must be >= 0");
        assertThatThrownBy(() -> new DirectorySnapshot.Domain("example.com", List.of(), "no-at-sign"))
                .hasMessageContaining("catchAll must have the form local-part@domain");
    }

    @Test
    void credentialsAreInvalidatedByANewVersionDisablingOrAnotherAccountIdButNotByOtherAttributes() {
        DirectorySnapshot.Account v1 = new DirectorySnapshot.Account("a@example.com", "acc", "A", 0, true, 1L, null);

        assertThat(new DirectorySnapshot.Account("a@example.com", "acc", "Renamed", 99, true, 1L, 5L)
                .invalidatesCredentialsOf(v1)).isFalse();
        assertThat(new DirectorySnapshot.Account("a@example.com", "acc", "A", 0, true, 2L, null)
                .invalidatesCredentialsOf(v1)).isTrue();
        assertThat(new DirectorySnapshot.Account("a@example.com", "acc", "A", 0, false, 1L, null)
                .invalidatesCredentialsOf(v1)).isTrue();
        assertThat(new DirectorySnapshot.Account("a@example.com", "acc-new", "A", 0, true, 1L, null)
                .invalidatesCredentialsOf(v1)).isTrue();
        // a record from before the field existed tells us nothing, so treat the change as one
        assertThat(new DirectorySnapshot.Account("a@example.com", "acc", "A", 0, true)
                .invalidatesCredentialsOf(v1)).isTrue();
        assertThat(v1.invalidatesCredentialsOf(null)).isTrue();
    }
}
