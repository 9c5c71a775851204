package mail.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackupCommandTest extends LoggedInCommandTest {
    private static final String ID = "20261129T120000Z-0a1b2c3d";
    private static final String DONE = "{\"id\":\"" + ID + "\",\"state\":\"complete\",\"kind\":\"full\",\"parentId\":null,"
            + "\"createdAt\":\"2026-11-29T12:00:00Z\",\"stats\":{\"messages\":42,\"bytesWritten\":1234},"
            + "\"job\":{\"id\":\"" + ID + "\",\"state\":\"succeeded\",\"phase\":\"done\",\"done\":1,\"total\":1}}";

    @Test
    void createWaitsForTheBackupAndListShowsATable() {
        server.answer("POST /api/v1/backups", 202, "{\"id\":\"" + ID + "\",\"state\":\"queued\"}");
        server.answer("GET /api/v1/backups/" + ID, 200, DONE);
        server.answer("GET /api/v1/backups", 200, "[" + DONE + "]");
        assertThat(run("backup", "--backup-url", server.url(), "create", "--incremental", "--wait")).isZero();
        assertThat(server.requests).anySatisfy(r -> {
            assertThat(r.method() + " " + r.path()).isEqualTo("POST /api/v1/backups");
            assertThat(r.body()).contains("\"incremental\":true");
            assertThat(r.authorization()).isEqualTo("Bearer tok-1");
        });
        assertThat(out.toString()).contains("kind:", "full");
        assertThat(run("backup", "--backup-url", server.url(), "list")).isZero();
        assertThat(out.toString()).contains("ID", "KIND", "MESSAGES", ID, "42", "1234");
    }

    @Test
    void verifyExitsNonZeroAndListsTheDamage() {
        server.answer("POST /api/v1/backups/" + ID + "/verify", 200, "{\"backupId\":\"" + ID + "\",\"ok\":false,"
                + "\"problems\":[\"checksum mismatch in " + ID + "/mongo/messages.ndjson.gz: SHA-256 ab, the manifest says cd\"],"
                + "\"filesChecked\":9,\"blobsChecked\":3}");
        assertThat(run("backup", "--backup-url", server.url(), "verify", ID)).isEqualTo(1);
        assertThat(err.toString()).contains("is damaged", "checksum mismatch in " + ID + "/mongo/messages.ndjson.gz");
    }

    @Test
    void restoreSendsTheScopeFollowsTheJobAndReportsARefusal() {
        server.answer("POST /api/v1/restores", 202, "{\"id\":\"restore-1\",\"state\":\"queued\"}");
        server.answer("GET /api/v1/restores/restore-1", 200, "{\"id\":\"restore-1\",\"state\":\"succeeded\","
                + "\"result\":{\"inserted\":3,\"restoredInto\":[\"INBOX -> Restored/2026-11-29/INBOX\"]}}");
        assertThat(run("backup", "--backup-url", server.url(), "restore", ID, "--account", "a@example.test", "--mailbox", "INBOX")).isZero();
        assertThat(server.requests).anySatisfy(r -> assertThat(r.body()).contains("\"scope\":\"mailbox\"", "\"account\":\"a@example.test\"",
                "\"mailbox\":\"INBOX\"", "\"backupId\":\"" + ID + "\""));
        assertThat(out.toString()).contains("Restored/2026-11-29/INBOX");

        server.answer("POST /api/v1/restores", 409, "{\"type\":\"urn:mailplatform:problem:restore-refused\",\"status\":409,"
                + "\"detail\":\"the platform is not empty\",\"field\":\"force\"}");
        assertThat(run("backup", "--backup-url", server.url(), "restore", ID)).isEqualTo(1);
        assertThat(err.toString()).contains("not empty", "force");
    }

    @Test
    void badArgumentsAreUsageErrorsWithoutARequest() {
        int before = server.requests.size();
        assertThat(run("backup", "--backup-url", server.url(), "restore")).isEqualTo(2);
        assertThat(run("backup", "--backup-url", server.url(), "restore", ID, "--mailbox", "INBOX")).isEqualTo(2);
        assertThat(err.toString()).contains("either a backup ID or --at", "--mailbox needs --account");
        assertThat(server.requests).hasSize(before);
    }

    @Test
    void theProgressBarShowsThePhase() {
        String bar = BackupCommand.bar(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("done", 5).put("total", 10).put("phase", "blobs"));
        assertThat(bar).startsWith("[" + "#".repeat(15) + " ".repeat(15) + "]").endsWith("50% blobs");
    }

    @Test
    void pruneDryRunSendsTheFlagFollowsTheJobAndShowsWhatItWouldDelete() {
        server.answer("POST /api/v1/prunes", 202, "{\"id\":\"prune-1\",\"state\":\"queued\",\"trigger\":\"api\"}");
        server.answer("GET /api/v1/prunes/prune-1", 200, "{\"id\":\"prune-1\",\"state\":\"succeeded\",\"result\":{\"dryRun\":true,"
                + "\"kept\":[\"20261111T020000Z-00000004\"],\"deleted\":[\"20261102T020000Z-00000001\"],\"blobsDeleted\":0}}");
        assertThat(run("backup", "--backup-url", server.url(), "prune", "--dry-run")).isZero();
        assertThat(server.requests).anySatisfy(r -> {
            assertThat(r.method() + " " + r.path()).isEqualTo("POST /api/v1/prunes");
            assertThat(r.body()).contains("\"dryRun\":true");
        });
        assertThat(out.toString()).contains("20261102T020000Z-00000001", "20261111T020000Z-00000004");
    }

    @Test
    void aPruneThatCannotTakeTheTargetFailsWithTheReason() {
        server.answer("POST /api/v1/prunes", 202, "{\"id\":\"prune-2\",\"state\":\"queued\"}");
        server.answer("GET /api/v1/prunes/prune-2", 200, "{\"id\":\"prune-2\",\"state\":\"failed\",\"error\":\"another backup job "
                + "holds the backup target: job 20261129T020000Z-0000000a of host-b/17 (since 2026-11-29T02:00:00Z)\"}");
        assertThat(run("backup", "--backup-url", server.url(), "prune")).isEqualTo(1);
        assertThat(server.requests).anySatisfy(r -> assertThat(r.body()).contains("\"dryRun\":false"));
        assertThat(err.toString()).contains("prune prune-2 failed", "another backup job holds the backup target");
    }
}
