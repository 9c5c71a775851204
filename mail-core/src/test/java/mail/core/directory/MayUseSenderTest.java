package mail.core.directory;

import static mail.core.directory.Changes.account;
import static mail.core.directory.Changes.addr;
import static mail.core.directory.Changes.alias;
import static mail.core.directory.Changes.domain;
import static mail.core.directory.Changes.group;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MayUseSenderTest {

    private DirectoryState state;

    @BeforeEach
    void setUp() {
        state = new DirectoryState(addr("alice@primary.test"));
        state.apply(domain(1, "primary.test", "alias.test"));
        state.apply(domain(1, "other.test"));
        state.apply(account(1, "alice@primary.test", "acc-alice"));
        state.apply(account(1, "bob@primary.test", "acc-bob"));
    }

    private boolean aliceMayUse(String sender) {
        return state.mayUseSender("alice@primary.test", addr(sender));
    }

    @Test
    void theOwnAddressIsAllowed() {
        assertThat(aliceMayUse("alice@primary.test")).isTrue();
    }

    @Test
    void caseOfLocalPartAndDomainDoesNotMatter() {
        assertThat(aliceMayUse("ALICE@Primary.Test")).isTrue();
        assertThat(state.mayUseSender("Alice@PRIMARY.test", addr("alice@primary.test"))).isTrue();
    }

    @Test
    void theOwnAddressWithATagIsAllowed() {
        assertThat(aliceMayUse("alice+lists@primary.test")).isTrue();
        assertThat(aliceMayUse("Alice+Lists@primary.test")).isTrue();
    }

    @Test
    void theOwnAddressInAnAliasDomainIsAllowed() {
        assertThat(aliceMayUse("alice@alias.test")).isTrue();
        assertThat(aliceMayUse("alice+x@alias.test")).isTrue();
    }

    @Test
    void anotherAccountsAddressIsRefused() {
        assertThat(aliceMayUse("bob@primary.test")).isFalse();
        assertThat(aliceMayUse("bob+alice@primary.test")).isFalse();
    }

    @Test
    void aTaggedAddressThatIsSomeoneElsesEntryIsRefused() {
        state.apply(alias(1, "alice+boss@primary.test", "bob@primary.test"));

        assertThat(aliceMayUse("alice+boss@primary.test")).isFalse();
        assertThat(state.mayUseSender("bob@primary.test", addr("alice+boss@primary.test"))).isTrue();
    }

    @Test
    void unknownAddressesInOurDomainsAreRefused() {
        assertThat(aliceMayUse("nobody@primary.test")).isFalse();
        assertThat(aliceMayUse("alice@other.test")).isFalse();
    }

    @Test
    void foreignAddressesAreRefused() {
        assertThat(aliceMayUse("alice@remote.example")).isFalse();
        assertThat(aliceMayUse("alice@[192.0.2.1]")).isFalse();
    }

    @Test
    void aPersonalAliasIsAllowed() {
        state.apply(alias(1, "a.liddell@primary.test", "alice@primary.test"));

        assertThat(aliceMayUse("a.liddell@primary.test")).isTrue();
        assertThat(aliceMayUse("A.Liddell+x@alias.test")).isTrue();
        assertThat(state.mayUseSender("bob@primary.test", addr("a.liddell@primary.test"))).isFalse();
    }

    @Test
    void aPersonalAliasDefinedInTheAliasDomainIsAllowed() {
        state.apply(alias(1, "wonderland@alias.test", "alice@alias.test"));

        assertThat(aliceMayUse("wonderland@alias.test")).isTrue();
    }

    @Test
    void aChainOfAliasesEndingAtTheAccountIsAllowed() {
        state.apply(alias(1, "ceo@primary.test", "a.liddell@primary.test"));
        state.apply(alias(1, "a.liddell@primary.test", "alice+ceo@primary.test"));

        assertThat(aliceMayUse("ceo@primary.test")).isTrue();
    }

    @Test
    void anAliasThatAlsoForwardsOutsideStillBelongsToItsOnlyLocalAccount() {
        state.apply(alias(1, "a.liddell@primary.test", "alice@primary.test", "alice@remote.example"));

        assertThat(aliceMayUse("a.liddell@primary.test")).isTrue();
    }

    @Test
    void aSharedAliasAuthorisesNoneOfItsAccounts() {
        state.apply(alias(1, "info@primary.test", "alice@primary.test", "bob@primary.test"));

        assertThat(aliceMayUse("info@primary.test")).isFalse();
        assertThat(state.mayUseSender("bob@primary.test", addr("info@primary.test"))).isFalse();
    }

    @Test
    void aDisabledCoRecipientStillMakesTheAliasShared() {
        state.apply(account(2, "bob@primary.test", "acc-bob", false));
        state.apply(alias(1, "info@primary.test", "alice@primary.test", "bob@primary.test"));

        assertThat(aliceMayUse("info@primary.test")).isFalse();
    }

    @Test
    void aDeletedCoRecipientNoLongerShares() {
        state.apply(alias(1, "info@primary.test", "alice@primary.test", "gone@primary.test"));

        assertThat(aliceMayUse("info@primary.test")).isTrue();
    }

    @Test
    void anAliasToAnotherAccountIsRefused() {
        state.apply(alias(1, "support@primary.test", "bob@primary.test"));

        assertThat(aliceMayUse("support@primary.test")).isFalse();
    }

    @Test
    void anAliasWithOnlyRemoteTargetsIsRefused() {
        state.apply(alias(1, "fwd@primary.test", "alice@remote.example"));

        assertThat(aliceMayUse("fwd@primary.test")).isFalse();
    }

    @Test
    void aGroupIsRefusedEvenToItsOnlyMember() {
        state.apply(group(1, "team@primary.test", "alice@primary.test", "bob@primary.test"));
        state.apply(group(1, "solo@primary.test", "alice@primary.test"));

        assertThat(aliceMayUse("team@primary.test")).isFalse();
        assertThat(aliceMayUse("solo@primary.test")).isFalse();
    }

    @Test
    void anAliasThroughAGroupCountsTheGroupsMembers() {
        state.apply(group(1, "team@primary.test", "alice@primary.test", "bob@primary.test"));
        state.apply(alias(1, "sales@primary.test", "team@primary.test"));

        assertThat(aliceMayUse("sales@primary.test")).isFalse();
    }

    @Test
    void anAliasWhoseExpansionFailsIsRefused() {
        for (int i = 1; i <= DirectoryState.MAX_DEPTH; i++) {
            state.apply(alias(1, "l" + i + "@primary.test", "l" + (i + 1) + "@primary.test"));
        }
        state.apply(alias(1, "l" + (DirectoryState.MAX_DEPTH + 1) + "@primary.test", "alice@primary.test"));

        assertThat(aliceMayUse("l1@primary.test")).isFalse();
        assertThat(aliceMayUse("l2@primary.test")).isTrue();
    }

    @Test
    void theImplicitPostmasterFallbackAuthorisesNobody() {
        assertThat(state.resolve(addr("postmaster@primary.test"))).isInstanceOf(Resolution.Deliverable.class);

        assertThat(aliceMayUse("postmaster@primary.test")).isFalse();
    }

    @Test
    void anExplicitPersonalPostmasterAliasIsAllowed() {
        state.apply(alias(1, "postmaster@primary.test", "alice@primary.test"));

        assertThat(aliceMayUse("postmaster@primary.test")).isTrue();
    }

    @Test
    void aDisabledOrUnknownAccountMayUseNothing() {
        state.apply(account(2, "alice@primary.test", "acc-alice", false));

        assertThat(aliceMayUse("alice@primary.test")).isFalse();
        assertThat(state.mayUseSender("ghost@primary.test", addr("ghost@primary.test"))).isFalse();
        assertThat(state.mayUseSender("not an address", addr("alice@primary.test"))).isFalse();
    }

    @Test
    void theAccountIsNamedByItsExactAddressNotByATagOrAliasDomain() {
        assertThat(state.mayUseSender("alice+x@primary.test", addr("alice@primary.test"))).isFalse();
        assertThat(state.mayUseSender("alice@alias.test", addr("alice@primary.test"))).isFalse();
    }

    @Test
    void anotherAddressOfTheSameAccountIdIsTheSameMailbox() {
        state.apply(account(1, "alice.new@primary.test", "acc-alice"));

        assertThat(aliceMayUse("alice.new@primary.test")).isTrue();
    }
}
