package mail.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mail.ctl.api.ApiClient;
import mail.ctl.api.CliException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Backups and restores; backup-service's admin API is on its own port, not directory-service's. */
@Command(name = "backup", description = "Backups: create (full or incremental), list, show, verify, restore, prune.")
final class BackupCommand {
    private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("STATE", "state"),
            Output.Column.of("KIND", "kind"), Output.Column.of("PARENT", "parentId"), Output.Column.of("CREATED", "createdAt"),
            new Output.Column("MESSAGES", n -> Output.text(n.path("stats").path("messages"))),
            new Output.Column("BYTES", n -> Output.text(n.path("stats").path("bytesWritten"))),
            new Output.Column("TRIGGER", n -> Output.text(n.path("job").path("trigger"))));
    private static final int BAR = 30;

    @ParentCommand
    Mailctl root;

    @Option(names = "--backup-url", description = "backup-service base URL (env MAILCTL_BACKUP_URL; default ${DEFAULT-VALUE})",
            defaultValue = "${env:MAILCTL_BACKUP_URL:-http://127.0.0.1:8086}", scope = CommandLine.ScopeType.INHERIT)
    String backupUrl;

    /** Between progress polls; a test sets it to 0. */
    long pollMillis = 500;

    private ApiClient api() {
        return new ApiClient(backupUrl, root.session());
    }

    @Command(name = "create", description = "Start a backup; with --wait, show its progress until it is done.")
    int create(@Option(names = "--incremental", description = "only what changed since the newest backup") boolean incremental,
               @Option(names = "--wait", description = "wait for the end, with a progress bar") boolean wait) {
        JsonNode job = api().post("/api/v1/backups", Map.of("incremental", incremental));
        String id = job.path("id").asText();
        if (!wait) {
            root.done("started backup " + id + "; follow it with 'mailctl backup show " + id + "'");
            return 0;
        }
        JsonNode last = follow("/api/v1/backups/" + ApiClient.seg(id));
        String state = last.path("job").path("state").asText(last.path("state").asText());
        if (!"succeeded".equals(state)) {
            throw new CliException(CliException.API_ERROR, "backup " + id + " failed: " + last.path("job").path("error").asText("unknown"));
        }
        root.show(last);
        return 0;
    }

    @Command(name = "prune", description = "Delete the backups the retention policy (mail.backup.retention.daily/weekly) does not keep; "
            + "--dry-run only lists them.")
    int prune(@Option(names = "--dry-run", description = "show what would be kept and deleted, delete nothing") boolean dryRun,
              @Option(names = "--no-wait", description = "start the prune and return") boolean noWait) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dryRun", dryRun);
        return ExportCommand.runJob(root, backupUrl, "/api/v1/prunes", "/api/v1/prunes", "prune", body, noWait, pollMillis);
    }

    @Command(name = "list", description = "List the backups in the target, oldest first, and any running one.")
    int list() {
        root.list(api().get("/api/v1/backups"), COLUMNS);
        return 0;
    }

    @Command(name = "show", description = "Show one backup: kind, parent, Kafka offsets covered, sizes, or its progress while it runs.")
    int show(@Parameters(paramLabel = "ID") String id) {
        root.show(api().get("/api/v1/backups/" + ApiClient.seg(id)));
        return 0;
    }

    @Command(name = "verify", description = "Check every checksum and that every referenced blob is there, without restoring.")
    int verify(@Parameters(paramLabel = "ID") String id) {
        JsonNode report = api().post("/api/v1/backups/" + ApiClient.seg(id) + "/verify", Map.of());
        if (root.jsonOutput()) {
            root.show(report);
        } else if (report.path("ok").asBoolean()) {
            root.out().println("backup " + id + " is intact: " + report.path("filesChecked").asLong() + " files and "
                    + report.path("blobsChecked").asLong() + " blobs checked");
        } else {
            PrintWriter err = root.spec.commandLine().getErr();
            err.println("backup " + id + " is damaged:");
            report.path("problems").forEach(p -> err.println("  " + p.asText()));
        }
        return report.path("ok").asBoolean() ? 0 : CliException.API_ERROR;
    }

    @Command(name = "restore", description = "Restore the whole platform (into an empty one), one account, or one mailbox of an account.")
    int restore(@Parameters(paramLabel = "ID", arity = "0..1", description = "the backup; or --at") String id,
                @Option(names = "--at", description = "the newest backup taken at or before this time (RFC 3339, UTC)") String at,
                @Option(names = "--account", description = "restore only this account (address)") String account,
                @Option(names = "--mailbox", description = "restore only this mailbox of --account") String mailbox,
                @Option(names = "--force", description = "allow a full restore into a platform that is not empty (existing data is kept)") boolean force,
                @Option(names = "--no-wait", description = "start the restore and return") boolean noWait) {
        if ((id == null) == (at == null)) {
            throw new CliException(CliException.USAGE, "give either a backup ID or --at");
        }
        if (mailbox != null && account == null) {
            throw new CliException(CliException.USAGE, "--mailbox needs --account");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("backupId", id);
        } else {
            body.put("at", at);
        }
        body.put("scope", mailbox != null ? "mailbox" : account != null ? "account" : "full");
        if (account != null) {
            body.put("account", account);
        }
        if (mailbox != null) {
            body.put("mailbox", mailbox);
        }
        body.put("force", force);
        JsonNode job = api().post("/api/v1/restores", body);
        String restoreId = job.path("id").asText();
        if (noWait) {
            root.done("started restore " + restoreId);
            return 0;
        }
        JsonNode last = follow("/api/v1/restores/" + ApiClient.seg(restoreId));
        if (!"succeeded".equals(last.path("state").asText())) {
            throw new CliException(CliException.API_ERROR, "restore " + restoreId + " failed: " + last.path("error").asText("unknown"));
        }
        root.show(last.path("result"));
        return 0;
    }

    /** Polls a job until it ends, drawing a progress bar on standard error (stdout stays clean for --json). */
    private JsonNode follow(String path) {
        PrintWriter err = root.spec.commandLine().getErr();
        while (true) {
            JsonNode n = api().get(path);
            JsonNode job = n.has("job") ? n.get("job") : n;
            String state = job.path("state").asText();
            if ("succeeded".equals(state) || "failed".equals(state)) {
                err.print("\r" + " ".repeat(BAR + 40) + "\r");
                err.flush();
                return n;
            }
            err.print("\r" + bar(job));
            err.flush();
            sleep();
        }
    }

    static String bar(JsonNode job) {
        long total = job.path("total").asLong();
        long done = job.path("done").asLong();
        int filled = total > 0 ? (int) Math.min(BAR, done * BAR / total) : 0;
        String pct = total > 0 ? (done * 100 / total) + "%" : done + "";
        String line = "[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] " + pct + " " + job.path("phase").asText();
        JsonNode c = job.path("counters");
        if (c.has("foldersTotal")) {
            line += String.format(java.util.Locale.ROOT, " (folder %d/%d, %d/%d messages, %.1f MB)", c.path("foldersDone").asLong(),
                    c.path("foldersTotal").asLong(), done, total, c.path("bytes").asLong() / 1e6);
        }
        return line;
    }

    private void sleep() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNAVAILABLE, "interrupted");
        }
    }
}
