package mail.protocol.sasl;

import java.util.Objects;
import java.util.Optional;

/**
 * From OAUTHBEARER or XOAUTH2. {@code user} is the identity the client claims (the OAUTHBEARER authzid, which is
 * optional, or the XOAUTH2 user); the token's own subject is what counts, and a claimed user that differs from
 * it must be refused, since we do not support acting for another user.
 */
public record BearerCredentials(Optional<String> user, String token) implements Credentials {
    public BearerCredentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "BearerCredentials[user=" + user.orElse("") + ", token=***]";
    }
}
