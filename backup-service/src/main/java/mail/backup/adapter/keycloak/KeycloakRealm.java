package mail.backup.adapter.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mail.backup.engine.RealmGateway;

/**
 * The realm through Keycloak's admin REST API with the services' service account (the rights directory-service
 * uses: manage-users, view-users, view-realm).
 *
 * <p>Password hashes: the admin API never returns a credential's secret data ({@code GET /users/{id}/credentials}
 * gives type, label, creation date and the algorithm parameters, not the hash or salt). The only ways to get hashes
 * out are an offline {@code kc.sh export} on Keycloak's own host or a database dump of Keycloak. So a backup records
 * which credentials each user had, and a restored user who had a password must set a new one (required action
 * UPDATE_PASSWORD, and an administrator can set one through directory-service). This is reported as a warning on
 * every restore that creates users.
 */
public final class KeycloakRealm implements RealmGateway {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 100;
    /** Fields Keycloak assigns itself or that the admin API refuses on create. */
    private static final List<String> SERVER_FIELDS = List.of("id", "createdTimestamp", "access", "credentials",
            "federationLink", "disableableCredentialTypes", "notBefore", "totp");

    private final HttpClient http;
    private final String realmUrl;
    private final String adminUrl;
    private final String clientId;
    private final String clientSecret;
    private final Duration timeout;

