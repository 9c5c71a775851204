package mail.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import mail.core.event.DirectorySnapshot.Account;
import org.junit.jupiter.api.Test;

class ResolutionTest {

    private static final Account ALICE = new Account("alice@primary.test", "acc-alice", null, 0, true);

    @Test
    void aDeliverableThatLeadsNowhereCannotBeBuilt() {
        assertThatThrownBy(() -> new Resolution.Deliverable(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDeliverableKeepsItsOwnImmutableCopies() {
        List<Account> accounts = new ArrayList<>(List.of(ALICE));
        List<String> remote = new ArrayList<>(List.of("x@remote.example"));

        Resolution.Deliverable deliverable = new Resolution.Deliverable(accounts, remote);
        accounts.clear();
        remote.clear();

        assertThat(deliverable.accounts()).containsExactly(ALICE);
        assertThat(deliverable.remoteTargets()).containsExactly("x@remote.example");
        assertThatThrownBy(() -> deliverable.accounts().add(ALICE)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void disabledNamesAtLeastOneAccount() {
        assertThatThrownBy(() -> new Resolution.Disabled(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Resolution.Disabled(List.of(ALICE)).accounts()).containsExactly(ALICE);
    }

    @Test
    void limitsAreTemporaryAndAnEmptyExpansionIsPermanent() {
        assertThat(Resolution.Problem.TOO_DEEP.temporary()).isTrue();
        assertThat(Resolution.Problem.TOO_MANY_TARGETS.temporary()).isTrue();
        assertThat(Resolution.Problem.NO_TARGETS.temporary()).isFalse();
        assertThat(new Resolution.Unresolvable(Resolution.Problem.TOO_DEEP, "x").temporary()).isTrue();
    }

    @Test
    void unresolvableNeedsAProblemAndADetail() {
        assertThatThrownBy(() -> new Resolution.Unresolvable(null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Resolution.Unresolvable(Resolution.Problem.NO_TARGETS, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theCasesAreValuesSoCallersCanCompareThem() {
        assertThat(new Resolution.NotLocal()).isEqualTo(new Resolution.NotLocal());
        assertThat(new Resolution.Unknown()).isEqualTo(new Resolution.Unknown()).isNotEqualTo(new Resolution.NotLocal());
    }

    @Test
    void everyCaseMapsToTheDocumentedSmtpReply() {
        List<Resolution> all = List.of(new Resolution.NotLocal(), new Resolution.Unknown(),
                new Resolution.Deliverable(List.of(ALICE), List.of()), new Resolution.Disabled(List.of(ALICE)),
                new Resolution.Unresolvable(Resolution.Problem.TOO_DEEP, "x"));

        assertThat(all).extracting(ResolutionTest::smtpReply)
                .containsExactly("550 5.7.1", "550 5.1.1", "250 2.1.5", "550 5.2.1", "451 4.3.0");
    }

    // the replies suggested in Resolution's documentation
    private static String smtpReply(Resolution resolution) {
        if (resolution instanceof Resolution.NotLocal) {
            return "550 5.7.1";
        } else if (resolution instanceof Resolution.Unknown) {
            return "550 5.1.1";
        } else if (resolution instanceof Resolution.Deliverable) {
            return "250 2.1.5";
        } else if (resolution instanceof Resolution.Disabled) {
            return "550 5.2.1";
        } else if (resolution instanceof Resolution.Unresolvable unresolvable) {
            return unresolvable.temporary() ? "451 4.3.0" : "550 5.1.1";
        }
        throw new AssertionError(resolution);
    }
}
