package mail.core.directory;

import static mail.core.directory.Changes.account;
import static mail.core.directory.Changes.addr;
import static mail.core.directory.Changes.alias;
import static mail.core.directory.Changes.domain;
import static mail.core.directory.Changes.group;
import static mail.core.directory.Changes.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectorySnapshot.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One writer applies many changes while readers query. Each change is chosen so that every prefix of the change
 * sequence satisfies an invariant that spans several entries; a reader that saw a mix of two prefixes would break
 * it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectoryStateConcurrencyTest {

    private static final int ROUNDS = 20_000;
    private static final int READERS = 3;
    private static final int ACCOUNTS = 50;

    private final DirectoryState state = new DirectoryState();
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        pool = Executors.newFixedThreadPool(READERS);
        state.apply(domain(1, "primary.test"));
        for (int i = 0; i < ACCOUNTS; i++) {
            state.apply(account(1, "u" + i + "@primary.test", "acc-" + i));
        }
        state.apply(account(1, "anchor@primary.test", "acc-anchor"));
        state.apply(alias(1, "x@primary.test", "u0@primary.test"));
        state.apply(alias(1, "y@primary.test", "u0@primary.test"));
        state.apply(group(1, "pair@primary.test", "x@primary.test", "y@primary.test"));
        state.apply(group(1, "flapping@primary.test", "flap@primary.test", "anchor@primary.test"));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void readersAlwaysSeeTheDirectoryAfterSomePrefixOfTheChanges() throws Exception {
        int sizeBefore = state.size();
        long appliedBefore = state.appliedRecords();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch readersReady = new CountDownLatch(READERS);
        List<Future<Long>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            readers.add(pool.submit(() -> read(writing, readersReady)));
        }
        assertThat(readersReady.await(10, TimeUnit.SECONDS)).isTrue();

        // x moves first, then y follows: in every prefix y is where x is or one step behind. "flap" is an account
        // that comes and goes, deleted alternately by DELETED events and by tombstones.
        long revision = 1;
        for (int round = 1; round <= ROUNDS; round++) {
            String target = "u" + (round % ACCOUNTS) + "@primary.test";
            revision++;
            state.apply(alias(revision, "x@primary.test", target));
            state.apply(alias(revision, "y@primary.test", target));
            if (round % 2 == 0) {
                state.apply(account(revision, "flap@primary.test", "acc-flap"));
            } else if (round % 4 == 1) {
                state.apply(Changes.deleted(revision, EntityKind.ACCOUNT, "flap@primary.test"));
            } else {
                state.applyTombstone(key(EntityKind.ACCOUNT, "flap@primary.test"));
            }
        }
        writing.set(false);

        long reads = 0;
        for (Future<Long> reader : readers) {
            reads += reader.get(30, TimeUnit.SECONDS); // rethrows a reader's assertion failure
        }
        assertThat(reads).isGreaterThan(READERS);
        assertThat(state.appliedRecords()).isEqualTo(appliedBefore + 3L * ROUNDS);
        assertThat(state.account("flap@primary.test")).isPresent(); // ROUNDS is even: the last round re-created it
        assertThat(state.size()).isEqualTo(sizeBefore + 1);
        assertThat(accountIds(state.resolve(addr("pair@primary.test"))))
                .containsExactly("acc-" + (ROUNDS % ACCOUNTS));
    }

    private long read(AtomicBoolean writing, CountDownLatch ready) {
        ready.countDown();
        EmailAddress pair = addr("pair@primary.test");
        EmailAddress flapping = addr("flapping@primary.test");
        EmailAddress x = addr("x@primary.test");
        EmailAddress anchorTagged = addr("anchor+tag@primary.test");
        long reads = 0;
        do {
            List<String> ids = accountIds(state.resolve(pair));
            int xIndex = indexOf(ids.get(0));
            if (ids.size() == 2) {
                assertThat(indexOf(ids.get(1))).as("y is one step behind x: %s", ids)
                        .isEqualTo((xIndex + ACCOUNTS - 1) % ACCOUNTS);
            } else {
                assertThat(ids).as("x and y agree").hasSize(1);
            }

            assertThat(accountIds(state.resolve(flapping)))
                    .isIn(List.of("acc-anchor"), List.of("acc-flap", "acc-anchor"));

            assertThat(state.mayUseSender("anchor@primary.test", x)).isFalse();
            assertThat(state.mayUseSender("anchor@primary.test", anchorTagged)).isTrue();
            assertThat(state.size()).isBetween(ACCOUNTS + 6, ACCOUNTS + 7);
            reads++;
        } while (writing.get());
        return reads;
    }

    private static int indexOf(String accountId) {
        assertThat(accountId).startsWith("acc-");
        return Integer.parseInt(accountId.substring("acc-".length()));
    }

    private static List<String> accountIds(Resolution resolution) {
        assertThat(resolution).isInstanceOf(Resolution.Deliverable.class);
        return ((Resolution.Deliverable) resolution).accounts().stream().map(Account::accountId).toList();
    }
}
