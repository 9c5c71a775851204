package mail.core.directory;

import static mail.core.directory.Changes.account;
import static mail.core.directory.Changes.addr;
import static mail.core.directory.Changes.alias;
import static mail.core.directory.Changes.deleted;
import static mail.core.directory.Changes.domain;
import static mail.core.directory.Changes.group;
import static mail.core.directory.Changes.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import mail.core.address.Domain;
import mail.core.event.DirectoryChanged.EntityKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryStateUpdateTest {

    private DirectoryState state;

    @BeforeEach
    void setUp() {
        state = new DirectoryState();
        state.apply(domain(1, "primary.test"));
    }

    @Test
    void anUpsertAddsAndALaterRevisionReplaces() {
        assertThat(state.apply(account(1, "alice@primary.test", "acc-1"))).isTrue();
        assertThat(state.account("alice@primary.test")).get()
                .extracting(a -> a.accountId()).isEqualTo("acc-1");

        assertThat(state.apply(account(2, "Alice@primary.test", "acc-2"))).isTrue();

        assertThat(state.account("alice@primary.test")).get()
                .extracting(a -> a.accountId()).isEqualTo("acc-2");
        assertThat(state.size()).isEqualTo(2);
    }

    @Test
    void anOlderRevisionIsAReplayAndIgnored() {
        state.apply(account(5, "alice@primary.test", "acc-new"));

        assertThat(state.apply(account(4, "alice@primary.test", "acc-old"))).isFalse();

        assertThat(state.account("alice@primary.test")).get()
                .extracting(a -> a.accountId()).isEqualTo("acc-new");
        assertThat(state.staleRecords()).isEqualTo(1);
    }

    @Test
    void theSameRevisionAgainIsARedeliveryAndIgnored() {
        state.apply(account(5, "alice@primary.test", "acc-1"));
        long applied = state.appliedRecords();

        assertThat(state.apply(account(5, "alice@primary.test", "acc-other"))).isFalse();

        assertThat(state.account("alice@primary.test")).get()
                .extracting(a -> a.accountId()).isEqualTo("acc-1");
        assertThat(state.appliedRecords()).isEqualTo(applied);
    }

    @Test
    void revisionsAreTrackedPerKindAndKey() {
        state.apply(account(9, "sales@primary.test", "acc-sales"));

        // same address, other kind: its own revision sequence, so revision 1 is new
        assertThat(state.apply(alias(1, "sales@primary.test", "bob@remote.example"))).isTrue();
        assertThat(state.apply(account(1, "bob@primary.test", "acc-bob"))).isTrue();
        assertThat(state.size()).isEqualTo(4);
    }

    @Test
    void aDeleteEventEvictsAndBlocksAReplayedOlderUpsert() {
        state.apply(account(3, "alice@primary.test", "acc-1"));

        assertThat(state.apply(deleted(4, EntityKind.ACCOUNT, "alice@primary.test"))).isTrue();
        assertThat(state.account("alice@primary.test")).isEmpty();
        assertThat(state.resolve(addr("alice@primary.test"))).isInstanceOf(Resolution.Unknown.class);

        assertThat(state.apply(account(3, "alice@primary.test", "acc-1"))).isFalse();
        assertThat(state.account("alice@primary.test")).isEmpty();

        assertThat(state.apply(account(5, "alice@primary.test", "acc-1b"))).isTrue();
        assertThat(state.account("alice@primary.test")).isPresent();
    }

    @Test
    void aStaleDeleteIsIgnored() {
        state.apply(account(7, "alice@primary.test", "acc-1"));

        assertThat(state.apply(deleted(6, EntityKind.ACCOUNT, "alice@primary.test"))).isFalse();

        assertThat(state.account("alice@primary.test")).isPresent();
    }

    @Test
    void aTombstoneAlwaysEvictsWhateverTheRevision() {
        state.apply(account(1_000, "alice@primary.test", "acc-1"));

        state.applyTombstone(key(EntityKind.ACCOUNT, "alice@primary.test"));

        assertThat(state.account("alice@primary.test")).isEmpty();
        assertThat(state.size()).isEqualTo(1);
    }

    @Test
    void aTombstoneForgetsTheRevisionSoThatAReCreatedEntryIsAccepted() {
        state.apply(account(41, "alice@primary.test", "acc-1"));
        state.apply(deleted(42, EntityKind.ACCOUNT, "alice@primary.test"));
        state.applyTombstone(key(EntityKind.ACCOUNT, "alice@primary.test"));

        // what a fresh copy reading the compacted topic would also accept
        assertThat(state.apply(account(1, "alice@primary.test", "acc-2"))).isTrue();

        assertThat(state.account("alice@primary.test")).get()
                .extracting(a -> a.accountId()).isEqualTo("acc-2");
    }

    @Test
    void aTombstoneOnlyEvictsItsOwnKind() {
        state.apply(account(1, "sales@primary.test", "acc-sales"));
        state.apply(group(1, "sales@primary.test", "bob@remote.example"));

        state.applyTombstone(key(EntityKind.ACCOUNT, "sales@primary.test"));

        assertThat(state.account("sales@primary.test")).isEmpty();
        assertThat(state.resolve(addr("sales@primary.test")))
                .isEqualTo(new Resolution.Deliverable(List.of(), List.of("bob@remote.example")));
    }

    @Test
    void aTombstoneForAnUnknownKeyIsHarmless() {
        int before = state.size();

        state.applyTombstone(key(EntityKind.GROUP, "nobody@primary.test"));
        state.applyTombstone(key(EntityKind.DOMAIN, "unknown.test"));

        assertThat(state.size()).isEqualTo(before);
        assertThat(state.isLocalDomain(Domain.parse("primary.test"))).isTrue();
    }

    @Test
    void countersTrackAppliedAndStaleRecords() {
        DirectoryState fresh = new DirectoryState();
        fresh.apply(domain(1, "primary.test"));
        fresh.apply(account(1, "a@primary.test", "acc-a"));
        fresh.apply(account(1, "a@primary.test", "acc-a"));
        fresh.apply(deleted(2, EntityKind.ACCOUNT, "a@primary.test"));
        fresh.applyTombstone(key(EntityKind.ACCOUNT, "a@primary.test"));

        assertThat(fresh.appliedRecords()).isEqualTo(4);
        assertThat(fresh.staleRecords()).isEqualTo(1);
        assertThat(fresh.size()).isEqualTo(1);
    }

    @Test
    void sizeCountsEveryKindButNotAliasDomains() {
        state.apply(domain(2, "primary.test", "alias1.test", "alias2.test"));
        state.apply(domain(1, "other.test"));
        state.apply(account(1, "a@primary.test", "acc-a"));
        state.apply(alias(1, "b@primary.test", "a@primary.test"));
        state.apply(group(1, "c@primary.test"));

        assertThat(state.size()).isEqualTo(5);
    }

    @Test
    void aDomainUpdateReplacesItsAliasDomains() {
        state.apply(domain(2, "primary.test", "old-alias.test"));
        assertThat(state.isLocalDomain(Domain.parse("old-alias.test"))).isTrue();

        state.apply(domain(3, "primary.test", "new-alias.test"));

        assertThat(state.isLocalDomain(Domain.parse("old-alias.test"))).isFalse();
        assertThat(state.isLocalDomain(Domain.parse("new-alias.test"))).isTrue();
    }

    @Test
    void deletingADomainDropsItsAliasDomains() {
        state.apply(domain(2, "primary.test", "alias.test"));

        state.apply(deleted(3, EntityKind.DOMAIN, "primary.test"));

        assertThat(state.isLocalDomain(Domain.parse("primary.test"))).isFalse();
        assertThat(state.isLocalDomain(Domain.parse("alias.test"))).isFalse();
    }

    @Test
    void aTombstonedDomainDropsItsAliasDomainsToo() {
        state.apply(domain(2, "primary.test", "alias.test"));

        state.applyTombstone(key(EntityKind.DOMAIN, "primary.test"));

        assertThat(state.isLocalDomain(Domain.parse("alias.test"))).isFalse();
    }

    @Test
    void anAliasDomainClaimedTwiceBelongsToTheFirstPrimaryByNameUntilThatOneLetsGo() {
        state.apply(account(1, "x@primary.test", "acc-primary"));
        state.apply(domain(1, "another.test"));
        state.apply(account(1, "x@another.test", "acc-another"));
        state.apply(domain(2, "primary.test", "shared.test"));
        state.apply(domain(2, "another.test", "shared.test"));

        // "another.test" < "primary.test", whatever the order the claims arrived in
        assertThat(accountIdsOf(state.resolve(addr("x@shared.test")))).containsExactly("acc-another");

        state.apply(domain(3, "another.test"));

        assertThat(accountIdsOf(state.resolve(addr("x@shared.test")))).containsExactly("acc-primary");
    }

    @Test
    void aPrimaryDomainIsNeverRewrittenEvenIfAnotherDomainListsItAsAlias() {
        state.apply(domain(1, "other.test"));
        state.apply(domain(2, "primary.test", "other.test"));
        state.apply(account(1, "x@primary.test", "acc-primary"));

        assertThat(state.resolve(addr("x@other.test"))).isInstanceOf(Resolution.Unknown.class);
    }

    @Test
    void aDomainListingItselfAsAliasStaysLocalAfterTheListIsChanged() {
        state.apply(domain(2, "primary.test", "primary.test", "alias.test"));
        state.apply(domain(3, "primary.test"));

        assertThat(state.isLocalDomain(Domain.parse("primary.test"))).isTrue();
        assertThat(state.isLocalDomain(Domain.parse("alias.test"))).isFalse();
    }

    @Test
    void idnDomainsAreStoredUnderTheirALabelFormSoLookupsMeetThem() {
        state.apply(domain(1, "bücher.test", "büchershop.test"));
        state.apply(account(1, "anna@bücher.test", "acc-anna"));

        assertThat(state.isLocalDomain(Domain.parse("xn--bcher-kva.test"))).isTrue();
        assertThat(state.isLocalDomain(Domain.parse("BÜCHERSHOP.test"))).isTrue();
        assertThat(accountIdsOf(state.resolve(addr("anna@xn--bcher-kva.test")))).containsExactly("acc-anna");
        assertThat(state.account("Anna@xn--bcher-kva.test")).isPresent();

        state.applyTombstone(key(EntityKind.ACCOUNT, "anna@bücher.test"));
        assertThat(state.account("anna@xn--bcher-kva.test")).isEmpty();
    }

    @Test
    void quotedLocalPartsMeetTheirUnquotedSpelling() {
        state.apply(account(1, "\"john.doe\"@primary.test", "acc-john"));

        assertThat(state.account("john.doe@primary.test")).isPresent();
        assertThat(accountIdsOf(state.resolve(addr("John.Doe@primary.test")))).containsExactly("acc-john");
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatThrownBy(() -> state.apply(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> state.applyTombstone(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new DirectoryState(null)).isInstanceOf(NullPointerException.class);
    }

    static List<String> accountIdsOf(Resolution resolution) {
        assertThat(resolution).isInstanceOf(Resolution.Deliverable.class);
        return ((Resolution.Deliverable) resolution).accounts().stream().map(a -> a.accountId()).toList();
    }
}
