package mail.directory.domain;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.directory.adapter.keycloak.KeycloakIdentity;
import mail.directory.adapter.mongo.DomainStore;
import mail.directory.adapter.mongo.EntryStore;
import mail.directory.adapter.mongo.Revisions;
import mail.directory.api.ApiException;
import mail.directory.api.Inputs;
import mail.directory.dkim.DkimKey;
import mail.directory.dkim.DkimKeys;
import mail.directory.entry.Entry;
import mail.directory.publish.ChangePublisher;

/** Domains: create, alias domains, catch-all, DKIM rotation, delete (refused while addresses exist unless forced). */
@ApplicationScoped
public class DomainService {
    /** Generations of DKIM keys kept: the newest signs, the previous one stays published until mail in flight ages. */
    static final int DKIM_GENERATIONS = 2;

    private final DomainStore domains;
    private final EntryStore entries;
    private final Revisions revisions;
    private final ChangePublisher publisher;
    private final DkimKeys dkim;
    private final HostedDomains hosted;
    private final KeycloakIdentity identity;

    public DomainService(DomainStore domains, EntryStore entries, Revisions revisions, ChangePublisher publisher,
                         DkimKeys dkim, HostedDomains hosted, KeycloakIdentity identity) {
        this.domains = domains;
        this.entries = entries;
        this.revisions = revisions;
        this.publisher = publisher;
        this.dkim = dkim;
        this.hosted = hosted;
        this.identity = identity;
    }

    public record CreateDomain(String name, List<String> aliasDomains, String catchAll) {
    }

    public DomainView create(CreateDomain req) {
        if (req == null) {
            throw ApiException.invalid("name", "name is required");
        }
        Domain name = Inputs.domain(req.name(), "name");
        List<String> aliases = aliasNames(req.aliasDomains(), name.asciiForm());
        String catchAll = catchAll(req.catchAll(), name.asciiForm(), aliases);
        Instant now = Instant.now();
        long revision = revisions.next(key(name.asciiForm()));
        DomainRecord record = new DomainRecord(name.asciiForm(), name.unicodeForm(), aliases, catchAll,
                dkim.generate(name.asciiForm(), now), revision, false, now);
        domains.insert(record);
        List<String> inserted = new ArrayList<>();
        try {
            for (String alias : aliases) {
                domains.insertAlias(alias, name.asciiForm());
                inserted.add(alias);
            }
        } catch (RuntimeException e) {
            // no half-created domain: take back the aliases and the domain document
            inserted.forEach(domains::deleteAlias);
            domains.discard(name.asciiForm());
            throw e;
        }
        hosted.invalidate();
        publisher.publishDomain(name.asciiForm());
        return view(require(name.asciiForm()));
    }

    public List<DomainView> list() {
        return domains.primaries().stream().map(this::view).toList();
    }

    public DomainView get(String name) {
        return view(require(canonical(name)));
    }

    public DomainView addAlias(String name, String aliasName) {
        DomainRecord d = require(canonical(name));
        String alias = aliasNames(List.of(aliasName == null ? "" : aliasName), d.name()).get(0);
        domains.insertAlias(alias, d.name());
        List<String> all = new ArrayList<>(d.aliasDomains());
        all.add(alias);
        domains.setAliasDomains(d.name(), all, revisions.next(key(d.name())));
        hosted.invalidate();
        publisher.publishDomain(d.name());
        return view(require(d.name()));
    }

    public DomainView removeAlias(String name, String aliasName) {
        DomainRecord d = require(canonical(name));
        String alias = Inputs.domain(aliasName, "alias").asciiForm();
        if (!d.aliasDomains().contains(alias)) {
            throw ApiException.notFound("alias domain", alias + " of " + d.name());
        }
        if (entries.countInDomain(alias) > 0) {
            throw ApiException.conflict("domain-not-empty", "addresses exist in " + alias + "; delete them first");
        }
        List<String> all = new ArrayList<>(d.aliasDomains());
        all.remove(alias);
        domains.setAliasDomains(d.name(), all, revisions.next(key(d.name())));
        domains.deleteAlias(alias);
        hosted.invalidate();
        publisher.publishDomain(d.name());
        return view(require(d.name()));
    }

