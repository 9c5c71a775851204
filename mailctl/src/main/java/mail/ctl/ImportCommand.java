package mail.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import mail.ctl.api.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Import of mbox files or a Maildir into one account; backup-service reads them below its exchange directory. */
@Command(name = "import", description = "Import mbox files or a Maildir++ tree from the backup-service host into an account; "
        + "running it again skips what is already there. 'import imap' migrates from a remote IMAP server.",
        subcommands = ImportCommand.Imap.class)
final class ImportCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    Mailctl root;

    @Option(names = "--backup-url", description = "backup-service base URL (env MAILCTL_BACKUP_URL; default ${DEFAULT-VALUE})",
            defaultValue = "${env:MAILCTL_BACKUP_URL:-http://127.0.0.1:8086}")
    String backupUrl;

    // optional for picocli so that 'import imap ...' does not need them; checked when the file import runs
    @Parameters(paramLabel = "ACCOUNT", arity = "0..1", description = "address or account id")
    String account;

    @Option(names = "--format", description = "mbox or maildir")
    String format;

    @Option(names = "--path", description = "an mbox file, a directory of *.mbox files, or a Maildir, relative to "
            + "backup-service's exchange directory")
    String path;

    @Option(names = "--no-wait", description = "start the import and return")
    boolean noWait;

    long pollMillis = 500;

    @Override
    public Integer call() {
        return ExportCommand.run(root, backupUrl, "/api/v1/imports", "import", account, format, path, noWait, pollMillis);
    }

    /** Migration from a remote IMAP server; the password or token is read from a file so it is not in the shell history. */
    @Command(name = "imap", description = "Import every folder of a remote IMAP account (flags, keywords, dates) into an account; "
            + "running it again continues and never duplicates.")
    static final class Imap implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        ImportCommand parent;

        @Option(names = "--account", required = true, description = "the local account: address or account id")
        String account;

        @Option(names = "--host", required = true, description = "the remote IMAP server")
        String host;

        @Option(names = "--port", description = "default 993 with --tls implicit, else 143")
        Integer port;

        @Option(names = "--tls", defaultValue = "implicit", description = "implicit, starttls or none (default ${DEFAULT-VALUE})")
        String tls;

        @Option(names = "--user", required = true, description = "the login name on the remote server")
        String user;

        @Option(names = "--password-file", description = "a file holding the password (first line)")
        Path passwordFile;

        @Option(names = "--token-file", description = "a file holding an OAuth 2.0 access token (first line)")
        Path tokenFile;

        @Option(names = "--mechanism", description = "with --token-file: xoauth2 (default) or oauthbearer")
        String mechanism;

        @Option(names = "--insecure", description = "accept any certificate of the remote server (self-signed); still encrypted")
        boolean insecure;

        @Option(names = "--no-wait", description = "start the import and return")
        boolean noWait;

        long pollMillis = 500;

        @Override
        public Integer call() {
            if ((passwordFile == null) == (tokenFile == null)) {
                throw new CliException(CliException.USAGE, "give either --password-file or --token-file");
            }
            if (mechanism != null && tokenFile == null) {
                throw new CliException(CliException.USAGE, "--mechanism goes with --token-file");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("account", account);
            body.put("host", host);
            if (port != null) {
                body.put("port", port);
            }
            body.put("tls", tls);
            body.put("user", user);
            if (passwordFile != null) {
                body.put("password", secret(passwordFile, "--password-file"));
            } else {
                body.put("token", secret(tokenFile, "--token-file"));
                if (mechanism != null) {
                    body.put("mechanism", mechanism);
                }
            }
            if (insecure) {
                body.put("verifyCertificate", false);
            }
            return ExportCommand.runJob(parent.root, parent.backupUrl, "/api/v1/imports/imap", "/api/v1/imports", "import", body,
                    noWait || parent.noWait, pollMillis);
        }

        private static String secret(Path file, String option) {
            try {
                String s = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                if (s.isEmpty()) {
                    throw new CliException(CliException.USAGE, option + " " + file + " is empty");
                }
                return s;
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, option + " " + file + " cannot be read: " + e.getMessage());
            }
        }
    }
}
