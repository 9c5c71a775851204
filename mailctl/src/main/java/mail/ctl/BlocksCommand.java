package mail.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import mail.ctl.api.ApiClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Blocks after authentication failures, shared by every SMTP, IMAP and POP3 instance (directory-service's API). */
@Command(name = "blocks", description = "Client addresses and accounts blocked after authentication failures: list, lift.")
final class BlocksCommand {
    private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("KIND", "kind"), Output.Column.of("VALUE", "value"),
            Output.Column.of("FAILURES", "failures"), Output.Column.of("LAST FAILURE", "lastFailure"),
            Output.Column.of("BLOCKED UNTIL", "blockedUntil"));

    @ParentCommand
    Mailctl root;

    @Command(name = "list", description = "List blocked addresses and accounts; --all adds those with failures and no block yet.")
    int list(@Option(names = "--all", description = "also list failures that have not led to a block") boolean all,
             @Option(names = "--limit", defaultValue = "100", description = "at most this many (1-1000; default ${DEFAULT-VALUE})") int limit) {
        JsonNode listing = root.api().get("/api/v1/auth-blocks?all=" + all + "&limit=" + limit);
        root.list(root.jsonOutput() ? listing : listing.get("entries"), COLUMNS);
        return 0;
    }

    static final class Target {
        @Option(names = "--ip", required = true, description = "a client address (an IPv6 address stands for its /64)")
        String ip;

        @Option(names = "--account", required = true, description = "an account name as clients log in with it")
        String account;
    }

    @Command(name = "lift", description = "Lift a block and forget the failures behind it; every instance follows within seconds.")
    int lift(@ArgGroup(exclusive = true, multiplicity = "1") Target target) {
        String query = target.ip != null ? "ip=" + ApiClient.seg(target.ip) : "account=" + ApiClient.seg(target.account);
        root.api().delete("/api/v1/auth-blocks?" + query);
        root.done("lifted the block of " + (target.ip != null ? target.ip : target.account));
        return 0;
    }
}
