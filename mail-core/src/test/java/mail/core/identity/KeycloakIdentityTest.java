package mail.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import mail.testsupport.InfraEndpoints;
import mail.testsupport.SharedInfra;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Password and bearer-token checks against a real Keycloak with the platform's realm imported. */
class KeycloakIdentityTest {
    private static InfraEndpoints infra;
    private static HttpClient http;
    private static KeycloakPasswordVerifier passwords;
    private static JwksTokenVerifier tokens;

    @BeforeAll
    static void connect() {
        infra = SharedInfra.require("keycloak");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        passwords = new KeycloakPasswordVerifier(http, infra.realmUrl(), infra.servicesClientId(), infra.servicesSecret(),
                Duration.ofSeconds(10));
        tokens = new JwksTokenVerifier(infra.realmUrl());
    }

    @Test
    void rightPasswordSucceedsWithTheUsersRealmRoles() {
        AuthResult r = passwords.verify(infra.adminUser(), infra.adminPassword());
        assertThat(r).isInstanceOfSatisfying(AuthResult.Success.class, s -> {
            assertThat(s.username()).isEqualTo(infra.adminUser());
            assertThat(s.roles()).contains("mail-admin", "mail-user");
        });
    }

    @Test
    void wrongPasswordUnknownUserAndEmptyCredentialsAreRejected() {
        assertThat(passwords.verify(infra.adminUser(), infra.adminPassword() + "x")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(passwords.verify("nobody@example.test", "whatever")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(passwords.verify(infra.adminUser(), "")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(passwords.verify("", "x")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(passwords.verify(infra.adminUser(), "p".repeat(5000))).isInstanceOf(AuthResult.Rejected.class);
    }

    @Test
    void wrongClientSecretIsAnOutageNotARejection() {
        var misconfigured = new KeycloakPasswordVerifier(http, infra.realmUrl(), infra.servicesClientId(), "wrong-secret",
                Duration.ofSeconds(10));
        // a bad service credential must not look like every user's password being wrong: clients get a temporary error
        assertThatThrownBy(() -> misconfigured.verify(infra.adminUser(), infra.adminPassword()))
                .isInstanceOf(IdentityUnavailableException.class).hasMessageContaining("refused the services client");
    }

    @Test
    void unreachableKeycloakIsAnOutage() {
        var down = new KeycloakPasswordVerifier(http, "http://127.0.0.1:1/realms/mail", "c", "s", Duration.ofSeconds(2));
        assertThatThrownBy(() -> down.verify("a@b.test", "pw")).isInstanceOf(IdentityUnavailableException.class);
        var downTokens = new JwksTokenVerifier("http://127.0.0.1:1/realms/mail");
        String token = accessToken();
        assertThatThrownBy(() -> downTokens.verify(token)).isInstanceOf(IdentityUnavailableException.class);
    }

    @Test
    void realmTokenIsAcceptedAndTamperedOrForeignOnesAreNot() throws Exception {
        String token = accessToken();
        assertThat(tokens.verify(token)).isInstanceOfSatisfying(AuthResult.Success.class,
                s -> assertThat(s.username()).isEqualTo(infra.adminUser()));

        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"" + infra.adminUser() + "\"", "\"someone-else\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(tokens.verify(tampered)).isInstanceOf(AuthResult.Rejected.class);
        assertThat(tokens.verify("not.a.jwt")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(tokens.verify("")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(tokens.verify("x".repeat(20_000))).isInstanceOf(AuthResult.Rejected.class);

        // same keys, other issuer: a token for another realm URL must not be accepted here
        var otherIssuer = new JwksTokenVerifier(infra.realmUrl().replace("127.0.0.1", "localhost"));
        assertThat(otherIssuer.verify(token)).isInstanceOf(AuthResult.Rejected.class);
    }

    /** What a mail client holding an OAuth 2 token has: here from the public mailctl client's password grant. */
    private static String accessToken() {
        try {
            String form = "grant_type=password&client_id=mailctl&username=" + URLEncoder.encode(infra.adminUser(), StandardCharsets.UTF_8)
                    + "&password=" + URLEncoder.encode(infra.adminPassword(), StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(infra.realmUrl() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return new ObjectMapper().readTree(r.body()).path("access_token").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
