package mail.protocol.sasl;

import java.util.Objects;

/** From PLAIN or LOGIN. */
public record PasswordCredentials(String username, String password) implements Credentials {
    public PasswordCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    // The generated toString would put the password into any log line that prints a step.
    @Override
    public String toString() {
        return "PasswordCredentials[username=" + username + ", password=***]";
    }
}