    public KeycloakRealm(String realmUrl, String clientId, String clientSecret, Duration timeout) {
        String trimmed = realmUrl.replaceAll("/+$", "");
        int at = trimmed.lastIndexOf("/realms/");
        if (at < 0) {
            throw new IllegalStateException("mail.keycloak.realm-url must end in /realms/<realm>: " + realmUrl);
        }
        this.realmUrl = trimmed;
        this.adminUrl = trimmed.substring(0, at) + "/admin" + trimmed.substring(at);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public JsonNode export() {
        String token = token();
        ObjectNode out = JSON.createObjectNode();
        out.put("realm", realmUrl.substring(realmUrl.lastIndexOf('/') + 1));
        out.put("passwordHashes", "not exported: Keycloak's admin API does not expose credential secrets");
        out.set("roles", get(token, "/roles?briefRepresentation=false"));
        out.set("groups", get(token, "/groups?briefRepresentation=false"));
        ArrayNode users = out.putArray("users");
        for (int first = 0; ; first += PAGE) {
            JsonNode page = get(token, "/users?briefRepresentation=false&first=" + first + "&max=" + PAGE);
            for (JsonNode u : page) {
                ObjectNode user = ((ObjectNode) u).deepCopy();
                String id = u.path("id").asText();
                ArrayNode roles = user.putArray("realmRoles");
                get(token, "/users/" + id + "/role-mappings/realm").forEach(r -> roles.add(r.path("name").asText()));
                ArrayNode groups = user.putArray("groupPaths");
                get(token, "/users/" + id + "/groups").forEach(g -> groups.add(g.path("path").asText()));
                ArrayNode creds = user.putArray("credentialTypes");
                get(token, "/users/" + id + "/credentials").forEach(c -> creds.addObject().put("type", c.path("type").asText())
                        .put("createdDate", c.path("createdDate").asLong()));
                users.add(user);
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return out;
    }

    @Override
    public Restored restore(JsonNode realm, Set<String> onlyUsernames) {
        String token = token();
        List<String> warnings = new ArrayList<>();
        if (onlyUsernames == null) {
            for (JsonNode role : realm.path("roles")) {
                String name = role.path("name").asText();
                if (send(token, "GET", "/roles/" + seg(name), null).statusCode() == 404) {
                    ObjectNode r = JSON.createObjectNode().put("name", name).put("description", role.path("description").asText(""));
                    int status = send(token, "POST", "/roles", r).statusCode();
                    if (status / 100 != 2 && status != 409) {
                        warnings.add("realm role " + name + " could not be created (Keycloak answered " + status + ")");
                    }
                }
            }
            for (JsonNode g : realm.path("groups")) {
                restoreGroup(token, g, null, warnings);
            }
        }
        Map<String, String> ids = new HashMap<>();
        int created = 0;
        int withoutPassword = 0;
        for (JsonNode u : realm.path("users")) {
            String username = u.path("username").asText();
            if (username.startsWith("service-account-") || u.hasNonNull("serviceAccountClientId")) {
                continue;
            }
            if (onlyUsernames != null && !onlyUsernames.contains(username.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String existing = userId(token, username);
            if (existing != null) {
                ids.put(u.path("id").asText(), existing);
                continue;
            }
            ObjectNode rep = ((ObjectNode) u).deepCopy();
            SERVER_FIELDS.forEach(rep::remove);
            rep.remove("realmRoles");
            rep.remove("groupPaths");
            rep.remove("credentialTypes");
            boolean hadPassword = false;
            for (JsonNode c : u.path("credentialTypes")) {
                hadPassword |= "password".equals(c.path("type").asText());
            }
            if (hadPassword) {
                ArrayNode actions = rep.has("requiredActions") && rep.get("requiredActions").isArray()
                        ? (ArrayNode) rep.get("requiredActions") : rep.putArray("requiredActions");
                boolean present = false;
                for (JsonNode a : actions) {
                    present |= "UPDATE_PASSWORD".equals(a.asText());
                }
                if (!present) {
                    actions.add("UPDATE_PASSWORD");
                }
                withoutPassword++;
            }
            HttpResponse<String> r = send(token, "POST", "/users", rep);
            if (r.statusCode() == 409) {
                String id = userId(token, username);
                if (id != null) {
                    ids.put(u.path("id").asText(), id);
                }
                continue;
            }
            if (r.statusCode() != 201) {
                warnings.add("user " + username + " could not be created (Keycloak answered " + r.statusCode() + ")");
                continue;
            }
            String location = r.headers().firstValue("Location").orElse("");
            String id = location.substring(location.lastIndexOf('/') + 1);
            ids.put(u.path("id").asText(), id);
            created++;
            List<JsonNode> roles = new ArrayList<>();
            for (JsonNode name : u.path("realmRoles")) {
                HttpResponse<String> role = send(token, "GET", "/roles/" + seg(name.asText()), null);
                if (role.statusCode() == 200) {
                    roles.add(parse(role.body()));
                }
            }
            if (!roles.isEmpty()) {
                int status = send(token, "POST", "/users/" + id + "/role-mappings/realm", JSON.valueToTree(roles)).statusCode();
                if (status / 100 != 2) {
                    warnings.add("roles of user " + username + " could not be restored (Keycloak answered " + status + ")");
                }
            }
            for (JsonNode path : u.path("groupPaths")) {
                HttpResponse<String> g = send(token, "GET", "/group-by-path/" + path.asText().replaceFirst("^/", ""), null);
                if (g.statusCode() == 200) {
                    send(token, "PUT", "/users/" + id + "/groups/" + parse(g.body()).path("id").asText(), null);
                } else {
                    warnings.add("group " + path.asText() + " of user " + username + " does not exist");
                }
            }
        }
        if (withoutPassword > 0) {
            warnings.add(withoutPassword + " restored user(s) had a password; Keycloak's admin API does not expose password "
                    + "hashes, so they must set a new one (required action UPDATE_PASSWORD; or PATCH /api/v1/accounts/{address})");
        }
        return new Restored(ids, created, warnings);
    }

    private void restoreGroup(String token, JsonNode g, String parentId, List<String> warnings) {
        String path = g.path("path").asText();
        HttpResponse<String> found = send(token, "GET", "/group-by-path/" + path.replaceFirst("^/", ""), null);
        String id;
        if (found.statusCode() == 200) {
            id = parse(found.body()).path("id").asText();
        } else {
            ObjectNode rep = JSON.createObjectNode().put("name", g.path("name").asText());
            if (g.has("attributes")) {
                rep.set("attributes", g.get("attributes"));
            }
            HttpResponse<String> r = send(token, "POST", parentId == null ? "/groups" : "/groups/" + parentId + "/children", rep);
            if (r.statusCode() != 201) {
                warnings.add("group " + path + " could not be created (Keycloak answered " + r.statusCode() + ")");
                return;
            }
            String location = r.headers().firstValue("Location").orElse("");
            id = location.substring(location.lastIndexOf('/') + 1);
        }
        for (JsonNode sub : g.path("subGroups")) {
            restoreGroup(token, sub, id, warnings);
        }
    }

    private String userId(String token, String username) {
        JsonNode found = get(token, "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8));
        for (Iterator<JsonNode> it = found.elements(); it.hasNext(); ) {
            JsonNode u = it.next();
            if (username.equalsIgnoreCase(u.path("username").asText())) {
                return u.path("id").asText();
            }
        }
        return null;
    }

    private JsonNode get(String token, String path) {
        HttpResponse<String> r = send(token, "GET", path, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak admin API GET " + path.replaceAll("\\?.*", "") + " answered " + r.statusCode());
        }
        return parse(r.body());
    }

    private HttpResponse<String> send(String token, String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminUrl + path)).timeout(timeout).header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return call(b.build());
    }

    private String token() {
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpResponse<String> r = call(HttpRequest.newBuilder(URI.create(realmUrl + "/protocol/openid-connect/token")).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the services' client credentials (" + r.statusCode() + ")");
        }
        return parse(r.body()).path("access_token").asText();
    }

    private HttpResponse<String> call(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not reachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to Keycloak", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak answered something that is not JSON", e);
        }
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
