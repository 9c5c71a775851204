package mail.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import mail.ctl.api.ApiClient;
import mail.ctl.api.CliException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Export of one account to mbox or Maildir, written by backup-service below its exchange directory. */
@Command(name = "export", description = "Export an account's mailboxes to mboxrd files or a Maildir++ tree on the backup-service host.")
final class ExportCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    Mailctl root;

    @Option(names = "--backup-url", description = "backup-service base URL (env MAILCTL_BACKUP_URL; default ${DEFAULT-VALUE})",
            defaultValue = "${env:MAILCTL_BACKUP_URL:-http://127.0.0.1:8086}")
    String backupUrl;

    @Parameters(paramLabel = "ACCOUNT", description = "address or account id")
    String account;

    @Option(names = "--format", required = true, description = "mbox or maildir")
    String format;

    @Option(names = "--path", required = true, description = "a new directory, relative to backup-service's exchange directory")
    String path;

    @Option(names = "--no-wait", description = "start the export and return")
    boolean noWait;

    /** Between progress polls; a test sets it to 0. */
    long pollMillis = 500;

    @Override
    public Integer call() {
        return run(root, backupUrl, "/api/v1/exports", "export", account, format, path, noWait, pollMillis);
    }

    static int run(Mailctl root, String url, String collection, String what, String account, String format, String path,
                   boolean noWait, long pollMillis) {
        if (!"mbox".equals(format) && !"maildir".equals(format)) {
            throw new CliException(CliException.USAGE, "--format must be mbox or maildir");
        }
        if (account == null || account.isBlank()) {
            throw new CliException(CliException.USAGE, "ACCOUNT is required");
        }
        if (path == null || path.isBlank()) {
            throw new CliException(CliException.USAGE, "--path is required");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", account);
        body.put("format", format);
        body.put("path", path);
        return runJob(root, url, collection, collection, what, body, noWait, pollMillis);
    }

    /** Starts a job by POSTing {@code body} to {@code post}, then follows it under {@code collection}/id. */
    static int runJob(Mailctl root, String url, String post, String collection, String what, Map<String, Object> body,
                      boolean noWait, long pollMillis) {
        ApiClient api = new ApiClient(url, root.session());
        JsonNode job = api.post(post, body);
        String id = job.path("id").asText();
        if (noWait) {
            root.done("started " + what + " " + id);
            return 0;
        }
        JsonNode last = follow(root, api, collection + "/" + ApiClient.seg(id), pollMillis);
        if (!"succeeded".equals(last.path("state").asText())) {
            throw new CliException(CliException.API_ERROR, what + " " + id + " failed: " + last.path("error").asText("unknown"));
        }
        root.show(last.path("result"));
        return 0;
    }

    /** Polls the job until it ends, with BackupCommand's progress bar on standard error. */
    private static JsonNode follow(Mailctl root, ApiClient api, String path, long pollMillis) {
        PrintWriter err = root.spec.commandLine().getErr();
        while (true) {
            JsonNode job = api.get(path);
            String state = job.path("state").asText();
            if ("succeeded".equals(state) || "failed".equals(state)) {
                err.print("\r" + " ".repeat(70) + "\r");
                err.flush();
                return job;
            }
            err.print("\r" + BackupCommand.bar(job));
            err.flush();
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.UNAVAILABLE, "interrupted");
            }
        }
    }
}
