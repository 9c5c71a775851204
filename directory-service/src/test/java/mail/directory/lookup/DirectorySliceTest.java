package mail.directory.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mail.core.address.EmailAddress;
import mail.core.directory.DirectoryState;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.directory.domain.DomainRecord;
import mail.directory.entry.Entry;
import org.junit.jupiter.api.Test;

/**
 * The slice read for one question answers it exactly as the whole directory would: every address below is resolved
 * (and checked as a sender) against a slice and against a DirectoryState holding everything, and the answers match.
 */
class DirectorySliceTest {

    private final Map<String, DomainRecord> domains = new HashMap<>();
    private final Map<String, String> aliasDomains = new HashMap<>();
    private final Map<String, Entry> entries = new HashMap<>();
    private final List<Integer> reads = new ArrayList<>();

    private final DirectorySlice.Source source = new DirectorySlice.Source() {
        @Override
        public Optional<DomainRecord> hostingDomain(String name) {
            reads.add(1);
            return Optional.ofNullable(domains.get(aliasDomains.getOrDefault(name, name)));
        }

        @Override
        public Optional<Entry> entry(String id) {
            reads.add(1);
            return Optional.ofNullable(entries.get(id));
        }
    };

    private void domain(String name, List<String> aliases, String catchAll) {
        domains.put(name, new DomainRecord(name, name, aliases, catchAll, List.of(), 1, false, Instant.EPOCH));
        aliases.forEach(a -> aliasDomains.put(a, name));
    }

    private void account(String address, boolean enabled) {
        entries.put(address, new Entry(address, EntityKind.ACCOUNT, address, domainOf(address), 1, false, "id-" + address,
                "kc", null, 0, null, enabled, 1, List.of(), Instant.EPOCH));
    }

    private void forward(EntityKind kind, String address, String... targets) {
        entries.put(address, new Entry(address, kind, address, domainOf(address), 1, false, null, null, null, 0, null,
                true, 0, List.of(targets), Instant.EPOCH));
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    private DirectoryState whole() {
        DirectoryState s = new DirectoryState();
        domains.values().forEach(d -> s.apply(DirectoryChanged.upserted("t", 1, d.snapshot())));
        entries.values().forEach(e -> s.apply(DirectoryChanged.upserted("t", 1, e.snapshot())));
        return s;
    }

    private void directory() {
        domain("a.test", List.of("a-alias.test"), "catch@b.test");
        domain("b.test", List.of(), null);
        domain("c.test", List.of(), null);
        account("alice@a.test", true);
        account("bob@b.test", true);
        account("catch@b.test", true);
        account("dis@a.test", false);
        account("special@a-alias.test", true);
        forward(EntityKind.ALIAS, "info@a.test", "alice@a.test", "friend@remote.example");
        forward(EntityKind.ALIAS, "cross@a.test", "bob@a-alias.test", "bob+tag@b.test");
        forward(EntityKind.GROUP, "team@b.test", "info@a.test", "cross@a.test", "dis@a.test", "team@b.test");
        forward(EntityKind.GROUP, "empty@b.test");
        forward(EntityKind.ALIAS, "loop1@c.test", "loop2@c.test");
        forward(EntityKind.ALIAS, "loop2@c.test", "loop1@c.test");
        forward(EntityKind.ALIAS, "only-dis@c.test", "dis@a.test");
        for (int i = 0; i < 10; i++) {
            forward(EntityKind.ALIAS, "deep" + i + "@c.test", i == 9 ? "alice@a.test" : "deep" + (i + 1) + "@c.test");
        }
        forward(EntityKind.ALIAS, "alice+vip@a.test", "bob@b.test");
    }

    @Test
    void eachAnswerFromASliceIsTheAnswerOfTheWholeDirectory() {
        directory();
        DirectoryState whole = whole();
        List<String> addresses = List.of("alice@a.test", "ALICE+x@a-alias.test", "alice+vip@a.test", "alice+vip@a-alias.test",
                "nobody@a.test", "nobody@a-alias.test", "special@a-alias.test", "special@a.test", "info@a.test",
                "cross@a.test", "team@b.test", "empty@b.test", "dis@a.test", "only-dis@c.test", "loop1@c.test",
                "deep0@c.test", "deep5@c.test", "nobody@c.test", "x@remote.example", "x@[192.0.2.1]", "postmaster@a.test");
        for (String a : addresses) {
            EmailAddress address = EmailAddress.parse(a);
            DirectoryState slice = new DirectorySlice(source, DirectoryLookup.MAX_READS).load(List.of(address));
            assertThat(slice.resolve(address)).as(a).isEqualTo(whole.resolve(address));
            for (String account : List.of("alice@a.test", "dis@a.test", "bob@b.test")) {
                DirectoryState s = new DirectorySlice(source, DirectoryLookup.MAX_READS)
                        .load(List.of(EmailAddress.parse(account), address));
                assertThat(s.mayUseSender(account, address)).as(account + " as " + a)
                        .isEqualTo(whole.mayUseSender(account, address));
            }
        }
    }

    @Test
    void aSliceReadsOnlyWhatTheQuestionCanReach() {
        directory();
        for (int i = 0; i < 500; i++) {
            account("filler" + i + "@b.test", true);
        }
        reads.clear();
        new DirectorySlice(source, DirectoryLookup.MAX_READS).load(List.of(EmailAddress.parse("alice@a.test")));
        assertThat(reads).hasSizeLessThan(5);
    }

    @Test
    void aQuestionNeedingMoreReadsThanTheLimitIsRefusedInsteadOfRunningOn() {
        domain("big.test", List.of(), null);
        String[] members = new String[50];
        for (int i = 0; i < members.length; i++) {
            members[i] = "m" + i + "@big.test";
            account(members[i], true);
        }
        forward(EntityKind.GROUP, "all@big.test", members);
        assertThatThrownBy(() -> new DirectorySlice(source, 20).load(List.of(EmailAddress.parse("all@big.test"))))
                .isInstanceOf(DirectorySlice.TooLarge.class);
        assertThat(new DirectorySlice(source, 200).load(List.of(EmailAddress.parse("all@big.test")))
                .resolve(EmailAddress.parse("all@big.test"))).isInstanceOf(mail.core.directory.Resolution.Deliverable.class);
    }
}
