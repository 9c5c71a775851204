package mail.core.directory;

import java.util.Optional;
import mail.core.address.Domain;
import mail.core.address.EmailAddress;
import mail.core.event.DirectorySnapshot;

/**
 * Read side of the local directory copy. Local parts are matched case-insensitively (see
 * {@link EmailAddress#canonical()}), domains canonically. Each call sees the directory as of one moment: a change
 * applied concurrently is either entirely visible to it or not at all.
 */
public interface Directory {

    /** Whether the domain is hosted here, as a primary domain or as an alias domain of one. */
    boolean isLocalDomain(Domain domain);

    /**
     * Where mail for {@code recipient} goes. Lookup order, first hit wins: the exact address, then the address
     * without its {@code +tag}; first in the recipient's own domain, then, for an alias domain, the same two in its
     * primary domain. At one address an account wins over an alias, an alias over a group. {@code postmaster} of
     * any local domain without an entry of its own goes to the fallback given to {@link DirectoryState}.
     */
    Resolution resolve(EmailAddress recipient);

    /**
     * The account registered under exactly this address (case-insensitive), e.g. a login name. No {@code +tag}
     * stripping and no alias-domain rewrite: those are mail routing, not identity.
     */
    Optional<DirectorySnapshot.Account> account(String address);

    /**
     * Whether the enabled account {@code accountAddress} may use {@code sender} as its envelope or header sender.
     * Allowed: the sender resolves (by the rules of {@link #resolve}) to that very account, e.g. with a {@code +tag},
     * other case or through an alias domain; or it resolves to an alias whose expansion reaches that account and no
     * other local account (disabled ones included; remote targets do not count, they cannot submit here). Not
     * allowed: a group, even one the account belongs to, since a list is not any one member's identity; an alias
     * shared by several accounts; the implicit postmaster fallback; any address outside our domains.
     */
    boolean mayUseSender(String accountAddress, EmailAddress sender);

    /** Entries held: domains, accounts, groups and aliases, not counting alias domains. */
    int size();

    /** Records that changed the state (tombstones included), i.e. all records except stale replays. */
    long appliedRecords();
}
