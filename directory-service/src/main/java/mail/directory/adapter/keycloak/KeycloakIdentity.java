package mail.directory.adapter.keycloak;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import mail.core.runtime.InfraConfig;
import mail.directory.api.ApiException;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Mail users in Keycloak, through the admin client with the service account of {@code mail-services}. User name and
 * e-mail are the canonical address; Keycloak keeps the password and the enabled flag, we keep the mail attributes.
 */
@ApplicationScoped
public class KeycloakIdentity {
    private static final Logger LOG = Logger.getLogger(KeycloakIdentity.class);
    public static final String MAIL_USER_ROLE = "mail-user";

    private final Keycloak keycloak;
    private final String realm;

    public KeycloakIdentity(InfraConfig.Keycloak config) {
        String realmUrl = config.realmUrl().replaceAll("/+$", "");
        int at = realmUrl.lastIndexOf("/realms/");
        if (at < 0) {
            throw new IllegalStateException("mail.keycloak.realm-url must end in /realms/<realm>: " + realmUrl);
        }
        this.realm = realmUrl.substring(at + "/realms/".length());
        this.keycloak = KeycloakBuilder.builder().serverUrl(realmUrl.substring(0, at)).realm(realm)
                .grantType(OAuth2Constants.CLIENT_CREDENTIALS).clientId(config.clientId())
                .clientSecret(config.clientSecret()).build();
    }

    @PreDestroy
    void close() {
        keycloak.close();
    }

    /** A Keycloak user as far as the directory cares. */
    public record User(String id, String username, boolean enabled, long createdTimestamp) {
    }

    /** @return the Keycloak user id; 409 if the user name is taken in Keycloak */
    public String createUser(String username, String password, String displayName, boolean enabled) {
        UserRepresentation u = new UserRepresentation();
        u.setUsername(username);
        u.setEmail(username);
        u.setEmailVerified(true);
        u.setEnabled(enabled);
        names(u, displayName, username);
        u.setCredentials(List.of(password(password)));
        String id = call("create user", () -> {
            try (Response r = realm().users().create(u)) {
                if (r.getStatus() == 409) {
                    throw ApiException.exists("address", username + " already exists as a Keycloak user; "
                            + "the reconciler adopts it as an account");
                }
                if (r.getStatus() == 400) {
                    throw ApiException.invalid("password", "Keycloak refused the user: " + r.readEntity(String.class));
                }
                return CreatedResponseUtil.getCreatedId(r);
            }
        });
        try {
            call("assign role", () -> {
                RoleRepresentation role = realm().roles().get(MAIL_USER_ROLE).toRepresentation();
                realm().users().get(id).roles().realmLevel().add(List.of(role));
                return null;
            });
        } catch (RuntimeException e) {
            deleteUserQuietly(id);
            throw e;
        }
        return id;
    }

    public void setPassword(String id, String password) {
        call("set password", () -> {
            realm().users().get(id).resetPassword(password(password));
            return null;
        });
    }

    public void update(String id, Boolean enabled, String displayName) {
        call("update user", () -> {
            UserRepresentation u = realm().users().get(id).toRepresentation();
            if (enabled != null) {
                u.setEnabled(enabled);
            }
            if (displayName != null) {
                names(u, displayName, u.getUsername());
            }
            realm().users().get(id).update(u);
            return null;
        });
    }

    public void deleteUser(String id) {
        call("delete user", () -> {
            try (Response r = realm().users().delete(id)) {
                if (r.getStatus() / 100 != 2 && r.getStatus() != 404) {
                    throw new WebApplicationException(r.getStatus());
                }
            }
            return null;
        });
    }

    /** Best effort, for undoing half of a failed change; a failure is logged for the reconciler to finish. */
    public void deleteUserQuietly(String id) {
        try {
            deleteUser(id);
        } catch (RuntimeException e) {
            LOG.errorf("could not remove Keycloak user %s while undoing a failed change: %s", id, e.getMessage());
        }
    }

    public Optional<User> find(String id) {
        return call("read user", () -> {
            try {
                return Optional.of(user(realm().users().get(id).toRepresentation()));
            } catch (WebApplicationException e) {
                if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                    return Optional.<User>empty();
                }
                throw e;
            }
        });
    }

    // Keycloak 26's default user profile requires first and last name before the user may log in ("Account is not
    // fully set up"); mail has one display name, so it is split, and an address stands in when there is none.
    // Its person-name validator also refuses characters such as ()<>@&",; so only letters, digits, spaces, dots,
    // apostrophes and hyphens are passed on; the display name itself is kept unchanged in MongoDB.
    private static void names(UserRepresentation u, String displayName, String username) {
        String raw = displayName == null ? username.substring(0, username.lastIndexOf('@')) : displayName;
        String name = raw.replaceAll("[^\\p{L}\\p{N} .'-]", " ").replaceAll("\\s+", " ").strip();
        if (name.isEmpty()) {
            name = "Mail";
        }
        int space = name.indexOf(' ');
        u.setFirstName(space > 0 ? name.substring(0, space) : name);
        u.setLastName(space > 0 ? name.substring(space + 1) : "Mailbox");
    }

    public Optional<User> findByUsername(String username) {
        return call("search user", () -> realm().users().search(username, true).stream().findFirst().map(KeycloakIdentity::user));
    }

    /** One page of all users of the realm, in Keycloak's order. */
    public List<User> page(int first, int max) {
        return call("list users", () -> realm().users().list(first, max).stream().map(KeycloakIdentity::user).toList());
    }

    private static User user(UserRepresentation u) {
        return new User(u.getId(), u.getUsername(), Boolean.TRUE.equals(u.isEnabled()),
                u.getCreatedTimestamp() == null ? 0 : u.getCreatedTimestamp());
    }

    private RealmResource realm() {
        return keycloak.realm(realm);
    }

    private static CredentialRepresentation password(String password) {
        CredentialRepresentation c = new CredentialRepresentation();
        c.setType(CredentialRepresentation.PASSWORD);
        c.setValue(password);
        c.setTemporary(false);
        return c;
    }

    private static <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (ApiException e) {
            throw e;
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
            if (status == 400) {
                throw ApiException.invalid("password", "Keycloak refused to " + what + " (password policy?)");
            }
            LOG.warnf("Keycloak failed to %s: HTTP %d", what, status);
            throw new ApiException(502, "identity-provider-error", "Keycloak error",
                    "Keycloak failed to " + what + " (HTTP " + status + "); nothing was changed", null);
        } catch (ProcessingException e) {
            LOG.warnf("Keycloak unreachable (%s): %s", what, e.getMessage());
            throw ApiException.unavailable("Keycloak", "Keycloak is not reachable; nothing was changed, retry later");
        }
    }
}
