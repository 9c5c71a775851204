package mail.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import mail.ctl.api.ApiClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The outbound relay's queue; its admin API is on the relay's own port, not directory-service's. */
@Command(name = "queue", description = "The outbound mail queue: list, show, retry now, delete (with or without a bounce).")
final class QueueCommand {
    private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("STATE", "state"),
            Output.Column.of("SENDER", "sender"), Output.Column.of("DOMAIN", "domain"), Output.Column.of("ATTEMPTS", "attempts"),
            Output.Column.of("NEXT ATTEMPT", "nextAttemptAt"), Output.Column.of("LAST ERROR", "lastError"));

    private static final List<Output.Column> RECIPIENT_COLUMNS = List.of(Output.Column.of("RECIPIENT", "address"),
            Output.Column.of("STATE", "state"), Output.Column.of("ATTEMPTS", "attempts"), Output.Column.of("STATUS", "status"),
            Output.Column.of("LAST REPLY", "lastReply"));

    @ParentCommand
    Mailctl root;

    @Option(names = "--relay-url", description = "outbound relay base URL (env MAILCTL_RELAY_URL; default ${DEFAULT-VALUE})",
            defaultValue = "${env:MAILCTL_RELAY_URL:-http://127.0.0.1:8087}", scope = CommandLine.ScopeType.INHERIT)
    String relayUrl;

    private ApiClient api() {
        return new ApiClient(relayUrl, root.session());
    }

    @Command(name = "list", description = "List queued messages, oldest first.")
    int list(@Option(names = "--sender", description = "envelope sender") String sender,
             @Option(names = "--recipient", description = "one of the recipients") String recipient,
             @Option(names = "--domain", description = "destination domain") String domain,
             @Option(names = "--state", description = "queued, deferred, bouncing or done") String state,
             @Option(names = "--limit", defaultValue = "100", description = "at most this many (1-1000; default ${DEFAULT-VALUE})") int limit) {
        StringBuilder q = new StringBuilder("/api/v1/queue?limit=").append(limit);
        append(q, "sender", sender);
        append(q, "recipient", recipient);
        append(q, "domain", domain);
        append(q, "state", state);
        root.list(api().get(q.toString()), COLUMNS);
        return 0;
    }

    @Command(name = "show", description = "Show one queued message with each recipient's state and last reply.")
    int show(@Parameters(paramLabel = "ID") String id) {
        JsonNode entry = api().get("/api/v1/queue/" + ApiClient.seg(id));
        if (root.jsonOutput() || !entry.isObject()) {
            root.show(entry);
            return 0;
        }
        ObjectNode head = ((ObjectNode) entry).deepCopy();
        JsonNode recipients = head.remove("recipients");
        root.show(head);
        if (recipients != null && recipients.isArray()) {
            root.out().println();
            Output.table(root.out(), recipients, RECIPIENT_COLUMNS);
        }
        return 0;
    }

    @Command(name = "retry", description = "Make a deferred message due now.")
    int retry(@Parameters(paramLabel = "ID") String id) {
        api().post("/api/v1/queue/" + ApiClient.seg(id) + "/retry", null);
        root.done("queued " + id + " for an attempt now");
        return 0;
    }

    @Command(name = "delete", description = "Remove a message from the queue; with --bounce its sender gets a failure DSN.")
    int delete(@Parameters(paramLabel = "ID") String id,
               @Option(names = "--bounce", description = "fail the pending recipients and tell the sender") boolean bounce) {
        api().delete("/api/v1/queue/" + ApiClient.seg(id) + "?bounce=" + bounce);
        root.done(bounce ? "deleted " + id + "; the sender will get a DSN" : "deleted " + id + " silently");
        return 0;
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value != null && !value.isBlank()) {
            q.append('&').append(name).append('=').append(ApiClient.seg(value));
        }
    }
}
