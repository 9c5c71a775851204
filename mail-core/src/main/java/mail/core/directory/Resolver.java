package mail.core.directory;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.core.event.DirectorySnapshot;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.DirectorySnapshot.Alias;
import mail.core.event.DirectorySnapshot.Group;
import mail.core.text.LogText;

/**
 * Recipient resolution over a read-only view of the tables. It may run against tables that change underneath it
 * (an optimistic read whose result is then thrown away), so it must cope with any combination of entries without
 * throwing or looping: every lookup may miss, and the walk is bounded by its visited set and the limits.
 */
final class Resolver {

    private static final int MAX_ECHOED_CHARS = 100;

    /** The tables as the resolver needs them; all keys are in {@link Keys} form. */
    interface Entries {

        /** The primary domain {@code domain} belongs to (itself if primary), or null if it is not ours. */
        String primaryDomain(String domain);

        /** The account, alias or group at this address, in that order of precedence, or null. */
        DirectorySnapshot entry(String address);

        /** The catch-all target of this primary domain, or null. */
        String catchAll(String primaryDomain);
    }

    private final Entries entries;
    private final EmailAddress postmasterFallback;
    private final int maxDepth;
    private final int maxTargets;

    Resolver(Entries entries, EmailAddress postmasterFallback, int maxDepth, int maxTargets) {
        this.entries = entries;
        this.postmasterFallback = postmasterFallback;
        this.maxDepth = maxDepth;
        this.maxTargets = maxTargets;
    }

    Resolution resolve(EmailAddress recipient) {
        if (!(recipient.domain() instanceof Domain domain)) {
            return new Resolution.NotLocal(); // we host no address literals
        }
        String primary = entries.primaryDomain(domain.asciiForm());
        if (primary == null) {
            return new Resolution.NotLocal();
        }
        Expansion expansion = new Expansion();
        DirectorySnapshot entry = find(recipient, domain.asciiForm(), primary);
        String catchAll;
        if (entry != null) {
            node(expansion, entry, 0);
        } else if ((catchAll = entries.catchAll(primary)) != null) {
            // the catch-all is the domain's own explicit rule, so it wins over the implicit postmaster fallback; a
            // catch-all target that does not exist itself is not caught again, which keeps the walk finite
            target(expansion, catchAll, 0);
        } else if (postmasterFallback != null && Keys.isPostmaster(recipient)) {
            target(expansion, postmasterFallback, 0, false);
        } else {
            return new Resolution.Unknown();
        }
        drain(expansion);
        return expansion.toResolution();
    }

    /** The entry {@code address} resolves to by the lookup rules, ignoring the postmaster fallback; null if none. */
    DirectorySnapshot find(EmailAddress address) {
        if (!(address.domain() instanceof Domain domain)) {
            return null;
        }
        String primary = entries.primaryDomain(domain.asciiForm());
        return primary == null ? null : find(address, domain.asciiForm(), primary);
    }

    Expansion expand(DirectorySnapshot root) {
        Expansion expansion = new Expansion();
        node(expansion, root, 0);
        drain(expansion);
        return expansion;
    }

    // Postfix's order for virtual aliases: the domain as written first, so that an explicit entry on an alias
    // domain wins over the rewrite to the primary domain.
    private DirectorySnapshot find(EmailAddress address, String domain, String primary) {
        String local = Keys.localPart(address);
        String base = address.tag().isPresent() ? Keys.localPart(address.baseAddress()) : null;
        DirectorySnapshot entry = find(local, base, domain);
        if (entry == null && !domain.equals(primary)) {
            entry = find(local, base, primary);
        }
        return entry;
    }

    private DirectorySnapshot find(String local, String base, String domain) {
        DirectorySnapshot entry = entries.entry(local + "@" + domain);
        if (entry == null && base != null) {
            entry = entries.entry(base + "@" + domain);
        }
        return entry;
    }

