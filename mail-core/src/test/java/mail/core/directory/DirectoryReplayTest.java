package mail.core.directory;

import static mail.core.directory.Changes.account;
import static mail.core.directory.Changes.addr;
import static mail.core.directory.Changes.alias;
import static mail.core.directory.Changes.deleted;
import static mail.core.directory.Changes.domain;
import static mail.core.directory.Changes.group;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mail.core.address.Domain;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import org.junit.jupiter.api.Test;

/**
 * The topic is read at-least-once and compacted, so a copy may see a record twice, a stretch of records again, or
 * only the latest record per key. All of these must end in the same directory.
 */
class DirectoryReplayTest {

    /** One record of directory.changes; a null value is a tombstone. */
    private record Entry(DirectoryKey key, DirectoryChanged value) {

        static Entry of(DirectoryChanged event) {
            return new Entry(event.directoryKey(), event);
        }

        static Entry tombstone(EntityKind kind, String key) {
            return new Entry(new DirectoryKey(kind, key), null);
        }
    }

    private static final List<String> PROBES = List.of("alice@primary.test", "alice@alias.test",
            "bob@primary.test", "team@primary.test", "info@primary.test", "carol@primary.test",
            "carol@alias.test", "nobody@primary.test", "x@old-alias.test");

    private static List<Entry> log() {
        return List.of(
                Entry.of(domain(1, "primary.test", "old-alias.test")),
                Entry.of(account(1, "alice@primary.test", "acc-alice")),
                Entry.of(account(1, "bob@primary.test", "acc-bob")),
                Entry.of(group(1, "team@primary.test", "alice@primary.test", "bob@primary.test")),
                Entry.of(alias(1, "info@primary.test", "team@primary.test")),
                Entry.of(account(2, "bob@primary.test", "acc-bob", false)),
                Entry.of(domain(2, "primary.test", "alias.test")),
                Entry.of(account(1, "carol@primary.test", "acc-carol")),
                Entry.of(deleted(2, EntityKind.ACCOUNT, "carol@primary.test")),
                Entry.tombstone(EntityKind.ACCOUNT, "carol@primary.test"),
                Entry.of(alias(2, "info@primary.test", "alice@primary.test", "ext@remote.example")),
                Entry.of(deleted(2, EntityKind.GROUP, "team@primary.test")),
                Entry.tombstone(EntityKind.GROUP, "team@primary.test"),
                Entry.of(group(1, "team@primary.test", "bob@primary.test")),
                Entry.of(account(3, "bob@primary.test", "acc-bob", true)));
    }

    private static DirectoryState feed(List<Entry> records) {
        DirectoryState state = new DirectoryState();
        feed(state, records);
        return state;
    }

    private static void feed(DirectoryState state, List<Entry> records) {
        for (Entry entry : records) {
            if (entry.value() == null) {
                state.applyTombstone(entry.key());
            } else {
                state.apply(entry.value());
            }
        }
    }

    private static Map<String, Object> view(DirectoryState state) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (String probe : PROBES) {
            view.put(probe, state.resolve(addr(probe)));
        }
        view.put("old-alias.test local", state.isLocalDomain(Domain.parse("old-alias.test")));
        view.put("size", state.size());
        return view;
    }

    // what compaction leaves: the last record of every key, in the order of those last records
    private static List<Entry> compacted(List<Entry> records, boolean keepTombstones) {
        Map<DirectoryKey, Integer> last = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            last.put(records.get(i).key(), i);
        }
        List<Entry> result = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Entry entry = records.get(i);
            if (last.get(entry.key()) == i && (keepTombstones || entry.value() != null)) {
                result.add(entry);
            }
        }
        return result;
    }

    @Test
    void theFullLogGivesTheExpectedDirectory() {
        DirectoryState state = feed(log());

        assertThat(state.resolve(addr("carol@primary.test"))).isEqualTo(new Resolution.Unknown());
        assertThat(state.isLocalDomain(Domain.parse("old-alias.test"))).isFalse();
        assertThat(state.resolve(addr("team@alias.test"))).isInstanceOf(Resolution.Deliverable.class);
        assertThat(((Resolution.Deliverable) state.resolve(addr("info@primary.test"))).remoteTargets())
                .containsExactly("ext@remote.example");
        assertThat(state.size()).isEqualTo(5);
    }

    @Test
    void everyRecordDeliveredTwiceChangesNothing() {
        List<Entry> twice = new ArrayList<>();
        for (Entry entry : log()) {
            twice.add(entry);
            twice.add(entry);
        }

        assertThat(view(feed(twice))).isEqualTo(view(feed(log())));
    }

    @Test
    void replayingTheWholeLogOntoTheFinishedStateChangesNothing() {
        DirectoryState state = feed(log());
        Map<String, Object> expected = view(state);

        feed(state, log());

        assertThat(view(state)).isEqualTo(expected);
    }

    @Test
    void replayingAnyTailOfTheLogChangesNothing() {
        Map<String, Object> expected = view(feed(log()));
        for (int from = 0; from < log().size(); from++) {
            DirectoryState state = feed(log());

            feed(state, log().subList(from, log().size()));

            assertThat(view(state)).as("replay from record %d", from).isEqualTo(expected);
        }
    }

    @Test
    void theCompactedLogGivesTheSameDirectory() {
        Map<String, Object> expected = view(feed(log()));

        assertThat(view(feed(compacted(log(), true)))).isEqualTo(expected);
        assertThat(view(feed(compacted(log(), false)))).isEqualTo(expected);
    }
}
