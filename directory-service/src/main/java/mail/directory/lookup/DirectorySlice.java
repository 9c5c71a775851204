package mail.directory.lookup;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.core.directory.DirectoryState;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectorySnapshot;
import mail.directory.domain.DomainRecord;
import mail.directory.entry.Entry;

/**
 * The part of the directory that questions about some addresses can touch, read from MongoDB into a private
 * {@link DirectoryState}, so that the answers come from the very resolver the services' caches use rather than from a
 * second implementation of the rules. Starting at the asked addresses it loads, for every address reached, the
 * domain (and the primary it belongs to, with its catch-all) and every entry the lookup rules may try (the address
 * and its {@code +tag}-less form, in its own and in its primary domain), then follows the members of every alias and
 * group found. That is a superset of what the resolver reads, so it answers as it would over the whole directory.
 */
final class DirectorySlice {
    private static final String SOURCE = "directory-service/lookup";

    /** Stored entries and domains, as the slice reads them; the live ones only (deleted ones are absent). */
    interface Source {
        /** The primary domain hosting {@code name} (itself or the domain it is an alias of), if hosted. */
        Optional<DomainRecord> hostingDomain(String name);

        Optional<Entry> entry(String id);
    }

    /** More reads than a bounded expansion can need: the directory is not in a state the resolver would finish. */
    static final class TooLarge extends RuntimeException {
        TooLarge(int reads) {
            super("lookup needed more than " + reads + " directory reads");
        }
    }

    private final Source source;
    private final int maxReads;
    private final DirectoryState state = new DirectoryState();
    private final Map<String, String> primaries = new HashMap<>();
    private final Set<String> entriesRead = new HashSet<>();
    private final Set<String> domainsLoaded = new HashSet<>();
    private final ArrayDeque<EmailAddress> pending = new ArrayDeque<>();
    private int reads;

    DirectorySlice(Source source, int maxReads) {
        this.source = source;
        this.maxReads = maxReads;
    }

    /** Loads everything questions about {@code addresses} can touch; returns the state to ask them of. */
    DirectoryState load(List<EmailAddress> addresses) {
        pending.addAll(addresses);
        EmailAddress next;
        while ((next = pending.poll()) != null) {
            visit(next);
        }
        return state;
    }

    private void visit(EmailAddress address) {
        if (!(address.domain() instanceof Domain domain)) {
            return;
        }
        String name = domain.asciiForm();
        String primary = primary(name);
        if (primary == null) {
            return;
        }
        String local = localPart(address);
        String base = address.tag().isPresent() ? localPart(address.baseAddress()) : null;
        for (String d : name.equals(primary) ? List.of(name) : List.of(name, primary)) {
            entry(local + "@" + d);
            if (base != null) {
                entry(base + "@" + d);
            }
        }
    }

    private String primary(String name) {
        if (primaries.containsKey(name)) {
            return primaries.get(name);
        }
        count();
        Optional<DomainRecord> hosting = source.hostingDomain(name);
        if (hosting.isEmpty()) {
            primaries.put(name, null);
            return null;
        }
        DomainRecord r = hosting.get();
        primaries.put(name, r.name());
        if (domainsLoaded.add(r.name())) {
            primaries.putIfAbsent(r.name(), r.name());
            state.apply(DirectoryChanged.upserted(SOURCE, Math.max(1, r.revision()), r.snapshot()));
            if (r.catchAll() != null) {
                enqueue(r.catchAll());
            }
        }
        return r.name();
    }

    private void entry(String id) {
        if (!entriesRead.add(id)) {
            return;
        }
        count();
        source.entry(id).ifPresent(e -> {
            DirectorySnapshot snapshot = e.snapshot();
            state.apply(DirectoryChanged.upserted(SOURCE, Math.max(1, e.revision()), snapshot));
            e.targets().forEach(this::enqueue);
        });
    }

    private void enqueue(String target) {
        try {
            pending.add(EmailAddress.parse(target));
        } catch (InvalidAddressException e) {
            // the resolver skips a target it cannot parse as well
        }
    }

    private void count() {
        if (++reads > maxReads) {
            throw new TooLarge(maxReads);
        }
    }

    // as mail-core's directory keys: the canonical form up to its last '@' (a quoted local part may contain '@')
    static String localPart(EmailAddress address) {
        String canonical = address.canonical();
        return canonical.substring(0, canonical.lastIndexOf('@'));
    }
}
