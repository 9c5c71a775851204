package mail.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import mail.ctl.api.ApiClient;
import mail.ctl.api.CliException;
import mail.ctl.api.Secrets;
import mail.ctl.api.Session;
import mail.ctl.api.Tokens;
import mail.ctl.check.CheckCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The administrator's command line for the mail platform. Exit codes: 0 success, 1 the API refused (4xx), 2 usage
 * error, 3 not logged in or not allowed, 4 service unreachable or failing (5xx); {@code check}: 1 if any check failed.
 */
@Command(name = "mailctl", mixinStandardHelpOptions = true, version = "mailctl 0.1.0",
        description = "Administer domains, accounts, aliases and groups of the mail platform, and check its services.",
        subcommands = {Mailctl.Login.class, Mailctl.Domains.class, Mailctl.Accounts.class, Mailctl.Aliases.class,
                Mailctl.Groups.class, Mailctl.Dns.class, Mailctl.Maintenance.class, QueueCommand.class, BlocksCommand.class,
                BackupCommand.class, ExportCommand.class, ImportCommand.class, CheckCommand.class,
                CommandLine.HelpCommand.class})
public final class Mailctl {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", description = "admin API base URL (env MAILCTL_URL; default ${DEFAULT-VALUE})",
            defaultValue = "${env:MAILCTL_URL:-http://127.0.0.1:8081}", scope = CommandLine.ScopeType.INHERIT)
    String url;

    @Option(names = "--json", description = "print the API's JSON instead of a table", scope = CommandLine.ScopeType.INHERIT)
    boolean json;

    // injected rather than read globally, so that tests can give mailctl its own config directory
    final Map<String, String> env;

    Mailctl(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Mailctl(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof CliException c ? c.exitCode()
                : e instanceof CommandLine.ParameterException ? CliException.USAGE : CliException.API_ERROR);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException c) {
                cmd.getErr().println("mailctl: " + c.getMessage());
                return c.exitCode();
            }
            cmd.getErr().println("mailctl: " + e);
            return CliException.API_ERROR;
        });
        return cli.execute(args);
    }

    public boolean jsonOutput() {
        return json;
    }

    ApiClient api() {
        return new ApiClient(url, session());
    }

    Session session() {
        return new Session(Session.defaultDir(env));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    void show(JsonNode node) {
        if (json) {
            Output.json(out(), node);
        } else {
            Output.fields(out(), node);
        }
    }

    void list(JsonNode rows, List<Output.Column> columns) {
        if (json) {
            Output.json(out(), rows);
        } else {
            Output.table(out(), rows.has("items") ? rows.get("items") : rows, columns);
        }
    }

    void done(String message) {
        if (json) {
            Output.json(out(), JsonNodeFactory.instance.objectNode().put("result", message));
        } else {
            out().println(message);
        }
    }

    static String password(String given, boolean fromStdin, String prompt) {
        return Secrets.password(given, fromStdin, prompt);
    }

    static String paged(String path, String domain, String after, int limit) {
        StringBuilder q = new StringBuilder(path).append("?limit=").append(limit);
        if (domain != null) {
            q.append("&domain=").append(ApiClient.seg(domain));
        }
        if (after != null) {
            q.append("&after=").append(ApiClient.seg(after));
        }
        return q.toString();
    }

    @Command(name = "login", description = "Log in with the password grant of client mailctl; the token is cached.")
    static final class Login implements Callable<Integer> {
        @ParentCommand
        Mailctl root;

        @Option(names = {"-u", "--user"}, description = "user name (env MAILCTL_USER; default admin)",
                defaultValue = "${env:MAILCTL_USER:-admin}")
        String user;

        @Option(names = "--password", description = "password (prefer --password-stdin or the prompt)")
        String password;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;

        @Option(names = "--keycloak", description = "realm URL (env MAILCTL_KEYCLOAK; default ${DEFAULT-VALUE})",
                defaultValue = "${env:MAILCTL_KEYCLOAK:-http://127.0.0.1:8180/realms/mail}")
        String realmUrl;

        @Override
        public Integer call() {
            String pw = password(password, passwordStdin, "Password for " + user + ": ");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Session session = root.session();
            session.save(Tokens.passwordGrant(http, realmUrl, user, pw));
            root.done("logged in as " + user + " (token cached in " + session.file() + ")");
            return 0;
        }
    }

    @Command(name = "domain", description = "Hosted domains, alias domains, catch-all and DKIM keys.")
    static final class Domains {
        @ParentCommand
        Mailctl root;

        private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("NAME", "name"),
                Output.Column.of("ALIAS DOMAINS", "aliasDomains"), Output.Column.of("CATCH-ALL", "catchAll"),
                Output.Column.of("ADDRESSES", "entries"));

        @Command(name = "list", description = "List domains.")
        int list() {
            root.list(root.api().get("/api/v1/domains"), COLUMNS);
            return 0;
        }

        @Command(name = "show", description = "Show a domain.")
        int show(@Parameters(paramLabel = "DOMAIN") String name) {
            root.show(root.api().get("/api/v1/domains/" + ApiClient.seg(name)));
            return 0;
        }

        @Command(name = "create", description = "Create a domain (DKIM keys are generated).")
        int create(@Parameters(paramLabel = "DOMAIN") String name,
                   @Option(names = "--alias-domain", description = "alias domain (repeatable)") List<String> aliases,
                   @Option(names = "--catch-all", description = "catch-all target address") String catchAll) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (aliases != null) {
                body.put("aliasDomains", aliases);
            }
            if (catchAll != null) {
                body.put("catchAll", catchAll);
            }
            root.show(root.api().post("/api/v1/domains", body));
            return 0;
        }

        @Command(name = "delete", description = "Delete a domain; refused while it has addresses unless --force.")
        int delete(@Parameters(paramLabel = "DOMAIN") String name,
                   @Option(names = "--force", description = "also delete every account, alias and group in it") boolean force) {
            root.api().delete("/api/v1/domains/" + ApiClient.seg(name) + (force ? "?force=true" : ""));
            root.done("deleted domain " + name);
            return 0;
        }

        @Command(name = "alias-add", description = "Add an alias domain.")
        int aliasAdd(@Parameters(paramLabel = "DOMAIN") String name, @Parameters(paramLabel = "ALIAS") String alias) {
            root.show(root.api().post("/api/v1/domains/" + ApiClient.seg(name) + "/aliases", Map.of("name", alias)));
            return 0;
        }

        @Command(name = "alias-remove", description = "Remove an alias domain.")
        int aliasRemove(@Parameters(paramLabel = "DOMAIN") String name, @Parameters(paramLabel = "ALIAS") String alias) {
            root.show(root.api().delete("/api/v1/domains/" + ApiClient.seg(name) + "/aliases/" + ApiClient.seg(alias)));
            return 0;
        }

        @Command(name = "catch-all", description = "Set the catch-all target, or clear it with --clear.")
        int catchAll(@Parameters(paramLabel = "DOMAIN") String name,
                     @Parameters(paramLabel = "TARGET", arity = "0..1") String target,
                     @Option(names = "--clear") boolean clear) {
            String path = "/api/v1/domains/" + ApiClient.seg(name) + "/catch-all";
            if (clear == (target != null)) {
                throw new CliException(CliException.USAGE, "give either a TARGET or --clear");
            }
            root.show(clear ? root.api().delete(path) : root.api().put(path, Map.of("target", target)));
            return 0;
        }

        @Command(name = "rotate-dkim", description = "Generate new DKIM keys; the previous ones stay published.")
        int rotate(@Parameters(paramLabel = "DOMAIN") String name) {
            root.show(root.api().post("/api/v1/domains/" + ApiClient.seg(name) + "/dkim/rotate", Map.of()));
            return 0;
        }
    }

    @Command(name = "account", description = "Mail accounts (Keycloak user + mail attributes).")
    static final class Accounts {
        @ParentCommand
        Mailctl root;

        private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ADDRESS", "address"),
                Output.Column.of("NAME", "displayName"), Output.Column.of("QUOTA", "quotaBytes"),
                Output.Column.of("ENABLED", "enabled"));

        @Command(name = "list", description = "List accounts (paged).")
        int list(@Option(names = "--domain") String domain, @Option(names = "--after") String after,
                 @Option(names = "--limit", defaultValue = "100") int limit) {
            JsonNode page = root.api().get(paged("/api/v1/accounts", domain, after, limit));
            root.list(page, COLUMNS);
            if (!root.json && page.hasNonNull("next")) {
                root.out().println("(more: --after " + page.get("next").asText() + ")");
            }
            return 0;
        }

        @Command(name = "show", description = "Show an account with its quota usage.")
        int show(@Parameters(paramLabel = "ADDRESS") String address) {
            root.show(root.api().get("/api/v1/accounts/" + ApiClient.seg(address)));
            return 0;
        }

        @Command(name = "create", description = "Create an account.")
        int create(@Parameters(paramLabel = "ADDRESS") String address,
                   @Option(names = "--password") String password,
                   @Option(names = "--password-stdin") boolean stdin,
                   @Option(names = "--name", description = "display name") String name,
                   @Option(names = "--quota", description = "quota in bytes (0 = unlimited)") Long quota,
                   @Option(names = "--quota-messages", description = "message-count quota") Long quotaMessages,
                   @Option(names = "--save-sent-copy", arity = "1", paramLabel = "true|false",
                           description = "keep a copy of what the account submits in its Sent folder") Boolean sentCopy) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("address", address);
            body.put("password", password(password, stdin, "Password for " + address + ": "));
            putIf(body, "displayName", name);
            putIf(body, "quotaBytes", quota);
            putIf(body, "quotaMessages", quotaMessages);
            putIf(body, "saveSentCopy", sentCopy);
            root.show(root.api().post("/api/v1/accounts", body));
            return 0;
        }

        @Command(name = "passwd", description = "Change an account's password (closes its sessions).")
        int passwd(@Parameters(paramLabel = "ADDRESS") String address, @Option(names = "--password") String password,
                   @Option(names = "--password-stdin") boolean stdin) {
            patch(address, Map.of("password", password(password, stdin, "New password for " + address + ": ")));
            return 0;
        }

        @Command(name = "set", description = "Change display name, quotas and the Sent-copy setting.")
        int set(@Parameters(paramLabel = "ADDRESS") String address, @Option(names = "--name") String name,
                @Option(names = "--quota") Long quota, @Option(names = "--quota-messages") Long quotaMessages,
                @Option(names = "--save-sent-copy", arity = "1", paramLabel = "true|false",
                        description = "keep a copy of what the account submits in its Sent folder") Boolean sentCopy) {
            Map<String, Object> body = new LinkedHashMap<>();
            putIf(body, "displayName", name);
            putIf(body, "quotaBytes", quota);
            putIf(body, "quotaMessages", quotaMessages);
            putIf(body, "saveSentCopy", sentCopy);
            if (body.isEmpty()) {
                throw new CliException(CliException.USAGE,
                        "nothing to change: give --name, --quota, --quota-messages or --save-sent-copy");
            }
            patch(address, body);
            return 0;
        }

        @Command(name = "disable", description = "Disable an account (closes its sessions, refuses its mail).")
        int disable(@Parameters(paramLabel = "ADDRESS") String address) {
            patch(address, Map.of("enabled", false));
            return 0;
        }

        @Command(name = "enable", description = "Enable an account again.")
        int enable(@Parameters(paramLabel = "ADDRESS") String address) {
            patch(address, Map.of("enabled", true));
            return 0;
        }

        @Command(name = "delete", description = "Delete an account; its mail is removed by a background job.")
        int delete(@Parameters(paramLabel = "ADDRESS") String address) {
            root.api().delete("/api/v1/accounts/" + ApiClient.seg(address));
            root.done("deleted account " + address);
            return 0;
        }

        private void patch(String address, Map<String, Object> body) {
            root.show(root.api().patch("/api/v1/accounts/" + ApiClient.seg(address), body));
        }
    }

    static void putIf(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    /** Aliases and groups differ only in their path and the name of their list. */
    abstract static class Forwarding {
        @ParentCommand
        Mailctl root;

        abstract String path();

        abstract String field();

        List<Output.Column> columns() {
            return List.of(Output.Column.of("ADDRESS", "address"), Output.Column.of(field().toUpperCase(), field()));
        }

        @Command(name = "list", description = "List (paged).")
        int list(@Option(names = "--domain") String domain, @Option(names = "--after") String after,
                 @Option(names = "--limit", defaultValue = "100") int limit) {
            root.list(root.api().get(paged(path(), domain, after, limit)), columns());
            return 0;
        }

        @Command(name = "show")
        int show(@Parameters(paramLabel = "ADDRESS") String address) {
            root.show(root.api().get(path() + "/" + ApiClient.seg(address)));
            return 0;
        }

        @Command(name = "create")
        int create(@Parameters(paramLabel = "ADDRESS") String address,
                   @Parameters(paramLabel = "TARGET", arity = "0..*") List<String> targets) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("address", address);
            body.putArray(field()).addAll(targets == null ? List.of() : targets.stream()
                    .map(JsonNodeFactory.instance::textNode).toList());
            root.show(root.api().post(path(), body));
            return 0;
        }

        @Command(name = "add", description = "Add members/targets.")
        int add(@Parameters(paramLabel = "ADDRESS") String address, @Parameters(paramLabel = "TARGET", arity = "1..*") List<String> t) {
            root.show(root.api().patch(path() + "/" + ApiClient.seg(address), Map.of("add", t)));
            return 0;
        }

        @Command(name = "remove", description = "Remove members/targets.")
        int remove(@Parameters(paramLabel = "ADDRESS") String address, @Parameters(paramLabel = "TARGET", arity = "1..*") List<String> t) {
            root.show(root.api().patch(path() + "/" + ApiClient.seg(address), Map.of("remove", t)));
            return 0;
        }

        @Command(name = "delete")
        int delete(@Parameters(paramLabel = "ADDRESS") String address) {
            root.api().delete(path() + "/" + ApiClient.seg(address));
            root.done("deleted " + address);
            return 0;
        }
    }

    @Command(name = "alias", description = "Aliases: one address forwarding to one or more targets.")
    static final class Aliases extends Forwarding {
        @Override
        String path() {
            return "/api/v1/aliases";
        }

        @Override
        String field() {
            return "targets";
        }
    }

    @Command(name = "group", description = "Groups (distribution lists): members may be accounts, aliases, groups.")
    static final class Groups extends Forwarding {
        @Override
        String path() {
            return "/api/v1/groups";
        }

        @Override
        String field() {
            return "members";
        }
    }

    @Command(name = "dns", description = "The DNS records to publish for a domain.")
    static final class Dns implements Callable<Integer> {
        @ParentCommand
        Mailctl root;

        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Option(names = "--zone", description = "print a zone-file fragment")
        boolean zone;

        @Override
        public Integer call() {
            String path = "/api/v1/domains/" + ApiClient.seg(domain) + "/dns";
            if (zone) {
                root.out().print(root.api().getText(path + "?format=zone"));
                root.out().flush();
                return 0;
            }
            JsonNode listing = root.api().get(path);
            root.list(root.json ? listing : listing.get("records"), List.of(Output.Column.of("NAME", "name"),
                    Output.Column.of("TYPE", "type"), Output.Column.of("VALUE", "value")));
            return 0;
        }
    }

    @Command(name = "maintenance", description = "Run a background job of directory-service now: reconcile (pick up users "
            + "changed directly in Keycloak), republish (retry failed directory.changes publishes), purge (remove the "
            + "mail of deleted accounts).")
    static final class Maintenance implements Callable<Integer> {
        enum Job { reconcile, republish, purge }

        @ParentCommand
        Mailctl root;

        @Parameters(paramLabel = "JOB", description = "one of: ${COMPLETION-CANDIDATES}")
        Job job;

        @Override
        public Integer call() {
            root.show(root.api().post("/api/v1/maintenance/" + job.name(), null));
            return 0;
        }
    }
}
