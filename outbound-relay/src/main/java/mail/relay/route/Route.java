package mail.relay.route;

import java.util.List;
import mail.relay.smtp.Destination;

/** Where the mail of one domain goes: hosts to try in order, or nowhere. */
public sealed interface Route permits Route.Hosts, Route.Undeliverable, Route.Deferred {

    record Hosts(List<Destination> destinations) implements Route {
        public Hosts {
            destinations = List.copyOf(destinations);
        }
    }

    /** Permanently: no such domain, a null MX (RFC 7505), or no host at all. */
    record Undeliverable(String reply, String status) implements Route {
    }

    /** Not now: a condition a later attempt may find changed (an MTA-STS policy that permits none of the MX hosts). */
    record Deferred(String reason, String status) implements Route {
    }
}
