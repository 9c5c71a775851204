package mail.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command tests share: a fake admin API with a token endpoint, mailctl logged in to it under a private config
 * directory, and its output captured. Each test starts with request 0 being the login.
 */
abstract class LoggedInCommandTest {
    @TempDir
    Path config;
    FakeServer server;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void loginToTheFakeServer() {
        server = new FakeServer();
        server.answer("POST /realms/mail/protocol/openid-connect/token", 200,
                "{\"access_token\":\"tok-1\",\"refresh_token\":\"ref-1\",\"expires_in\":300}");
        assertThat(run("login", "-u", "admin", "--password", "admin", "--keycloak", server.url() + "/realms/mail")).isZero();
    }

    @AfterEach
    void stopTheFakeServer() {
        server.close();
    }

    int run(String... args) {
        return Mailctl.run(Map.of("MAILCTL_CONFIG", config.toString()), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
