package mail.directory.lookup;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.directory.DirectoryState;
import mail.core.directory.Resolution;
import mail.directory.adapter.mongo.DomainStore;
import mail.directory.adapter.mongo.EntryStore;
import mail.directory.domain.DomainRecord;
import mail.directory.entry.Entry;

/**
 * Answers the questions the mail services ask their directory cache (where does this recipient go, may this account
 * send as that address) straight from MongoDB, for a service whose cache is not loaded yet. Deleted entries whose
 * deletion is not published yet already count as gone: this is the newer truth.
 */
@ApplicationScoped
public class DirectoryLookup {
    /** Reads one lookup may make: enough for the resolver's 1000 targets plus the aliases and groups between them. */
    static final int MAX_READS = 4 * DirectoryState.MAX_TARGETS + 100;

    /** What a recipient resolves to; the names are the contract of the internal API. */
    public enum Outcome {
        NOT_LOCAL, UNKNOWN, DELIVERABLE, DISABLED, UNRESOLVABLE
    }

    public record RecipientAnswer(String address, boolean localDomain, Outcome result, boolean temporary) {
    }

    public record SenderAnswer(String account, String address, boolean allowed) {
    }

    private final DirectorySlice.Source source;

    public DirectoryLookup(DomainStore domains, EntryStore entries) {
        this.source = new DirectorySlice.Source() {
            @Override
            public Optional<DomainRecord> hostingDomain(String name) {
                return domains.hostingPrimary(name).flatMap(domains::primary).filter(d -> !d.deleted());
            }

            @Override
            public Optional<Entry> entry(String id) {
                return entries.find(id).filter(e -> !e.deleted());
            }
        };
    }

    public RecipientAnswer recipient(EmailAddress address) {
        DirectoryState state;
        try {
            state = new DirectorySlice(source, MAX_READS).load(List.of(address));
        } catch (DirectorySlice.TooLarge e) {
            return new RecipientAnswer(address.canonical(), true, Outcome.UNRESOLVABLE, true);
        }
        boolean local = address.domain() instanceof Domain d && state.isLocalDomain(d);
        Resolution r = state.resolve(address);
        String canonical = address.canonical();
        if (r instanceof Resolution.Deliverable) {
            return new RecipientAnswer(canonical, local, Outcome.DELIVERABLE, false);
        }
        if (r instanceof Resolution.NotLocal) {
            return new RecipientAnswer(canonical, false, Outcome.NOT_LOCAL, false);
        }
        if (r instanceof Resolution.Unknown) {
            return new RecipientAnswer(canonical, local, Outcome.UNKNOWN, false);
        }
        if (r instanceof Resolution.Disabled) {
            return new RecipientAnswer(canonical, local, Outcome.DISABLED, false);
        }
        return new RecipientAnswer(canonical, local, Outcome.UNRESOLVABLE, ((Resolution.Unresolvable) r).temporary());
    }

    public SenderAnswer sender(EmailAddress account, EmailAddress sender) {
        boolean allowed;
        try {
            DirectoryState state = new DirectorySlice(source, MAX_READS).load(List.of(account, sender));
            // only an account's own login name identifies it, as in the services' caches
            allowed = state.account(account.canonical()).isPresent() && state.mayUseSender(account.canonical(), sender);
        } catch (DirectorySlice.TooLarge e) {
            allowed = false;
        }
        return new SenderAnswer(account.canonical(), sender.canonical(), allowed);
    }
}