    public DomainView setCatchAll(String name, String target) {
        DomainRecord d = require(canonical(name));
        String catchAll = target == null ? null : catchAll(target, d.name(), d.aliasDomains());
        if (target != null && catchAll == null) {
            throw ApiException.invalid("target", "target is required");
        }
        domains.setCatchAll(d.name(), catchAll, revisions.next(key(d.name())));
        publisher.publishDomain(d.name());
        return view(require(d.name()));
    }

    public DomainView rotateDkim(String name) {
        DomainRecord d = require(canonical(name));
        List<DkimKey> keys = new ArrayList<>(dkim.generate(d.name(), Instant.now()));
        int keep = (DKIM_GENERATIONS - 1) * 2;
        keys.addAll(d.dkimKeys().subList(0, Math.min(keep, d.dkimKeys().size())));
        domains.setDkim(d.name(), keys, revisions.next(key(d.name())));
        return view(require(d.name()));
    }

    public void delete(String name, boolean force) {
        DomainRecord d = require(canonical(name));
        Set<String> all = new LinkedHashSet<>(d.aliasDomains());
        all.add(d.name());
        List<Entry> inside = new ArrayList<>();
        for (String n : all) {
            inside.addAll(entries.inDomain(n));
        }
        if (!inside.isEmpty() && !force) {
            throw ApiException.conflict("domain-not-empty", d.name() + " still has " + inside.size()
                    + " accounts, aliases or groups; delete them first or use ?force=true");
        }
        for (Entry e : inside) {
            if (e.kind() == EntityKind.ACCOUNT && e.keycloakId() != null) {
                identity.deleteUser(e.keycloakId());
            }
            entries.markDeleted(e.id(), revisions.next(new DirectoryKey(e.kind(), e.id()).compactionKey()));
            publisher.publishEntry(e.id());
        }
        domains.markDeleted(d.name(), revisions.next(key(d.name())));
        hosted.invalidate();
        publisher.publishDomain(d.name());
    }

    public DomainRecord require(String asciiName) {
        return domains.primary(asciiName).filter(d -> !d.deleted())
                .orElseThrow(() -> ApiException.notFound("domain", asciiName));
    }

    public static String canonical(String name) {
        return Inputs.domain(name, "name").asciiForm();
    }

    private static String key(String name) {
        return new DirectoryKey(EntityKind.DOMAIN, name).compactionKey();
    }

    private static List<String> aliasNames(List<String> names, String primary) {
        if (names == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String a = Inputs.domain(names.get(i), "aliasDomains[" + i + "]").asciiForm();
            if (a.equals(primary)) {
                throw ApiException.invalid("aliasDomains[" + i + "]", "a domain cannot be an alias of itself");
            }
            out.add(a);
        }
        return List.copyOf(out);
    }

    private String catchAll(String target, String domain, List<String> aliases) {
        if (target == null || target.isBlank()) {
            return null;
        }
        EmailAddress address = Inputs.address(target, "catchAll");
        String targetDomain = address.domain().asciiForm();
        Set<String> own = new HashSet<>(aliases);
        own.add(domain);
        boolean local = own.contains(targetDomain) || hosted.primaryOf(targetDomain).isPresent();
        if (local && entries.find(address.canonical()).filter(e -> !e.deleted()).isEmpty()) {
            throw ApiException.invalid("catchAll", "catch-all target " + address + " does not exist; create it first");
        }
        return address.toString();
    }

    private DomainView view(DomainRecord d) {
        List<DomainView.DkimPublicKey> keys = new ArrayList<>();
        Set<String> activeAlgorithms = new HashSet<>();
        for (DkimKey k : d.dkimKeys()) {
            keys.add(new DomainView.DkimPublicKey(k.selector(), k.algorithm(), k.publicKey(), k.createdAt(),
                    activeAlgorithms.add(k.algorithm())));
        }
        long count = entries.countInDomain(d.name());
        for (String a : d.aliasDomains()) {
            count += entries.countInDomain(a);
        }
        return new DomainView(d.name(), d.unicodeName(), d.aliasDomains(), d.catchAll(), keys, count, d.revision(),
                d.createdAt());
    }
}
