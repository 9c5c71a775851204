package mail.directory.account;

import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.directory.adapter.keycloak.KeycloakIdentity;
import mail.directory.adapter.mongo.EntryStore;
import mail.directory.adapter.mongo.MailUsage;
import mail.directory.adapter.mongo.Revisions;
import mail.directory.api.ApiException;
import mail.directory.api.Inputs;
import mail.directory.api.Page;
import mail.directory.config.DirectoryConfig;
import mail.directory.domain.HostedDomains;
import mail.directory.entry.Entry;
import mail.directory.publish.ChangePublisher;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

/**
 * Accounts: a Keycloak user (identity, password, enabled) plus a MongoDB entry (mail attributes). Each change writes
 * one side, then the other, and undoes the first if the second fails, so no half-created account is left behind;
 * directory.changes is published only after both succeeded.
 */
@ApplicationScoped
public class AccountService {
    private static final Logger LOG = Logger.getLogger(AccountService.class);

    private final EntryStore entries;
    private final Revisions revisions;
    private final KeycloakIdentity identity;
    private final ChangePublisher publisher;
    private final HostedDomains hosted;
    private final MailUsage usage;
    private final DirectoryConfig config;
    private final Set<String> creating = ConcurrentHashMap.newKeySet();

    public AccountService(EntryStore entries, Revisions revisions, KeycloakIdentity identity, ChangePublisher publisher,
                          HostedDomains hosted, MailUsage usage, DirectoryConfig config) {
        this.entries = entries;
        this.revisions = revisions;
        this.identity = identity;
        this.publisher = publisher;
        this.hosted = hosted;
        this.usage = usage;
        this.config = config;
    }

    public record CreateAccount(String address, String password, String displayName, Long quotaBytes,
                                Long quotaMessages, Boolean enabled, Boolean saveSentCopy) {
    }

    public record PatchAccount(String password, String displayName, Long quotaBytes, Long quotaMessages,
                               Boolean enabled, Boolean saveSentCopy) {
    }

    public AccountView create(CreateAccount req) {
        if (req == null) {
            throw ApiException.invalid("address", "address is required");
        }
        EmailAddress address = Inputs.address(req.address(), "address");
        requireHosted(address, "address");
        String password = Inputs.password(req.password(), "password", config.minPasswordLength());
        String displayName = Inputs.displayName(req.displayName(), "displayName");
        long quotaBytes = Inputs.nonNegative(req.quotaBytes(), "quotaBytes", config.defaultQuotaBytes());
        Long quotaMessages = req.quotaMessages() == null ? null : Inputs.nonNegative(req.quotaMessages(), "quotaMessages", 0);
        boolean enabled = req.enabled() == null || req.enabled();
        String id = address.canonical();
        creating.add(id);
        try {
            // Keycloak first: its user-name check and password policy are the likelier refusals, and undoing a
            // Keycloak user is one call; the MongoDB insert then decides uniqueness across accounts/aliases/groups
            String keycloakId = identity.createUser(id, password, displayName, enabled);
            Entry entry = new Entry(id, EntityKind.ACCOUNT, address.toString(), address.domain().asciiForm(), 0, false,
                    UUID.randomUUID().toString(), keycloakId, displayName, quotaBytes, quotaMessages, enabled, 1,
                    List.of(), Instant.now(), Boolean.TRUE.equals(req.saveSentCopy()));
            try {
                entry = withRevision(entry, revisions.next(key(id)));
                entries.insert(entry);
            } catch (RuntimeException e) {
                LOG.infof("account %s: MongoDB write failed (%s), removing the Keycloak user again", id, e.getMessage());
                identity.deleteUserQuietly(keycloakId);
                throw e;
            }
        } finally {
            creating.remove(id);
        }
        publisher.publishEntry(id);
        return get(id);
    }

    /** Addresses whose Keycloak user exists before their entry does; the reconciler must not adopt them. */
    public boolean beingCreated(String id) {
        return creating.contains(id);
    }

    public Page<AccountView> list(String domain, String after, int limit) {
        String d = domain == null || domain.isBlank() ? null : Inputs.domain(domain, "domain").asciiForm();
        int n = Page.limit(limit);
        List<Entry> page = entries.list(EntityKind.ACCOUNT, d, after, n + 1);
        List<AccountView> views = new ArrayList<>();
        for (Entry e : page.subList(0, Math.min(n, page.size()))) {
            views.add(view(e, null));
        }
        return new Page<>(views, page.size() > n ? page.get(n - 1).id() : null);
    }

    public AccountView get(String address) {
        Entry e = require(address);
        MailUsage.Usage u = usage.of(e.accountId());
        return view(e, new AccountView.Usage(u.bytes(), u.messages()));
    }

