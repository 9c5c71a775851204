package mail.core.directory;

import static mail.core.directory.Changes.account;
import static mail.core.directory.Changes.addr;
import static mail.core.directory.Changes.alias;
import static mail.core.directory.Changes.domain;
import static mail.core.directory.Changes.group;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import mail.core.address.Domain;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.core.event.DirectorySnapshot.Account;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ResolveTest {

    private DirectoryState state;

    @BeforeEach
    void setUp() {
        state = new DirectoryState();
        state.apply(domain(1, "primary.test", "alias.test"));
        state.apply(account(1, "alice@primary.test", "acc-alice"));
        state.apply(account(1, "bob@primary.test", "acc-bob"));
        state.apply(account(1, "carol@primary.test", "acc-carol"));
    }

    private Resolution resolve(String address) {
        return state.resolve(addr(address));
    }

    private List<String> accountIds(String address) {
        Resolution resolution = resolve(address);
        assertThat(resolution).isInstanceOf(Resolution.Deliverable.class);
        return ((Resolution.Deliverable) resolution).accounts().stream().map(Account::accountId).toList();
    }

    private List<String> remoteTargets(String address) {
        Resolution resolution = resolve(address);
        assertThat(resolution).isInstanceOf(Resolution.Deliverable.class);
        return ((Resolution.Deliverable) resolution).remoteTargets();
    }

    private Resolution.Problem problem(String address) {
        Resolution resolution = resolve(address);
        assertThat(resolution).isInstanceOf(Resolution.Unresolvable.class);
        return ((Resolution.Unresolvable) resolution).problem();
    }

    @Nested
    class Domains {

        @Test
        void primaryAndAliasDomainsAreLocalInAnyCase() {
            assertThat(state.isLocalDomain(Domain.parse("primary.test"))).isTrue();
            assertThat(state.isLocalDomain(Domain.parse("PRIMARY.Test."))).isTrue();
            assertThat(state.isLocalDomain(Domain.parse("alias.test"))).isTrue();
        }

        @Test
        void otherDomainsAndSubdomainsAreNotLocal() {
            assertThat(state.isLocalDomain(Domain.parse("remote.example"))).isFalse();
            assertThat(state.isLocalDomain(Domain.parse("sub.primary.test"))).isFalse();
        }

        @Test
        void aRecipientInAForeignDomainIsNotLocal() {
            assertThat(resolve("alice@remote.example")).isEqualTo(new Resolution.NotLocal());
        }

        @Test
        void anAddressLiteralIsNeverLocal() {
            assertThat(resolve("alice@[192.0.2.1]")).isEqualTo(new Resolution.NotLocal());
        }

        @Test
        void anUnknownAddressInALocalDomainIsUnknown() {
            assertThat(resolve("nobody@primary.test")).isEqualTo(new Resolution.Unknown());
            assertThat(resolve("nobody@alias.test")).isEqualTo(new Resolution.Unknown());
        }
    }

    @Nested
    class Accounts {

        @Test
        void anAccountResolvesToItself() {
            Resolution resolution = resolve("alice@primary.test");

            assertThat(resolution).isInstanceOf(Resolution.Deliverable.class);
            Resolution.Deliverable deliverable = (Resolution.Deliverable) resolution;
            assertThat(deliverable.accounts()).singleElement()
                    .extracting(Account::address).isEqualTo("alice@primary.test");
            assertThat(deliverable.remoteTargets()).isEmpty();
        }

        @Test
        void localPartsAndDomainsMatchWhateverTheirCase() {
            assertThat(accountIds("ALICE@Primary.TEST")).containsExactly("acc-alice");
            assertThat(accountIds("aLiCe@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void anAccountStoredWithUpperCaseIsFoundInLowerCase() {
            state.apply(account(1, "Dave.Jones@Primary.test", "acc-dave"));

            assertThat(accountIds("dave.jones@primary.test")).containsExactly("acc-dave");
            assertThat(state.account("DAVE.JONES@primary.test")).get()
                    .extracting(Account::address).isEqualTo("Dave.Jones@Primary.test");
        }

        @Test
        void accountLookupIsExactButCaseInsensitive() {
            assertThat(state.account("Alice@PRIMARY.test")).isPresent();
            assertThat(state.account("alice+news@primary.test")).isEmpty();
            assertThat(state.account("alice@alias.test")).isEmpty();
            assertThat(state.account("not an address")).isEmpty();
        }

        @Test
        void mailForADisabledAccountIsDisabled() {
            state.apply(account(2, "alice@primary.test", "acc-alice", false));

            Resolution resolution = resolve("alice@primary.test");

            assertThat(resolution).isInstanceOf(Resolution.Disabled.class);
            assertThat(((Resolution.Disabled) resolution).accounts()).extracting(Account::accountId)
                    .containsExactly("acc-alice");
        }

        @Test
        void reEnablingAnAccountMakesItDeliverableAgain() {
            state.apply(account(2, "alice@primary.test", "acc-alice", false));
            state.apply(account(3, "alice@primary.test", "acc-alice", true));

            assertThat(accountIds("alice@primary.test")).containsExactly("acc-alice");
        }
    }

    @Nested
    class SubAddressing {

        @Test
        void aTaggedAddressFallsBackToItsBase() {
            assertThat(accountIds("alice+news@primary.test")).containsExactly("acc-alice");
            assertThat(accountIds("Alice+News@PRIMARY.test")).containsExactly("acc-alice");
            assertThat(accountIds("alice+@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void anExistingTaggedAddressWinsOverItsBase() {
            state.apply(alias(1, "alice+sales@primary.test", "bob@primary.test"));

            assertThat(accountIds("alice+sales@primary.test")).containsExactly("acc-bob");
            assertThat(accountIds("alice+other@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void aTaggedUnknownAddressIsUnknown() {
            assertThat(resolve("nobody+x@primary.test")).isEqualTo(new Resolution.Unknown());
        }

        @Test
        void tagsWorkOnAliasesAndGroupsToo() {
            state.apply(group(1, "team@primary.test", "bob@primary.test", "carol@primary.test"));

            assertThat(accountIds("team+weekly@primary.test")).containsExactly("acc-bob", "acc-carol");
        }

        @Test
        void aTaggedTargetIsResolvedLikeARecipient() {
            state.apply(alias(1, "news@primary.test", "alice+news@primary.test"));

            assertThat(accountIds("news@primary.test")).containsExactly("acc-alice");
        }
    }

    @Nested
    class AliasDomains {

        @Test
        void anAddressInAnAliasDomainIsRewrittenToThePrimary() {
            assertThat(accountIds("alice@alias.test")).containsExactly("acc-alice");
            assertThat(accountIds("ALICE@ALIAS.test")).containsExactly("acc-alice");
        }

        @Test
        void rewriteAndSubAddressCombine() {
            assertThat(accountIds("alice+x@alias.test")).containsExactly("acc-alice");
        }

        @Test
        void anExplicitEntryInTheAliasDomainWinsOverTheRewrite() {
            state.apply(alias(1, "alice@alias.test", "bob@primary.test"));

            assertThat(accountIds("alice@alias.test")).containsExactly("acc-bob");
            assertThat(accountIds("alice@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void aTargetInAnAliasDomainIsRewrittenToo() {
            state.apply(alias(1, "forward@primary.test", "bob@alias.test"));

            assertThat(accountIds("forward@primary.test")).containsExactly("acc-bob");
            assertThat(remoteTargets("forward@primary.test")).isEmpty();
        }

        @Test
        void anAliasDomainThatWasRemovedIsNoLongerLocal() {
            state.apply(domain(2, "primary.test"));

            assertThat(resolve("alice@alias.test")).isEqualTo(new Resolution.NotLocal());
        }
    }

    @Nested
    class Expansion {

        @Test
        void anAliasExpandsToItsTargetsInOrder() {
            state.apply(alias(1, "info@primary.test", "carol@primary.test", "alice@primary.test"));

            assertThat(accountIds("info@primary.test")).containsExactly("acc-carol", "acc-alice");
        }

        @Test
        void remoteTargetsAreKeptApartInSmtpForm() {
            state.apply(alias(1, "fwd@primary.test", "Someone@REMOTE.example", "alice@primary.test"));

            Resolution resolution = resolve("fwd@primary.test");

            assertThat(resolution).isEqualTo(new Resolution.Deliverable(
                    List.of(state.account("alice@primary.test").orElseThrow()), List.of("Someone@remote.example")));
        }

        @Test
        void anAliasToOnlyRemoteTargetsIsDeliverable() {
            state.apply(alias(1, "fwd@primary.test", "x@remote.example", "y@[192.0.2.7]"));

            assertThat(remoteTargets("fwd@primary.test")).containsExactly("x@remote.example", "y@[192.0.2.7]");
            assertThat(accountIds("fwd@primary.test")).isEmpty();
        }

        @Test
        void aGroupMayMixLocalAndRemoteMembers() {
            state.apply(group(1, "team@primary.test", "alice@primary.test", "partner@remote.example"));

            assertThat(accountIds("team@primary.test")).containsExactly("acc-alice");
            assertThat(remoteTargets("team@primary.test")).containsExactly("partner@remote.example");
        }

        @Test
        void aliasesAndGroupsNestInBothDirections() {
            state.apply(alias(1, "sales@primary.test", "team@primary.test"));
            state.apply(group(1, "team@primary.test", "alice@primary.test", "lead@primary.test"));
            state.apply(alias(1, "lead@primary.test", "bob@primary.test", "boss@remote.example"));

            assertThat(accountIds("sales@primary.test")).containsExactly("acc-alice", "acc-bob");
            assertThat(remoteTargets("sales@primary.test")).containsExactly("boss@remote.example");
        }

        @Test
        void theOrderIsBreadthFirstNearestFirst() {
            state.apply(group(1, "all@primary.test", "sub@primary.test", "alice@primary.test"));
            state.apply(group(1, "sub@primary.test", "carol@primary.test", "bob@primary.test"));

            assertThat(accountIds("all@primary.test")).containsExactly("acc-alice", "acc-carol", "acc-bob");
        }

        @Test
        void duplicatesAreRemovedWhateverThePathOrSpelling() {
            state.apply(group(1, "a@primary.test", "alice@primary.test", "b@primary.test", "ALICE@alias.test",
                    "x@remote.example", "x@REMOTE.example"));
            state.apply(group(1, "b@primary.test", "alice+b@primary.test", "bob@primary.test",
                    "x@remote.example"));

            assertThat(accountIds("a@primary.test")).containsExactly("acc-alice", "acc-bob");
            assertThat(remoteTargets("a@primary.test")).containsExactly("x@remote.example");
        }

        @Test
        void twoAddressesOfOneAccountIdAreOneMailbox() {
            // e.g. mid-rename: the new address is upserted before the old one is deleted
            state.apply(account(1, "alice.new@primary.test", "acc-alice"));
            state.apply(group(1, "g@primary.test", "alice@primary.test", "alice.new@primary.test"));

            assertThat(accountIds("g@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void aDisabledMemberIsSkipped() {
            state.apply(account(2, "bob@primary.test", "acc-bob", false));
            state.apply(group(1, "team@primary.test", "alice@primary.test", "bob@primary.test"));

            assertThat(accountIds("team@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void whenEveryMailboxReachedIsDisabledTheResultIsDisabled() {
            state.apply(account(2, "alice@primary.test", "acc-alice", false));
            state.apply(account(2, "bob@primary.test", "acc-bob", false));
            state.apply(alias(1, "both@primary.test", "alice@primary.test", "bob@primary.test",
                    "gone@primary.test"));

            Resolution resolution = resolve("both@primary.test");

            assertThat(resolution).isInstanceOf(Resolution.Disabled.class);
            assertThat(((Resolution.Disabled) resolution).accounts()).extracting(Account::accountId)
                    .containsExactly("acc-alice", "acc-bob");
        }

        @Test
        void aRemoteTargetKeepsAGroupOfDisabledMembersDeliverable() {
            state.apply(account(2, "alice@primary.test", "acc-alice", false));
            state.apply(group(1, "team@primary.test", "alice@primary.test", "ext@remote.example"));

            assertThat(accountIds("team@primary.test")).isEmpty();
            assertThat(remoteTargets("team@primary.test")).containsExactly("ext@remote.example");
        }

        @Test
        void deletedAndMalformedTargetsAreSkipped() {
            state.apply(group(1, "team@primary.test", "gone@primary.test", "not an address", "bob@primary.test"));

            assertThat(accountIds("team@primary.test")).containsExactly("acc-bob");
        }

        @Test
        void anEmptyGroupLeadsNowhereAndThatIsPermanent() {
            state.apply(group(1, "empty@primary.test"));

            Resolution resolution = resolve("empty@primary.test");

            assertThat(resolution).isInstanceOf(Resolution.Unresolvable.class);
            assertThat(((Resolution.Unresolvable) resolution).problem()).isEqualTo(Resolution.Problem.NO_TARGETS);
            assertThat(((Resolution.Unresolvable) resolution).temporary()).isFalse();
        }

        @Test
        void anAliasWhoseTargetsWereAllDeletedLeadsNowhere() {
            state.apply(alias(1, "old@primary.test", "gone@primary.test", "gone@alias.test"));

            assertThat(problem("old@primary.test")).isEqualTo(Resolution.Problem.NO_TARGETS);
        }

        @Test
        void precedenceAtOneAddressIsAccountThenAliasThenGroup() {
            state.apply(group(1, "shared@primary.test", "carol@primary.test"));
            assertThat(accountIds("shared@primary.test")).containsExactly("acc-carol");

            state.apply(alias(1, "shared@primary.test", "bob@primary.test"));
            assertThat(accountIds("shared@primary.test")).containsExactly("acc-bob");

            state.apply(account(1, "shared@primary.test", "acc-shared"));
            assertThat(accountIds("shared@primary.test")).containsExactly("acc-shared");
        }

        @Test
        void resolvingDoesNotChangeTheState() {
            state.apply(group(1, "team@primary.test", "alice@primary.test"));
            int size = state.size();
            long applied = state.appliedRecords();

            Resolution first = resolve("team@primary.test");

            assertThat(resolve("team@primary.test")).isEqualTo(first);
            assertThat(state.size()).isEqualTo(size);
            assertThat(state.appliedRecords()).isEqualTo(applied);
        }
    }

    @Nested
    class Cycles {

        @Test
        void mutuallyNestedGroupsExpandOnce() {
            state.apply(group(1, "a@primary.test", "alice@primary.test", "b@primary.test"));
            state.apply(group(1, "b@primary.test", "bob@primary.test", "a@primary.test"));

            assertThat(accountIds("a@primary.test")).containsExactly("acc-alice", "acc-bob");
            assertThat(accountIds("b@primary.test")).containsExactly("acc-bob", "acc-alice");
        }

        @Test
        void anAliasPointingAtItselfAmongOthersDelivers() {
            state.apply(alias(1, "loop@primary.test", "loop@primary.test", "alice@primary.test"));

            assertThat(accountIds("loop@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void aCycleThroughAnAliasDomainAndATagIsStillACycle() {
            state.apply(alias(1, "x@primary.test", "y@alias.test", "carol@primary.test"));
            state.apply(alias(1, "y@primary.test", "X+loop@alias.test"));

            assertThat(accountIds("x@primary.test")).containsExactly("acc-carol");
        }

        @Test
        void aCycleWithNoMailboxLeadsNowhere() {
            state.apply(alias(1, "ping@primary.test", "pong@primary.test"));
            state.apply(alias(1, "pong@primary.test", "ping@primary.test"));

            assertThat(problem("ping@primary.test")).isEqualTo(Resolution.Problem.NO_TARGETS);
        }
    }

    @Nested
    class Limits {

        private void chain(int aliases) {
            for (int i = 1; i < aliases; i++) {
                state.apply(alias(1, "level" + i + "@primary.test", "level" + (i + 1) + "@primary.test"));
            }
            state.apply(alias(1, "level" + aliases + "@primary.test", "alice@primary.test"));
        }

        @Test
        void eightNestedAliasesAreResolved() {
            chain(DirectoryState.MAX_DEPTH);

            assertThat(accountIds("level1@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void nineNestedAliasesAreTooDeepAndThatIsTemporary() {
            chain(DirectoryState.MAX_DEPTH + 1);

            Resolution resolution = resolve("level1@primary.test");

            assertThat(resolution).isInstanceOf(Resolution.Unresolvable.class);
            Resolution.Unresolvable unresolvable = (Resolution.Unresolvable) resolution;
            assertThat(unresolvable.problem()).isEqualTo(Resolution.Problem.TOO_DEEP);
            assertThat(unresolvable.temporary()).isTrue();
            assertThat(unresolvable.detail()).contains("level9@primary.test");
            // the same chain entered further down is shallow enough
            assertThat(accountIds("level2@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void depthIsTheShortestPathSoALongDetourDoesNotCount() {
            // top -> level1 -> ... -> level7 -> end puts "end" 9 deep, but top -> end puts it 2 deep
            for (int i = 1; i < 7; i++) {
                state.apply(alias(1, "level" + i + "@primary.test", "level" + (i + 1) + "@primary.test"));
            }
            state.apply(alias(1, "level7@primary.test", "end@primary.test"));
            state.apply(group(1, "end@primary.test", "alice@primary.test"));
            state.apply(group(1, "top@primary.test", "level1@primary.test", "end@primary.test"));

            assertThat(accountIds("top@primary.test")).containsExactly("acc-alice");
        }

        @Test
        void exactlyTheTargetLimitIsDeliverable() {
            state.apply(group(1, "big@primary.test", remoteMembers(DirectoryState.MAX_TARGETS)));

            assertThat(remoteTargets("big@primary.test")).hasSize(DirectoryState.MAX_TARGETS);
        }

        @Test
        void oneTargetMoreThanTheLimitIsTooManyAndThatIsTemporary() {
            List<String> members = new ArrayList<>(List.of(remoteMembers(DirectoryState.MAX_TARGETS - 1)));
            members.add("alice@primary.test");
            members.add("bob@primary.test");
            state.apply(group(1, "big@primary.test", members.toArray(String[]::new)));

            Resolution resolution = resolve("big@primary.test");

            assertThat(resolution).isInstanceOf(Resolution.Unresolvable.class);
            assertThat(((Resolution.Unresolvable) resolution).problem())
                    .isEqualTo(Resolution.Problem.TOO_MANY_TARGETS);
            assertThat(((Resolution.Unresolvable) resolution).temporary()).isTrue();
        }

        @Test
        void theLimitCountsDistinctRecipientsAcrossNestedGroups() {
            String[] half = remoteMembers(600);
            state.apply(group(1, "g1@primary.test", half));
            state.apply(group(1, "g2@primary.test", half)); // the same 600 again: still 600
            state.apply(group(1, "both@primary.test", "g1@primary.test", "g2@primary.test"));
            assertThat(remoteTargets("both@primary.test")).hasSize(600);

            state.apply(group(1, "g3@primary.test", remoteMembers(1200)));
            state.apply(group(2, "both@primary.test", "g1@primary.test", "g3@primary.test"));
            assertThat(problem("both@primary.test")).isEqualTo(Resolution.Problem.TOO_MANY_TARGETS);
        }

        @Test
        void disabledAccountsCountTowardsTheLimit() {
            List<String> members = new ArrayList<>(List.of(remoteMembers(DirectoryState.MAX_TARGETS)));
            state.apply(account(2, "bob@primary.test", "acc-bob", false));
            members.add("bob@primary.test");
            state.apply(group(1, "big@primary.test", members.toArray(String[]::new)));

            assertThat(problem("big@primary.test")).isEqualTo(Resolution.Problem.TOO_MANY_TARGETS);
        }

        private String[] remoteMembers(int count) {
            String[] members = new String[count];
            for (int i = 0; i < count; i++) {
                members[i] = "member" + i + "@remote.example";
            }
            return members;
        }
    }

    @Nested
    class Postmaster {

        @Test
        void withoutAnEntryOrFallbackPostmasterIsUnknown() {
            assertThat(resolve("postmaster@primary.test")).isEqualTo(new Resolution.Unknown());
        }

        @Test
        void anExplicitEntryIsUsedBeforeAnyFallback() {
            state = new DirectoryState(addr("hostmaster@remote.example"));
            state.apply(domain(1, "primary.test", "alias.test"));
            state.apply(account(1, "carol@primary.test", "acc-carol"));
            state.apply(alias(1, "postmaster@primary.test", "carol@primary.test"));

            assertThat(accountIds("postmaster@primary.test")).containsExactly("acc-carol");
            assertThat(accountIds("postmaster@alias.test")).containsExactly("acc-carol");
            assertThat(remoteTargets("postmaster@primary.test")).isEmpty();
        }

        @Test
        void withoutAnEntryTheFallbackIsUsedForEveryLocalDomain() {
            state = new DirectoryState(addr("admin@primary.test"));
            state.apply(domain(1, "primary.test", "alias.test"));
            state.apply(domain(1, "second.test"));
            state.apply(account(1, "admin@primary.test", "acc-admin"));

            assertThat(accountIds("postmaster@primary.test")).containsExactly("acc-admin");
            assertThat(accountIds("PostMaster@alias.test")).containsExactly("acc-admin");
            assertThat(accountIds("POSTMASTER@second.test")).containsExactly("acc-admin");
            assertThat(accountIds("postmaster+bounce@second.test")).containsExactly("acc-admin");
        }

        @Test
        void theFallbackMayBeRemote() {
            state = new DirectoryState(addr("noc@remote.example"));
            state.apply(domain(1, "primary.test"));

            assertThat(remoteTargets("postmaster@primary.test")).containsExactly("noc@remote.example");
        }

        @Test
        void theFallbackMayBeAGroup() {
            state = new DirectoryState(addr("admins@primary.test"));
            state.apply(domain(1, "primary.test"));
            state.apply(account(1, "alice@primary.test", "acc-alice"));
            state.apply(account(1, "bob@primary.test", "acc-bob"));
            state.apply(group(1, "admins@primary.test", "alice@primary.test", "bob@primary.test"));

            assertThat(accountIds("postmaster@primary.test")).containsExactly("acc-alice", "acc-bob");
        }

        @Test
        void theFallbackAlsoServesPostmasterAsAnAliasTarget() {
            state = new DirectoryState(addr("admin@primary.test"));
            state.apply(domain(1, "primary.test"));
            state.apply(account(1, "admin@primary.test", "acc-admin"));
            state.apply(account(1, "bob@primary.test", "acc-bob"));
            state.apply(group(1, "abuse@primary.test", "postmaster@primary.test", "bob@primary.test"));

            assertThat(accountIds("abuse@primary.test")).containsExactly("acc-admin", "acc-bob");
        }

        @Test
        void aFallbackThatIsItselfAnUnservedPostmasterDoesNotLoop() {
            state = new DirectoryState(addr("postmaster@primary.test"));
            state.apply(domain(1, "primary.test"));

            assertThat(problem("postmaster@primary.test")).isEqualTo(Resolution.Problem.NO_TARGETS);
        }

        @Test
        void theFallbackDoesNotMakeForeignDomainsLocal() {
            state = new DirectoryState(addr("admin@primary.test"));
            state.apply(domain(1, "primary.test"));

            assertThat(resolve("postmaster@remote.example")).isEqualTo(new Resolution.NotLocal());
        }

        @Test
        void otherUnknownAddressesStayUnknownDespiteAFallback() {
            state = new DirectoryState(addr("admin@primary.test"));
            state.apply(domain(1, "primary.test"));
            state.apply(account(1, "admin@primary.test", "acc-admin"));

            assertThat(resolve("postmistress@primary.test")).isEqualTo(new Resolution.Unknown());
        }

        @Test
        void aDisabledFallbackAccountYieldsDisabled() {
            state = new DirectoryState(addr("admin@primary.test"));
            state.apply(domain(1, "primary.test"));
            state.apply(account(1, "admin@primary.test", "acc-admin", false));

            assertThat(resolve("postmaster@primary.test")).isInstanceOf(Resolution.Disabled.class);
        }
    }

    @Nested
    class CatchAll {

        @BeforeEach
        void catchAllToCarol() {
            state.apply(DirectoryChanged.upserted(Changes.SOURCE, 2,
                    new DirectorySnapshot.Domain("primary.test", List.of("alias.test"), "carol@primary.test")));
            state.apply(domain(1, "other.test"));
        }

        @Test
        void unknownAddressesOfTheDomainAndItsAliasDomainsGoToTheCatchAll() {
            assertThat(accountIds("nobody@primary.test")).containsExactly("acc-carol");
            assertThat(accountIds("Nobody+tag@alias.test")).containsExactly("acc-carol");
        }

        @Test
        void existingEntriesWinOverTheCatchAll() {
            state.apply(alias(1, "info@primary.test", "bob@primary.test"));

            assertThat(accountIds("alice@primary.test")).containsExactly("acc-alice");
            assertThat(accountIds("alice+x@alias.test")).containsExactly("acc-alice");
            assertThat(accountIds("info@primary.test")).containsExactly("acc-bob");
        }

        @Test
        void otherDomainsAreNotCaught() {
            assertThat(resolve("nobody@other.test")).isEqualTo(new Resolution.Unknown());
            assertThat(resolve("nobody@remote.example")).isEqualTo(new Resolution.NotLocal());
        }

        @Test
        void theCatchAllWinsOverThePostmasterFallbackAndMayBeRemote() {
            state = new DirectoryState(addr("alice@primary.test"));
            state.apply(DirectoryChanged.upserted(Changes.SOURCE, 1,
                    new DirectorySnapshot.Domain("primary.test", List.of(), "noc@remote.example")));

            assertThat(remoteTargets("postmaster@primary.test")).containsExactly("noc@remote.example");
        }

        @Test
        void aCatchAllThatLeadsNowhereIsAPermanentFailureAndDoesNotLoop() {
            state.apply(DirectoryChanged.upserted(Changes.SOURCE, 3,
                    new DirectorySnapshot.Domain("primary.test", List.of(), "gone@primary.test")));

            assertThat(problem("nobody@primary.test")).isEqualTo(Resolution.Problem.NO_TARGETS);
            assertThat(resolve("nobody@primary.test")).matches(r -> !((Resolution.Unresolvable) r).temporary());
        }

        @Test
        void removingTheCatchAllMakesUnknownAddressesUnknownAgain() {
            state.apply(domain(3, "primary.test", "alias.test"));

            assertThat(resolve("nobody@primary.test")).isEqualTo(new Resolution.Unknown());
        }

        @Test
        void theCatchAllAuthorisesNobodyToSend() {
            assertThat(state.mayUseSender("carol@primary.test", addr("nobody@primary.test"))).isFalse();
        }
    }
}
