package mail.core.directory;

import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.core.event.DirectorySnapshot;
import mail.core.event.DirectorySnapshot.Account;
import mail.core.event.DirectorySnapshot.Alias;
import mail.core.event.DirectorySnapshot.Group;
import org.jboss.logging.Logger;

/**
 * The local copy of the directory, fed from {@code directory.changes} by one writer and read by many threads.
 *
 * <p>Concurrency: the tables are {@link ConcurrentHashMap}s, so reading them never blocks. A query reads several
 * entries, though, and would see a torn directory if a change landed between two of them; so each change is applied
 * under a {@link StampedLock} write lock (a handful of map operations), and each query runs as an optimistic read
 * that is validated afterwards and, only if a change did land meanwhile, repeated under the read lock. Readers thus
 * wait at most for one change to be applied, and every answer reflects the directory after some prefix of the
 * applied records.
 *
 * <p>Revisions: an event whose revision is not newer than the one applied for its key is a redelivery or a replay
 * and is ignored, as {@link DirectoryChanged} prescribes; a {@code DELETED} event keeps its revision so that a
 * replayed older upsert cannot resurrect the entry. A tombstone always evicts and also forgets the revision: after
 * compaction a fresh copy never sees that key's history either, and a live copy must end up in the same state as a
 * fresh one, including for an entry re-created with a revision that started over. (A replay of that key's older
 * records then shows them again for a moment, until it reaches the tombstone again.)
 *
 * <p>Alias domains: a domain that is primary itself is never rewritten; an alias domain claimed by two primaries
 * (a directory error) belongs to the one whose name sorts first, so that every copy picks the same.
 */
public final class DirectoryState implements Directory {

    /** Aliases and groups expanded within one another, the recipient's own entry counting as the first level. */
    public static final int MAX_DEPTH = 8;
    /** Distinct final recipients of one expansion: enabled and disabled accounts plus remote addresses. */
    public static final int MAX_TARGETS = 1000;

    private static final Logger LOG = Logger.getLogger(DirectoryState.class);

    private final StampedLock lock = new StampedLock();
    private final List<Consumer<Account>> credentialListeners = new CopyOnWriteArrayList<>();

    private final Map<String, DirectorySnapshot.Domain> domains = new ConcurrentHashMap<>();
    private final Map<String, String> aliasDomains = new ConcurrentHashMap<>();
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Alias> aliases = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();

    // only touched under the write lock
    private final Map<StorageKey, Long> revisions = new HashMap<>();
    private final Map<String, TreeSet<String>> aliasDomainClaims = new HashMap<>();

    private volatile long applied;
    private volatile long stale;

    private final Resolver resolver;
    private final Resolver senderResolver;

    /** Without a postmaster fallback: {@code postmaster@} a domain that has no such entry is {@link Resolution.Unknown}. */
    public DirectoryState() {
        this.resolver = new Resolver(new Tables(), null, MAX_DEPTH, MAX_TARGETS);
        this.senderResolver = resolver;
    }

    /**
     * @param postmasterFallback where mail for {@code postmaster@} any local domain goes when the directory has no
     *                           entry for it (RFC 5321 §4.5.1 requires the address to work); resolved like an alias
     *                           target, so it may be local or remote
     */
    public DirectoryState(EmailAddress postmasterFallback) {
        Objects.requireNonNull(postmasterFallback, "postmasterFallback");
        Resolver.Entries tables = new Tables();
        this.resolver = new Resolver(tables, postmasterFallback, MAX_DEPTH, MAX_TARGETS);
        // the fallback is a delivery convenience, not an identity: it authorises nobody to send as postmaster
        this.senderResolver = new Resolver(tables, null, MAX_DEPTH, MAX_TARGETS);
    }