    public AccountView patch(String address, PatchAccount req) {
        Entry e = require(address);
        if (req == null) {
            throw ApiException.invalid("password", "nothing to change");
        }
        String password = req.password() == null ? null : Inputs.password(req.password(), "password", config.minPasswordLength());
        String displayName = req.displayName() == null ? null : Inputs.displayName(req.displayName(), "displayName");
        Long quotaBytes = req.quotaBytes() == null ? null : Inputs.nonNegative(req.quotaBytes(), "quotaBytes", 0);
        Long quotaMessages = req.quotaMessages() == null ? null : Inputs.nonNegative(req.quotaMessages(), "quotaMessages", 0);
        Boolean enabled = req.enabled();
        boolean credentials = password != null || (enabled != null && enabled != e.enabled());

        List<Bson> changes = new ArrayList<>();
        if (req.displayName() != null) {
            changes.add(Updates.set("displayName", displayName));
        }
        if (quotaBytes != null) {
            changes.add(Updates.set("quotaBytes", quotaBytes));
        }
        if (quotaMessages != null) {
            changes.add(Updates.set("quotaMessages", quotaMessages == 0 ? null : quotaMessages));
        }
        if (enabled != null) {
            changes.add(Updates.set("enabled", enabled));
        }
        if (req.saveSentCopy() != null) {
            changes.add(Updates.set("saveSentCopy", req.saveSentCopy()));
        }
        if (credentials) {
            changes.add(Updates.set("credentialsVersion", e.credentialsVersion() + 1));
        }
        if (changes.isEmpty() && password == null) {
            return get(address);
        }
        // MongoDB first: a raised credentials version without the Keycloak change only closes sessions once, while
        // a Keycloak change that MongoDB never learns of would leave sessions of the old password open
        if (!changes.isEmpty() && !entries.update(e.id(), revisions.next(key(e.id())), Updates.combine(changes))) {
            throw ApiException.conflict("concurrent-change", e.address() + " was changed or deleted concurrently; retry");
        }
        try {
            if (password != null) {
                identity.setPassword(e.keycloakId(), password);
            }
            if (enabled != null || req.displayName() != null) {
                identity.update(e.keycloakId(), enabled, displayName);
            }
        } catch (RuntimeException ex) {
            List<Bson> undo = new ArrayList<>(List.of(Updates.set("displayName", e.displayName()),
                    Updates.set("quotaBytes", e.quotaBytes()), Updates.set("quotaMessages", e.quotaMessages()),
                    Updates.set("enabled", e.enabled()), Updates.set("saveSentCopy", e.saveSentCopy())));
            try {
                entries.update(e.id(), revisions.next(key(e.id())), Updates.combine(undo));
            } catch (RuntimeException undoFailed) {
                LOG.errorf("account %s: undoing the MongoDB change failed (%s); the reconciler repairs it",
                        e.id(), undoFailed.getMessage());
            }
            publisher.publishEntry(e.id());
            throw ex;
        }
        publisher.publishEntry(e.id());
        return get(e.id());
    }

    public void delete(String address) {
        Entry e = require(address);
        long revision = revisions.next(key(e.id()));
        entries.markDeleted(e.id(), revision);
        try {
            if (e.keycloakId() != null) {
                identity.deleteUser(e.keycloakId());
            }
        } catch (RuntimeException ex) {
            entries.unmarkDeleted(e.id(), revisions.next(key(e.id())));
            publisher.publishEntry(e.id());
            throw ex;
        }
        // publishing the delete also queues the removal of the account's mail data
        publisher.publishEntry(e.id());
    }

    Entry require(String address) {
        String id = Inputs.address(address, "address").canonical();
        return entries.find(id).filter(x -> x.kind() == EntityKind.ACCOUNT && !x.deleted())
                .orElseThrow(() -> ApiException.notFound("account", id));
    }

    private void requireHosted(EmailAddress address, String field) {
        if (hosted.primaryOf(address.domain().asciiForm()).isEmpty()) {
            throw ApiException.invalid(field, "domain " + address.domain().asciiForm() + " is not hosted here; create it first");
        }
    }

    private static Entry withRevision(Entry e, long revision) {
        return new Entry(e.id(), e.kind(), e.address(), e.domain(), revision, e.deleted(), e.accountId(), e.keycloakId(),
                e.displayName(), e.quotaBytes(), e.quotaMessages(), e.enabled(), e.credentialsVersion(), e.targets(),
                e.createdAt(), e.saveSentCopy());
    }

    static String key(String id) {
        return new DirectoryKey(EntityKind.ACCOUNT, id).compactionKey();
    }

    private static AccountView view(Entry e, AccountView.Usage usage) {
        return new AccountView(e.address(), e.accountId(), e.displayName(), e.quotaBytes(), e.quotaMessages(), e.enabled(),
                e.saveSentCopy(), usage, e.revision(), e.createdAt());
    }
}
