package mail.core.directory;

import static mail.core.directory.Changes.deleted;
import static mail.core.directory.Changes.domain;
import static mail.core.directory.Changes.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectorySnapshot.Account;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryCredentialsInvalidationTest {

    private DirectoryState state;
    private final List<String> invalidated = new ArrayList<>();

    @BeforeEach
    void setUp() {
        state = new DirectoryState();
        state.apply(domain(1, "primary.test"));
        state.onCredentialsInvalidated(a -> invalidated.add(a.address() + "/" + a.credentialsVersion()));
        state.apply(account(1, "alice@primary.test", true, 1L, "Alice"));
    }

    private static DirectoryChanged account(long revision, String address, boolean enabled, Long version,
                                            String displayName) {
        return DirectoryChanged.upserted(Changes.SOURCE, revision,
                new Account(address, "acc-alice", displayName, 0, enabled, version, null));
    }

    @Test
    void creatingAnAccountInvalidatesNothing() {
        assertThat(invalidated).isEmpty();
    }

    @Test
    void aPasswordChangeInvalidatesTheSessionsOfThePreviousCredentials() {
        state.apply(account(2, "alice@primary.test", true, 2L, "Alice"));

        assertThat(invalidated).containsExactly("alice@primary.test/1");
    }

    @Test
    void disablingInvalidatesAndTheListenerSeesTheNewStateAlready() {
        List<Boolean> enabledWhenNotified = new ArrayList<>();
        state.onCredentialsInvalidated(a -> enabledWhenNotified.add(state.account(a.address()).orElseThrow().enabled()));

        state.apply(account(2, "alice@primary.test", false, 2L, "Alice"));

        assertThat(invalidated).containsExactly("alice@primary.test/1");
        assertThat(enabledWhenNotified).containsExactly(false);
    }

    @Test
    void otherAttributeChangesAndStaleReplaysInvalidateNothing() {
        state.apply(account(2, "alice@primary.test", true, 1L, "Alice Liddell"));
        state.apply(account(1, "alice@primary.test", false, 0L, "Old"));

        assertThat(invalidated).isEmpty();
    }

    @Test
    void deleteAndTombstoneInvalidateOnceTheAccountIsGone() {
        state.apply(deleted(2, EntityKind.ACCOUNT, "alice@primary.test"));
        state.applyTombstone(key(EntityKind.ACCOUNT, "alice@primary.test"));

        assertThat(invalidated).containsExactly("alice@primary.test/1");
        assertThat(state.account("alice@primary.test")).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersOrTheUpdate() {
        state.onCredentialsInvalidated(a -> {
            throw new IllegalStateException("listener bug");
        });
        List<String> second = new ArrayList<>();
        state.onCredentialsInvalidated(a -> second.add(a.address()));

        assertThat(state.apply(account(2, "alice@primary.test", true, 2L, "Alice"))).isTrue();

        assertThat(second).containsExactly("alice@primary.test");
        assertThat(state.account("alice@primary.test")).get().extracting(Account::credentialsVersion).isEqualTo(2L);
    }
}
