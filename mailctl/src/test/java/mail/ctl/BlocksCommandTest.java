package mail.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlocksCommandTest extends LoggedInCommandTest {
    private static final String LISTING = "{\"entries\":[{\"kind\":\"ip\",\"value\":\"192.0.2.55\",\"failures\":21,"
            + "\"lastFailure\":\"2026-11-29T12:00:00Z\",\"blockedUntil\":\"2026-11-29T12:15:00Z\",\"blocked\":true}]}";

    private int blocks(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--url";
        all[1] = server.url();
        all[2] = "blocks";
        System.arraycopy(args, 0, all, 3, args.length);
        return run(all);
    }

    @Test
    void listShowsTheBlocksAsATable() {
        server.answer("GET /api/v1/auth-blocks?all=true&limit=20", 200, LISTING);
        assertThat(blocks("list", "--all", "--limit", "20")).isZero();
        assertThat(out.toString()).contains("KIND", "BLOCKED UNTIL", "192.0.2.55", "21", "2026-11-29T12:15:00Z");
        assertThat(server.requests.get(server.requests.size() - 1).authorization()).isEqualTo("Bearer tok-1");
    }

    @Test
    void liftNamesAnAddressOrAnAccountButNotBoth() {
        server.answer("DELETE /api/v1/auth-blocks?ip=2001%3Adb8%3A%3A1", 204, "");
        server.answer("DELETE /api/v1/auth-blocks?account=a%40example.test", 204, "");
        assertThat(blocks("lift", "--ip", "2001:db8::1")).isZero();
        assertThat(blocks("lift", "--account", "a@example.test")).isZero();
        assertThat(out.toString()).contains("lifted the block of 2001:db8::1", "lifted the block of a@example.test");
        assertThat(blocks("lift", "--ip", "192.0.2.1", "--account", "a@example.test")).isNotZero();
        assertThat(blocks("lift")).isNotZero();
        assertThat(server.requests).extracting(r -> r.method() + " " + r.path()).contains(
                "DELETE /api/v1/auth-blocks?ip=2001%3Adb8%3A%3A1", "DELETE /api/v1/auth-blocks?account=a%40example.test");
    }

    @Test
    void aMissingBlockIsAClearMessageAndExitCode1() {
        server.answer("DELETE /api/v1/auth-blocks?ip=192.0.2.9", 404,
                "{\"type\":\"urn:mailplatform:problem:not-found\",\"status\":404,\"detail\":\"block or failure record ip:192.0.2.9 does not exist\"}");
        assertThat(blocks("lift", "--ip", "192.0.2.9")).isEqualTo(1);
        assertThat(err.toString()).contains("ip:192.0.2.9 does not exist");
    }
}
