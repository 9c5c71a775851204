package mail.core.identity;

import java.util.Set;

/** The outcome of a credential check that reached the identity provider. Unreachable is an exception, not a result. */
public sealed interface AuthResult {

    record Success(String username, String email, Set<String> roles) implements AuthResult {
        public Success {
            roles = Set.copyOf(roles);
        }

        public boolean hasRole(String role) {
            return roles.contains(role);
        }
    }

    /** Wrong password, unknown or disabled user, expired or forged token: the client gets the same answer for all. */
    record Rejected(String reason) implements AuthResult {
    }

    default boolean succeeded() {
        return this instanceof Success;
    }
}
