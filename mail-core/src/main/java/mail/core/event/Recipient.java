package mail.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Set;

/**
 * One envelope recipient with its RFC 3461 DSN parameters. The address is the idempotency key together with the
 * event id, so it is carried exactly as accepted (without angle brackets).
 */
public record Recipient(
        String address,
        // "notify" is the RFC 3461 keyword but cannot name a component, since it would override Object.notify().
        @JsonProperty("notify") Set<DsnNotify> notifyOn,
        OriginalRecipient orcpt) {

    public Recipient {
        Checks.address(address, "recipient address");
        notifyOn = Checks.enumSet(notifyOn, DsnNotify.class, "notify");
        if (notifyOn.contains(DsnNotify.NEVER) && notifyOn.size() > 1) {
            throw new IllegalArgumentException("NOTIFY=NEVER cannot be combined with other values, got " + notifyOn);
        }
    }

    /** A recipient without DSN parameters, i.e. the server's default notification behaviour. */
    public static Recipient of(String address) {
        return new Recipient(address, Set.of(), null);
    }

    public String domain() {
        return Checks.domainOf(address);
    }
}
