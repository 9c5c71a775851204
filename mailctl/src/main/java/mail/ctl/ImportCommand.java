package mail.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Import of mbox files or a Maildir into one account; backup-service reads them below its exchange directory. */
@Command(name = "import", description = "Import mbox files or a Maildir++ tree from the backup-service host into an account; "
        + "running it again skips what is already there.")
final class ImportCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    Mailctl root;

    @Option(names = "--backup-url", description = "backup-service base URL (env MAILCTL_BACKUP_URL; default ${DEFAULT-VALUE})",
            defaultValue = "${env:MAILCTL_BACKUP_URL:-http://127.0.0.1:8086}")
    String backupUrl;

    @Parameters(paramLabel = "ACCOUNT", description = "address or account id")
    String account;

    @Option(names = "--format", required = true, description = "mbox or maildir")
    String format;

    @Option(names = "--path", required = true, description = "an mbox file, a directory of *.mbox files, or a Maildir, relative to "
            + "backup-service's exchange directory")
    String path;

    @Option(names = "--no-wait", description = "start the import and return")
    boolean noWait;

    long pollMillis = 500;

    @Override
    public Integer call() {
        return ExportCommand.run(root, backupUrl, "/api/v1/imports", "import", account, format, path, noWait, pollMillis);
    }
}
