package mail.directory.forwarding;

import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mail.core.address.EmailAddress;
import mail.core.event.DirectoryChanged.EntityKind;
import mail.core.event.DirectoryKey;
import mail.directory.adapter.mongo.EntryStore;
import mail.directory.adapter.mongo.Revisions;
import mail.directory.api.ApiException;
import mail.directory.api.Inputs;
import mail.directory.api.Page;
import mail.directory.config.DirectoryConfig;
import mail.directory.domain.HostedDomains;
import mail.directory.entry.Entry;
import mail.directory.publish.ChangePublisher;

/**
 * Aliases (an address forwarding to one or more targets) and groups (distribution lists, possibly empty). Targets
 * may be remote; a local target must exist when it is added, so a typo is refused instead of silently dropping mail.
 */
@ApplicationScoped
public class ForwardingService {
    private final EntryStore entries;
    private final Revisions revisions;
    private final ChangePublisher publisher;
    private final HostedDomains hosted;
    private final DirectoryConfig config;

    public ForwardingService(EntryStore entries, Revisions revisions, ChangePublisher publisher, HostedDomains hosted,
                             DirectoryConfig config) {
        this.entries = entries;
        this.revisions = revisions;
        this.publisher = publisher;
        this.hosted = hosted;
        this.config = config;
    }

    public ForwardView create(EntityKind kind, String rawAddress, List<String> rawTargets) {
        EmailAddress address = Inputs.address(rawAddress, "address");
        if (hosted.primaryOf(address.domain().asciiForm()).isEmpty()) {
            throw ApiException.invalid("address", "domain " + address.domain().asciiForm() + " is not hosted here; create it first");
        }
        String id = address.canonical();
        List<String> targets = targets(kind, id, rawTargets, true, List.of(), List.of());
        long revision = revisions.next(key(kind, id));
        entries.insert(new Entry(id, kind, address.toString(), address.domain().asciiForm(), revision, false, null, null,
                null, 0, null, true, 0, targets, Instant.now()));
        publisher.publishEntry(id);
        return get(kind, id);
    }

    public Page<ForwardView> list(EntityKind kind, String domain, String after, int limit) {
        String d = domain == null || domain.isBlank() ? null : Inputs.domain(domain, "domain").asciiForm();
        int n = Page.limit(limit);
        List<Entry> page = entries.list(kind, d, after, n + 1);
        List<ForwardView> views = page.subList(0, Math.min(n, page.size())).stream().map(ForwardingService::view).toList();
        return new Page<>(views, page.size() > n ? page.get(n - 1).id() : null);
    }

    public ForwardView get(EntityKind kind, String address) {
        return view(require(kind, address));
    }

    /** Replaces the whole list ({@code targets}), or adds and removes some ({@code add}, {@code remove}). */
    public ForwardView update(EntityKind kind, String address, List<String> replace, List<String> add, List<String> remove) {
        Entry e = require(kind, address);
        List<String> targets;
        if (replace != null) {
            targets = targets(kind, e.id(), replace, true, List.of(), List.of());
        } else {
            targets = targets(kind, e.id(), e.targets(), false, add == null ? List.of() : add, remove == null ? List.of() : remove);
        }
        if (!entries.update(e.id(), revisions.next(key(kind, e.id())), Updates.set("targets", targets))) {
            throw ApiException.conflict("concurrent-change", e.address() + " was changed or deleted concurrently; retry");
        }
        publisher.publishEntry(e.id());
        return get(kind, e.id());
    }

    public void delete(EntityKind kind, String address) {
        Entry e = require(kind, address);
        entries.markDeleted(e.id(), revisions.next(key(kind, e.id())));
        publisher.publishEntry(e.id());
    }

    private Entry require(EntityKind kind, String address) {
        String id = Inputs.address(address, "address").canonical();
        return entries.find(id).filter(x -> x.kind() == kind && !x.deleted())
                .orElseThrow(() -> ApiException.notFound(kind.name().toLowerCase(), id));
    }

    // Existing targets are not checked again: one deleted since must not block changing the others.
    private List<String> targets(EntityKind kind, String self, List<String> base, boolean checkBase, List<String> add,
                                 List<String> remove) {
        String field = kind == EntityKind.ALIAS ? "targets" : "members";
        if (base == null) {
            throw ApiException.invalid(field, field + " is required");
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String> incoming = new ArrayList<>(base);
        incoming.addAll(add);
        for (int i = 0; i < incoming.size(); i++) {
            String f = i < base.size() ? field + "[" + i + "]" : "add[" + (i - base.size()) + "]";
            EmailAddress t = Inputs.address(incoming.get(i), f);
            String canonical = t.canonical();
            if (canonical.equals(self)) {
                throw ApiException.invalid(f, "an address cannot forward to itself");
            }
            if (!out.containsKey(canonical) && (checkBase || i >= base.size()) && hosted.primaryOf(t.domain().asciiForm()).isPresent()
                    && entries.find(canonical).filter(x -> !x.deleted()).isEmpty()) {
                throw ApiException.invalid(f, t + " is in a local domain but no such account, alias or group exists");
            }
            out.putIfAbsent(canonical, t.toString());
        }
        for (int i = 0; i < remove.size(); i++) {
            String canonical = Inputs.address(remove.get(i), "remove[" + i + "]").canonical();
            if (out.remove(canonical) == null) {
                throw ApiException.invalid("remove[" + i + "]", remove.get(i) + " is not a member");
            }
        }
        if (out.size() > config.maxTargets()) {
            throw ApiException.invalid(field, "at most " + config.maxTargets() + " " + field + " allowed");
        }
        if (kind == EntityKind.ALIAS && out.isEmpty()) {
            throw ApiException.invalid(field, "an alias needs at least one target; delete it instead");
        }
        return List.copyOf(out.values());
    }

    private static String key(EntityKind kind, String id) {
        return new DirectoryKey(kind, id).compactionKey();
    }

    private static ForwardView view(Entry e) {
        return new ForwardView(e.address(), e.targets(), e.revision(), e.createdAt());
    }
}
