package mail.core.directory;

import java.util.List;
import java.util.Objects;
import mail.core.event.DirectorySnapshot.Account;

/**
 * What the directory says about one recipient address. The suggested replies are for smtp-gateway at RCPT time;
 * delivery-worker only acts on {@link Deliverable} and treats the rest as a reason to bounce or retry.
 *
 * <ul>
 *   <li>{@link NotLocal}: not one of our domains. Relay if the client is authenticated, else {@code 550 5.7.1}.</li>
 *   <li>{@link Unknown}: our domain, no such address: {@code 550 5.1.1}.</li>
 *   <li>{@link Deliverable}: accept.</li>
 *   <li>{@link Disabled}: every mailbox it leads to is disabled: {@code 550 5.2.1}.</li>
 *   <li>{@link Unresolvable}: the address exists but its expansion failed; {@link Unresolvable#temporary()} says
 *       whether to answer {@code 451 4.3.0} or {@code 550 5.1.1}.</li>
 * </ul>
 */
public sealed interface Resolution {

    record NotLocal() implements Resolution {
    }

    record Unknown() implements Resolution {
    }

    /**
     * At least one place to deliver to. Accounts are distinct by account id, remote targets by their SMTP form;
     * both are in breadth-first order of the alias/group graph (nearest first, then in the order the directory
     * lists them), so the same directory always yields the same lists.
     */
    record Deliverable(List<Account> accounts, List<String> remoteTargets) implements Resolution {

        public Deliverable {
            accounts = List.copyOf(accounts);
            remoteTargets = List.copyOf(remoteTargets);
            // accepting a RCPT that leads nowhere would lose the message silently
            if (accounts.isEmpty() && remoteTargets.isEmpty()) {
                throw new IllegalArgumentException("a Deliverable needs at least one account or remote target");
            }
        }
    }

    /** Every local mailbox the address leads to is disabled, and there is no remote target either. */
    record Disabled(List<Account> accounts) implements Resolution {

        public Disabled {
            accounts = List.copyOf(accounts);
            if (accounts.isEmpty()) {
                throw new IllegalArgumentException("Disabled names at least one account");
            }
        }
    }

    /** @param detail for logs and alerts, not for the SMTP reply: it names directory entries */
    record Unresolvable(Problem problem, String detail) implements Resolution {

        public Unresolvable {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }

        public boolean temporary() {
            return problem.temporary();
        }
    }

    /**
     * Hitting a limit means we gave up before knowing the answer, so the sender should retry while an admin fixes
     * the directory; that is also what Postfix does for an unreasonable alias expansion. An expansion that completed
     * and found nothing is a definite answer and therefore permanent.
     */
    enum Problem {
        /** An alias or group that leads to no mailbox: an empty group, only deleted targets, or only a cycle. */
        NO_TARGETS(false),
        /** Aliases and groups nested more than {@link DirectoryState#MAX_DEPTH} levels deep. */
        TOO_DEEP(true),
        /** More than {@link DirectoryState#MAX_TARGETS} distinct final recipients. */
        TOO_MANY_TARGETS(true);

        private final boolean temporary;

        Problem(boolean temporary) {
            this.temporary = temporary;
        }

        public boolean temporary() {
            return temporary;
        }
    }
}
