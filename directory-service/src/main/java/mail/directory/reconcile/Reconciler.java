package mail.directory.reconcile;

import com.mongodb.client.model.Updates;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.address.InvalidAddressException;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.directory.account.AccountService;
import mail.directory.adapter.keycloak.KeycloakIdentity;
import mail.directory.adapter.mongo.EntryStore;
import mail.directory.adapter.mongo.Revisions;
import mail.directory.config.DirectoryConfig;
import mail.directory.domain.HostedDomains;
import mail.directory.entry.Entry;
import mail.directory.publish.ChangePublisher;
import org.jboss.logging.Logger;

/**
 * Keycloak is the source of truth for identity. Users created there directly (with an address in a hosted domain as
 * user name) become accounts; users enabled or disabled there, or re-created under a new id, change the account
 * (and its credentials version, so sessions close); users deleted there delete the account.
 */
@ApplicationScoped
public class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int PAGE = 200;

    private final KeycloakIdentity identity;
    private final EntryStore entries;
    private final Revisions revisions;
    private final ChangePublisher publisher;
    private final HostedDomains hosted;
    private final AccountService accounts;
    private final DirectoryConfig config;

    public Reconciler(KeycloakIdentity identity, EntryStore entries, Revisions revisions, ChangePublisher publisher,
                      HostedDomains hosted, AccountService accounts, DirectoryConfig config) {
        this.identity = identity;
        this.entries = entries;
        this.revisions = revisions;
        this.publisher = publisher;
        this.hosted = hosted;
        this.accounts = accounts;
        this.config = config;
    }

    public record Report(int adopted, int enabledChanged, int reassigned, int removed, int skipped) {
    }

    @Scheduled(every = "${mail.directory.reconcile-interval:60s}", delay = 10,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            Report r = reconcile();
            if (r.adopted() + r.enabledChanged() + r.reassigned() + r.removed() > 0) {
                LOG.infof("reconciled with Keycloak: %s", r);
            }
        } catch (RuntimeException e) {
            LOG.warnf("reconciling with Keycloak failed, will retry: %s", e.getMessage());
        }
    }

    public synchronized Report reconcile() {
        long graceStart = Instant.now().minus(config.reconcileGrace()).toEpochMilli();
        int adopted = 0;
        int enabledChanged = 0;
        int reassigned = 0;
        int skipped = 0;
        Set<String> seenIds = new HashSet<>();
        for (int first = 0; ; first += PAGE) {
            List<KeycloakIdentity.User> users = identity.page(first, PAGE);
            for (KeycloakIdentity.User u : users) {
                seenIds.add(u.id());
                Optional<EmailAddress> address = address(u.username());
                if (address.isEmpty() || hosted.primaryOf(address.get().domain().asciiForm()).isEmpty()) {
                    continue; // the admin user, service accounts, users of domains we do not host
                }
                String id = address.get().canonical();
                Optional<Entry> entry = entries.find(id);
                if (entry.isEmpty()) {
                    if (accounts.beingCreated(id) || u.createdTimestamp() > graceStart) {
                        skipped++;
                        continue;
                    }
                    adopt(address.get(), u);
                    adopted++;
                    continue;
                }
                Entry e = entry.get();
                if (e.kind() != EntityKind.ACCOUNT || e.deleted()) {
                    if (e.kind() != EntityKind.ACCOUNT) {
                        LOG.warnf("Keycloak user %s has the address of an existing %s; not adopted", id, e.kind());
                    }
                    skipped++;
                    continue;
                }
                if (!u.id().equals(e.keycloakId())) {
                    update(e, Updates.combine(Updates.set("keycloakId", u.id()), Updates.set("enabled", u.enabled())));
                    reassigned++;
                } else if (u.enabled() != e.enabled()) {
                    update(e, Updates.set("enabled", u.enabled()));
                    enabledChanged++;
                }
            }
            if (users.size() < PAGE) {
                break;
            }
        }
        int removed = 0;
        for (Entry e : entries.accounts()) {
            if (e.deleted() || e.keycloakId() == null || seenIds.contains(e.keycloakId())
                    || e.createdAt().toEpochMilli() > graceStart) {
                continue;
            }
            // confirm with a direct read: the user may have been created after its page was listed
            if (identity.find(e.keycloakId()).isEmpty()) {
                entries.markDeleted(e.id(), revisions.next(key(e.id())));
                publisher.publishEntry(e.id());
                removed++;
            }
        }
        return new Report(adopted, enabledChanged, reassigned, removed, skipped);
    }

    private void adopt(EmailAddress address, KeycloakIdentity.User u) {
        String id = address.canonical();
        entries.insert(new Entry(id, EntityKind.ACCOUNT, address.toString(), address.domain().asciiForm(),
                revisions.next(key(id)), false, UUID.randomUUID().toString(), u.id(), null, config.defaultQuotaBytes(),
                null, u.enabled(), 1, List.of(), Instant.now()));
        publisher.publishEntry(id);
    }

    private void update(Entry e, org.bson.conversions.Bson change) {
        entries.update(e.id(), revisions.next(key(e.id())),
                Updates.combine(change, Updates.set("credentialsVersion", e.credentialsVersion() + 1)));
        publisher.publishEntry(e.id());
    }

    private static Optional<EmailAddress> address(String username) {
        if (username == null || username.indexOf('@') < 0) {
            return Optional.empty();
        }
        try {
            EmailAddress a = EmailAddress.parse(username);
            return a.domain() instanceof Domain ? Optional.of(a) : Optional.empty();
        } catch (InvalidAddressException e) {
            return Optional.empty();
        }
    }

    private static String key(String id) {
        return new DirectoryKey(EntityKind.ACCOUNT, id).compactionKey();
    }
}
