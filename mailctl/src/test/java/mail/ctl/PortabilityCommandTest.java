package mail.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PortabilityCommandTest extends LoggedInCommandTest {
    @Test
    void exportSendsTheRequestFollowsTheJobAndShowsTheResult() {
        server.answer("POST /api/v1/exports", 202, "{\"id\":\"export-1\",\"state\":\"queued\"}");
        server.answer("GET /api/v1/exports/export-1", 200, "{\"id\":\"export-1\",\"state\":\"succeeded\",\"phase\":\"done\","
                + "\"result\":{\"account\":\"a@example.test\",\"format\":\"maildir\",\"path\":\"alice\",\"mailboxes\":6,\"messages\":42}}");
        assertThat(run("export", "--backup-url", server.url(), "a@example.test", "--format", "maildir", "--path", "alice")).isZero();
        assertThat(server.requests).anySatisfy(r -> {
            assertThat(r.method() + " " + r.path()).isEqualTo("POST /api/v1/exports");
            assertThat(r.body()).contains("\"account\":\"a@example.test\"", "\"format\":\"maildir\"", "\"path\":\"alice\"");
            assertThat(r.authorization()).isEqualTo("Bearer tok-1");
        });
        assertThat(out.toString()).contains("messages:", "42");
    }

    @Test
    void importReportsAFailedJobWithItsReasonAndExitsNonZero() {
        server.answer("POST /api/v1/imports", 202, "{\"id\":\"import-1\",\"state\":\"queued\"}");
        server.answer("GET /api/v1/imports/import-1", 200, "{\"id\":\"import-1\",\"state\":\"failed\","
                + "\"error\":\"old.mbox line 1: not an mbox file: it does not start with a 'From ' line\"}");
        assertThat(run("import", "--backup-url", server.url(), "b@example.test", "--format", "mbox", "--path", "old.mbox")).isEqualTo(1);
        assertThat(err.toString()).contains("import import-1 failed", "old.mbox line 1: not an mbox file");
    }

    @Test
    void importWithoutWaitingPrintsTheJobAndARefusalIsShown() {
        server.answer("POST /api/v1/imports", 202, "{\"id\":\"import-2\",\"state\":\"queued\"}");
        assertThat(run("import", "--backup-url", server.url(), "b@example.test", "--format", "maildir", "--path", "md", "--no-wait")).isZero();
        assertThat(out.toString()).contains("started import import-2");

        server.answer("POST /api/v1/exports", 409, "{\"type\":\"urn:mailplatform:problem:export-refused\",\"status\":409,"
                + "\"detail\":\"alice exists; an export never writes into an existing directory\",\"field\":\"path\"}");
        assertThat(run("export", "--backup-url", server.url(), "a@example.test", "--format", "mbox", "--path", "alice")).isEqualTo(1);
        assertThat(err.toString()).contains("alice exists");
    }

    @Test
    void badArgumentsAreUsageErrorsWithoutARequest() {
        int before = server.requests.size();
        assertThat(run("export", "--backup-url", server.url(), "a@example.test", "--format", "zip", "--path", "x")).isEqualTo(2);
        assertThat(run("import", "--backup-url", server.url(), "a@example.test", "--format", "mbox")).isEqualTo(2);
        assertThat(err.toString()).contains("--format must be mbox or maildir", "--path");
        assertThat(server.requests).hasSize(before);
    }
}