    // Breadth-first, so that the depth of an entry is its shortest distance from the root: an entry that is also
    // reachable through a long detour does not trip the depth limit.
    private void drain(Expansion expansion) {
        Pending next;
        while (expansion.failure == null && (next = expansion.pending.poll()) != null) {
            for (String target : members(next.entry())) {
                target(expansion, target, next.depth());
                if (expansion.failure != null) {
                    return;
                }
            }
        }
    }

    private static List<String> members(DirectorySnapshot entry) {
        if (entry instanceof Alias alias) {
            return alias.targets();
        }
        if (entry instanceof Group group) {
            return group.members();
        }
        return List.of();
    }

    private void target(Expansion expansion, String target, int depth) {
        EmailAddress address;
        try {
            address = EmailAddress.parse(target);
        } catch (InvalidAddressException e) {
            return; // directory-service validates targets; one that slipped through must not block the others
        }
        target(expansion, address, depth, true);
    }

    private void target(Expansion expansion, EmailAddress address, int depth, boolean mayFallBack) {
        String primary = address.domain() instanceof Domain domain ? entries.primaryDomain(domain.asciiForm()) : null;
        if (primary == null) {
            expansion.remote.add(address.toString());
            checkSize(expansion);
            return;
        }
        DirectorySnapshot entry = find(address, address.domain().asciiForm(), primary);
        if (entry != null) {
            node(expansion, entry, depth);
        } else if (mayFallBack && postmasterFallback != null && Keys.isPostmaster(address)) {
            target(expansion, postmasterFallback, depth, false);
        }
        // else: a target that was deleted; the rest of the list still gets the mail
    }

    private void node(Expansion expansion, DirectorySnapshot entry, int depth) {
        if (entry instanceof Account account) {
            (account.enabled() ? expansion.enabled : expansion.disabled).putIfAbsent(account.accountId(), account);
            checkSize(expansion);
        } else if (entry instanceof Alias || entry instanceof Group) {
            if (!expansion.expanded.add(Keys.address(entry.key()))) {
                return; // a cycle, or a diamond whose other path got here first
            }
            if (depth + 1 > maxDepth) {
                expansion.failure = new Resolution.Unresolvable(Resolution.Problem.TOO_DEEP,
                        LogText.quote(entry.key(), MAX_ECHOED_CHARS) + " is nested more than " + maxDepth
                                + " aliases/groups deep");
                return;
            }
            expansion.pending.add(new Pending(entry, depth + 1));
        }
    }

    private void checkSize(Expansion expansion) {
        if (expansion.size() > maxTargets) {
            expansion.failure = new Resolution.Unresolvable(Resolution.Problem.TOO_MANY_TARGETS,
                    "expansion exceeds " + maxTargets + " recipients");
        }
    }

    private record Pending(DirectorySnapshot entry, int depth) {
    }

    /** The outcome of one walk; mutable while the walk runs, then only read. */
    static final class Expansion {

        private final Map<String, Account> enabled = new LinkedHashMap<>();
        private final Map<String, Account> disabled = new LinkedHashMap<>();
        private final Set<String> remote = new LinkedHashSet<>();
        private final Set<String> expanded = new HashSet<>();
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private Resolution.Unresolvable failure;

        boolean failed() {
            return failure != null;
        }

        /** Account ids of every local mailbox reached, enabled or not. */
        Set<String> localAccountIds() {
            Set<String> ids = new LinkedHashSet<>(enabled.keySet());
            ids.addAll(disabled.keySet());
            return ids;
        }

        private int size() {
            return enabled.size() + disabled.size() + remote.size();
        }

        Resolution toResolution() {
            if (failure != null) {
                return failure;
            }
            if (!enabled.isEmpty() || !remote.isEmpty()) {
                return new Resolution.Deliverable(List.copyOf(enabled.values()), List.copyOf(remote));
            }
            if (!disabled.isEmpty()) {
                return new Resolution.Disabled(List.copyOf(disabled.values()));
            }
            return new Resolution.Unresolvable(Resolution.Problem.NO_TARGETS,
                    "the aliases and groups reached lead to no mailbox");
        }
    }
}
