package mail.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailctlTest {
    @TempDir
    Path config;
    private FakeServer server;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        server = new FakeServer();
        server.answer("POST /realms/mail/protocol/openid-connect/token", 200,
                "{\"access_token\":\"tok-1\",\"refresh_token\":\"ref-1\",\"expires_in\":300}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        String[] all = new String[args.length];
        System.arraycopy(args, 0, all, 0, args.length);
        return Mailctl.run(Map.of("MAILCTL_CONFIG", config.toString()), new PrintWriter(out, true), new PrintWriter(err, true), all);
    }

    private void login() {
        assertThat(run("login", "-u", "admin", "--password", "admin", "--keycloak", server.url() + "/realms/mail")).isZero();
    }

    @Test
    void loginUsesThePasswordGrantOfClientMailctlAndCachesTheTokenPrivately() throws Exception {
        login();
        FakeServer.Request r = server.requests.get(0);
        assertThat(r.body()).contains("grant_type=password", "client_id=mailctl", "username=admin", "password=admin");
        Path token = config.resolve("token.json");
        assertThat(Files.readString(token)).contains("\"accessToken\":\"tok-1\"");
        assertThat(Files.getPosixFilePermissions(token)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(out.toString()).contains("logged in as admin");
    }

    @Test
    void aRefusedLoginExitsWith3AndSaysWhy() {
        server.answer("POST /realms/mail/protocol/openid-connect/token", 401,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}");
        assertThat(run("login", "--password", "wrong", "--keycloak", server.url() + "/realms/mail")).isEqualTo(3);
        assertThat(err.toString()).contains("Invalid user credentials");
        assertThat(config.resolve("token.json")).doesNotExist();
    }

    @Test
    void withoutLoginCommandsExitWith3() {
        assertThat(run("--url", server.url(), "domain", "list")).isEqualTo(3);
        assertThat(err.toString()).contains("mailctl login");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void listsAreTablesByDefaultAndJsonOnRequest() {
        login();
        server.answer("GET /api/v1/accounts?limit=100&domain=example.test", 200,
                "{\"items\":[{\"address\":\"alice@example.test\",\"displayName\":\"Alice\",\"quotaBytes\":10,\"enabled\":true},"
                        + "{\"address\":\"bob@example.test\",\"displayName\":null,\"quotaBytes\":0,\"enabled\":false}],\"next\":null}");
        assertThat(run("--url", server.url(), "account", "list", "--domain", "example.test")).isZero();
        assertThat(out.toString()).contains("ADDRESS             NAME   QUOTA  ENABLED")
                .contains("alice@example.test  Alice  10     true").contains("bob@example.test    -      0      false");
        assertThat(server.requests.get(1).authorization()).isEqualTo("Bearer tok-1");

        out.getBuffer().setLength(0);
        assertThat(run("--url", server.url(), "--json", "account", "list", "--domain", "example.test")).isZero();
        assertThat(out.toString()).contains("\"items\"").contains("\"address\" : \"alice@example.test\"");
    }

    @Test
    void createSendsTheFieldsTheApiExpects() {
        login();
        server.answer("POST /api/v1/accounts", 201, "{\"address\":\"carol@example.test\",\"enabled\":true}");
        assertThat(run("--url", server.url(), "account", "create", "carol@example.test", "--password", "Carol-pass-1",
                "--name", "Carol", "--quota", "1000")).isZero();
        assertThat(server.requests.get(1).body()).isEqualTo(
                "{\"address\":\"carol@example.test\",\"password\":\"Carol-pass-1\",\"displayName\":\"Carol\",\"quotaBytes\":1000}");
        server.answer("POST /api/v1/aliases", 201, "{\"address\":\"info@example.test\",\"targets\":[\"a@example.test\"]}");
        assertThat(run("--url", server.url(), "alias", "create", "info@example.test", "a@example.test", "b@remote.example")).isZero();
        assertThat(server.requests.get(2).body()).isEqualTo(
                "{\"address\":\"info@example.test\",\"targets\":[\"a@example.test\",\"b@remote.example\"]}");
        server.answer("PATCH /api/v1/groups/team%40example.test", 200, "{\"address\":\"team@example.test\",\"members\":[]}");
        assertThat(run("--url", server.url(), "group", "remove", "team@example.test", "x@example.test")).isZero();
        assertThat(server.requests.get(3).body()).isEqualTo("{\"remove\":[\"x@example.test\"]}");
    }

    @Test
    void theSentCopySettingIsSentAsABooleanAndAnythingElseIsAUsageError() {
        login();
        server.answer("PATCH /api/v1/accounts/carol%40example.test", 200, "{\"address\":\"carol@example.test\",\"saveSentCopy\":true}");
        assertThat(run("--url", server.url(), "account", "set", "carol@example.test", "--save-sent-copy", "true")).isZero();
        assertThat(server.requests.get(1).body()).isEqualTo("{\"saveSentCopy\":true}");
        assertThat(run("--url", server.url(), "account", "set", "carol@example.test", "--save-sent-copy", "sometimes")).isEqualTo(2);
        assertThat(run("--url", server.url(), "account", "set", "carol@example.test")).isEqualTo(2);
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void problemJsonBecomesAClearMessageWithTheFieldAndExitCode1() {
        login();
        server.answer("POST /api/v1/domains", 400, "{\"type\":\"urn:mailplatform:problem:invalid-field\",\"status\":400,"
                + "\"detail\":\"name 'bad_name' is not a valid domain\",\"field\":\"name\"}");
        assertThat(run("--url", server.url(), "domain", "create", "bad_name")).isEqualTo(1);
        assertThat(err.toString()).contains("error 400: name 'bad_name' is not a valid domain (field: name)");

        server.answer("DELETE /api/v1/domains/full.test", 409, "{\"status\":409,\"detail\":\"full.test still has 3 accounts\"}");
        assertThat(run("--url", server.url(), "domain", "delete", "full.test")).isEqualTo(1);
        assertThat(err.toString()).contains("still has 3 accounts");

        server.answer("GET /api/v1/domains", 403, "{\"status\":403,\"detail\":\"the admin API needs the realm role mail-admin\"}");
        assertThat(run("--url", server.url(), "domain", "list")).isEqualTo(3);
        server.answer("GET /api/v1/domains", 503, "{\"status\":503,\"detail\":\"MongoDB unavailable\"}");
        assertThat(run("--url", server.url(), "domain", "list")).isEqualTo(4);
    }

    @Test
    void anUnreachableServiceExitsWith4() throws Exception {
        login();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(run("--url", "http://127.0.0.1:" + port, "domain", "list")).isEqualTo(4);
        assertThat(err.toString()).contains("cannot reach the admin API");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("account", "frobnicate")).isEqualTo(2);
        assertThat(run("domain", "catch-all", "x.test")).isEqualTo(2);
        assertThat(run("check")).isEqualTo(2);
    }

    @Test
    void maintenanceRunsTheNamedJobAndRefusesUnknownOnes() {
        login();
        server.answer("POST /api/v1/maintenance/purge", 200, "{\"accounts\":2,\"messages\":7,\"mailboxes\":12,\"failed\":0}");
        out.getBuffer().setLength(0);
        assertThat(run("--url", server.url(), "maintenance", "purge")).isZero();
        FakeServer.Request last = server.requests.get(server.requests.size() - 1);
        assertThat(last.method() + " " + last.path()).isEqualTo("POST /api/v1/maintenance/purge");
        assertThat(last.authorization()).isEqualTo("Bearer tok-1");
        assertThat(out.toString()).contains("messages", "7");
        int before = server.requests.size();
        assertThat(run("--url", server.url(), "maintenance", "vacuum")).isEqualTo(2);
        assertThat(server.requests).hasSize(before);
    }

    @Test
    void dnsPrintsTheZoneFragmentAsIs() {
        login();
        server.answerText("GET /api/v1/domains/example.test/dns?format=zone", "example.test.\t3600\tIN\tMX\t10 mx.example.test.\n");
        out.getBuffer().setLength(0);
        assertThat(run("--url", server.url(), "dns", "example.test", "--zone")).isZero();
        assertThat(out.toString()).isEqualTo("example.test.\t3600\tIN\tMX\t10 mx.example.test.\n");
    }

    @Test
    void anExpiredTokenIsRefreshedWithTheRefreshToken() throws Exception {
        server.answer("POST /realms/mail/protocol/openid-connect/token", 200,
                "{\"access_token\":\"tok-old\",\"refresh_token\":\"ref-1\",\"expires_in\":1}");
        login();
        server.answer("POST /realms/mail/protocol/openid-connect/token", 200,
                "{\"access_token\":\"tok-new\",\"refresh_token\":\"ref-2\",\"expires_in\":300}");
        server.answer("GET /api/v1/domains", 200, "[]");
        assertThat(run("--url", server.url(), "domain", "list")).isZero();
        assertThat(server.requests.get(1).body()).contains("grant_type=refresh_token", "refresh_token=ref-1");
        assertThat(server.requests.get(2).authorization()).isEqualTo("Bearer tok-new");
    }
}
