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

    @Test
    void importImapReadsThePasswordFromAFilePostsTheSourceAndFollowsTheJob(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path pw = dir.resolve("pw");
        java.nio.file.Files.writeString(pw, "s3cret-old-server\n");
        server.answer("POST /api/v1/imports/imap", 202, "{\"id\":\"import-3\",\"state\":\"queued\"}");
        server.answer("GET /api/v1/imports/import-3", 200, "{\"id\":\"import-3\",\"state\":\"succeeded\",\"phase\":\"done\","
                + "\"result\":{\"account\":\"new@example.test\",\"source\":\"imap://old@imap.old.test:993 (TLS)\",\"imported\":17}}");
        assertThat(run("import", "--backup-url", server.url(), "imap", "--account", "new@example.test", "--host", "imap.old.test",
                "--user", "old", "--password-file", pw.toString(), "--insecure")).isZero();
        assertThat(server.requests).anySatisfy(r -> {
            assertThat(r.method() + " " + r.path()).isEqualTo("POST /api/v1/imports/imap");
            assertThat(r.body()).contains("\"account\":\"new@example.test\"", "\"host\":\"imap.old.test\"", "\"tls\":\"implicit\"",
                    "\"user\":\"old\"", "\"password\":\"s3cret-old-server\"", "\"verifyCertificate\":false").doesNotContain("token");
        });
        assertThat(out.toString()).contains("imported:", "17").doesNotContain("s3cret");
    }

    @Test
    void importImapWithATokenFileSendsTheMechanismAndAFailureIsShown(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path tok = dir.resolve("tok");
        java.nio.file.Files.writeString(tok, "eyJ.token.sig");
        server.answer("POST /api/v1/imports/imap", 202, "{\"id\":\"import-4\",\"state\":\"queued\"}");
        server.answer("GET /api/v1/imports/import-4", 200, "{\"id\":\"import-4\",\"state\":\"failed\",\"error\":\"imap://old@h:143 "
                + "refused the login of old (AUTHENTICATE failed); nothing was imported\"}");
        assertThat(run("import", "--backup-url", server.url(), "imap", "--account", "n@example.test", "--host", "h", "--port", "143",
                "--tls", "starttls", "--user", "old", "--token-file", tok.toString(), "--mechanism", "oauthbearer")).isEqualTo(1);
        assertThat(server.requests).anySatisfy(r -> assertThat(r.body()).contains("\"token\":\"eyJ.token.sig\"",
                "\"mechanism\":\"oauthbearer\"", "\"port\":143", "\"tls\":\"starttls\""));
        assertThat(err.toString()).contains("import import-4 failed", "refused the login of old");
    }

    @Test
    void importImapNeedsExactlyOneSecretFileThatCanBeRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int before = server.requests.size();
        assertThat(run("import", "--backup-url", server.url(), "imap", "--account", "a@example.test", "--host", "h", "--user", "u")).isEqualTo(2);
        java.nio.file.Path f = dir.resolve("f");
        java.nio.file.Files.writeString(f, "x");
        assertThat(run("import", "--backup-url", server.url(), "imap", "--account", "a@example.test", "--host", "h", "--user", "u",
                "--password-file", f.toString(), "--token-file", f.toString())).isEqualTo(2);
        java.nio.file.Path empty = dir.resolve("empty");
        java.nio.file.Files.writeString(empty, "\n");
        assertThat(run("import", "--backup-url", server.url(), "imap", "--account", "a@example.test", "--host", "h", "--user", "u",
                "--password-file", empty.toString())).isEqualTo(2);
        assertThat(run("import", "--backup-url", server.url(), "imap", "--account", "a@example.test", "--host", "h", "--user", "u",
                "--password-file", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("give either --password-file or --token-file", "is empty", "cannot be read");
        assertThat(server.requests).hasSize(before);
    }

    @Test
    void theProgressBarShowsFoldersAndMegabytesOfAnImapImport() throws Exception {
        com.fasterxml.jackson.databind.JsonNode job = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"phase\":\"messages\","
                + "\"done\":50,\"total\":200,\"counters\":{\"foldersDone\":2,\"foldersTotal\":7,\"bytes\":3500000}}");
        assertThat(BackupCommand.bar(job)).contains("25%", "messages", "(folder 2/7, 50/200 messages, 3.5 MB)");
    }
}