    /**
     * Registers a listener that is told the address of an account whose live sessions and cached password checks
     * are no longer valid: the account was deleted, disabled or re-enabled, its password changed (a new
     * {@link Account#credentialsVersion()}), or its address now belongs to another account id. It runs on the
     * thread that applies changes, after the change is visible to queries, so it must be quick and must not throw
     * (what it throws is logged and ignored).
     */
    public void onCredentialsInvalidated(Consumer<Account> listener) {
        credentialListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @return whether the event changed the state, false for a stale revision */
    public boolean apply(DirectoryChanged event) {
        Objects.requireNonNull(event, "event");
        StorageKey key = StorageKey.of(event.kind(), event.key());
        Account invalidated = null;
        long stamp = lock.writeLock();
        try {
            Long current = revisions.get(key);
            if (current != null && event.revision() <= current) {
                stale++;
                return false;
            }
            revisions.put(key, event.revision());
            Account before = key.kind() == EntityKind.ACCOUNT ? accounts.get(key.key()) : null;
            if (event.operation() == DirectoryChanged.Operation.UPSERTED) {
                put(key.key(), event.snapshot());
                if (before != null && ((Account) event.snapshot()).invalidatesCredentialsOf(before)) {
                    invalidated = before;
                }
            } else {
                remove(key);
                invalidated = before;
            }
            applied++;
        } finally {
            lock.unlockWrite(stamp);
        }
        notifyInvalidated(invalidated);
        return true;
    }

    /** Evicts the entry whatever its revision: a tombstone is the last record of a key until it is re-created. */
    public void applyTombstone(DirectoryKey key) {
        Objects.requireNonNull(key, "key");
        StorageKey storageKey = StorageKey.of(key.kind(), key.key());
        Account invalidated;
        long stamp = lock.writeLock();
        try {
            invalidated = storageKey.kind() == EntityKind.ACCOUNT ? accounts.get(storageKey.key()) : null;
            revisions.remove(storageKey);
            remove(storageKey);
            applied++;
        } finally {
            lock.unlockWrite(stamp);
        }
        notifyInvalidated(invalidated);
    }

    private void notifyInvalidated(Account account) {
        if (account == null) {
            return;
        }
        for (Consumer<Account> listener : credentialListeners) {
            try {
                listener.accept(account);
            } catch (RuntimeException e) {
                LOG.warn("credentials listener failed", e);
            }
        }
    }

    /** Records ignored because their revision was not newer than the applied one. */
    public long staleRecords() {
        return stale;
    }

    @Override
    public boolean isLocalDomain(Domain domain) {
        Objects.requireNonNull(domain, "domain");
        return read(() -> primaryDomain(domain.asciiForm()) != null);
    }

    @Override
    public Resolution resolve(EmailAddress recipient) {
        Objects.requireNonNull(recipient, "recipient");
        return read(() -> resolver.resolve(recipient));
    }

    @Override
    public Optional<Account> account(String address) {
        Objects.requireNonNull(address, "address");
        String key = Keys.address(address);
        return Optional.ofNullable(accounts.get(key)); // one map read is atomic on its own
    }

    @Override
    public boolean mayUseSender(String accountAddress, EmailAddress sender) {
        Objects.requireNonNull(accountAddress, "accountAddress");
        Objects.requireNonNull(sender, "sender");
        String accountKey = Keys.address(accountAddress);
        return read(() -> {
            Account account = accounts.get(accountKey);
            if (account == null || !account.enabled()) {
                return false;
            }
            DirectorySnapshot entry = senderResolver.find(sender);
            if (entry instanceof Account owner) {
                return owner.accountId().equals(account.accountId());
            }
            if (entry instanceof Alias alias) {
                Resolver.Expansion expansion = senderResolver.expand(alias);
                return !expansion.failed() && expansion.localAccountIds().equals(Set.of(account.accountId()));
            }
            return false;
        });
    }

    @Override
    public int size() {
        return read(() -> domains.size() + accounts.size() + aliases.size() + groups.size());
    }

    @Override
    public long appliedRecords() {
        return applied;
    }

    private <T> T read(Supplier<T> query) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                T result = query.get();
                if (lock.validate(stamp)) {
                    return result;
                }
            } catch (RuntimeException e) {
                // a torn view may trip code that is sound on a consistent one; only a consistent failure counts
                if (lock.validate(stamp)) {
                    throw e;
                }
            }
        }
        stamp = lock.readLock();
        try {
            return query.get();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    // Not a DirectoryKey: that one validates, and nothing about a key may make apply() throw on the writer thread.
    private record StorageKey(EntityKind kind, String key) {

        static StorageKey of(EntityKind kind, String key) {
            return new StorageKey(kind, kind == EntityKind.DOMAIN ? Keys.domain(key) : Keys.address(key));
        }
    }

    private void put(String key, DirectorySnapshot snapshot) {
        if (snapshot instanceof DirectorySnapshot.Domain domain) {
            Set<String> before = aliasDomainsOf(domains.put(key, domain), key);
            Set<String> after = aliasDomainsOf(domain, key);
            before.stream().filter(alias -> !after.contains(alias)).forEach(alias -> unclaim(alias, key));
            after.stream().filter(alias -> !before.contains(alias)).forEach(alias -> claim(alias, key));
        } else if (snapshot instanceof Account account) {
            accounts.put(key, account);
        } else if (snapshot instanceof Alias alias) {
            aliases.put(key, alias);
        } else if (snapshot instanceof Group group) {
            groups.put(key, group);
        }
    }

    private void remove(StorageKey key) {
        switch (key.kind()) {
            case DOMAIN -> aliasDomainsOf(domains.remove(key.key()), key.key())
                    .forEach(alias -> unclaim(alias, key.key()));
            case ACCOUNT -> accounts.remove(key.key());
            case ALIAS -> aliases.remove(key.key());
            case GROUP -> groups.remove(key.key());
        }
    }

    private static Set<String> aliasDomainsOf(DirectorySnapshot.Domain domain, String primary) {
        Set<String> names = new LinkedHashSet<>();
        if (domain != null) {
            for (String alias : domain.aliasDomains()) {
                names.add(Keys.domain(alias));
            }
            names.remove(primary);
        }
        return names;
    }

    private void claim(String alias, String primary) {
        TreeSet<String> claims = aliasDomainClaims.computeIfAbsent(alias, a -> new TreeSet<>());
        claims.add(primary);
        aliasDomains.put(alias, claims.first());
    }

    private void unclaim(String alias, String primary) {
        TreeSet<String> claims = aliasDomainClaims.get(alias);
        if (claims == null) {
            return;
        }
        claims.remove(primary);
        if (claims.isEmpty()) {
            aliasDomainClaims.remove(alias);
            aliasDomains.remove(alias);
        } else {
            aliasDomains.put(alias, claims.first());
        }
    }

    private String primaryDomain(String domain) {
        return domains.containsKey(domain) ? domain : aliasDomains.get(domain);
    }

    private final class Tables implements Resolver.Entries {

        @Override
        public String primaryDomain(String domain) {
            return DirectoryState.this.primaryDomain(domain);
        }

        @Override
        public DirectorySnapshot entry(String address) {
            DirectorySnapshot entry = accounts.get(address);
            if (entry == null) {
                entry = aliases.get(address);
            }
            if (entry == null) {
                entry = groups.get(address);
            }
            return entry;
        }

        @Override
        public String catchAll(String primaryDomain) {
            DirectorySnapshot.Domain domain = domains.get(primaryDomain);
            return domain == null ? null : domain.catchAll();
        }
    }
}
