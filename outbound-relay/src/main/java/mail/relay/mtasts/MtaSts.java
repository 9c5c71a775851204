package mail.relay.mtasts;

import java.util.List;
import java.util.function.BiConsumer;
import mail.relay.mtasts.MtaStsPolicy.Mode;
import mail.relay.route.Route;
import mail.relay.smtp.Destination;
import org.jboss.logging.Logger;

/**
 * Applies a domain's MTA-STS policy to the MX hosts routing found (RFC 8461 §5). In {@code enforce} mode only the
 * hosts the policy names remain, each to be used only with TLS verified for its name; when none remains the mail
 * waits (a temporary failure, so a corrected policy or MX set is picked up by a later attempt, §5.1). In
 * {@code testing} mode the route is unchanged and a mismatch is only reported.
 */
public final class MtaSts {
    private static final Logger LOG = Logger.getLogger(MtaSts.class);

    private final MtaStsPolicies policies;
    private final BiConsumer<String, String> outcomes;

    /** @param outcomes told (mode, outcome) of each route a policy applied to, for metrics */
    public MtaSts(MtaStsPolicies policies, BiConsumer<String, String> outcomes) {
        this.policies = policies;
        this.outcomes = outcomes;
    }

    public Route apply(String domain, Route route) {
        if (!(route instanceof Route.Hosts hosts)) {
            return route;
        }
        MtaStsPolicies.Lookup lookup = policies.lookup(domain);
        if (lookup.policy().isEmpty() || lookup.policy().get().mode() == Mode.NONE) {
            return route;
        }
        MtaStsPolicy policy = lookup.policy().get();
        List<Destination> permitted = hosts.destinations().stream().filter(d -> policy.permits(d.hostname())).toList();
        if (policy.mode() == Mode.TESTING) {
            boolean mismatch = permitted.size() != hosts.destinations().size();
            if (mismatch) {
                LOG.infof("MTA-STS testing policy of %s does not name every MX host (%s); delivering as usual", domain, policy.mx());
            }
            outcomes.accept("testing", mismatch ? "mx-mismatch" : "match");
            return route;
        }
        if (permitted.isEmpty()) {
            outcomes.accept("enforce", "no-permitted-mx");
            return new Route.Deferred("MTA-STS policy of " + domain + " permits none of its MX hosts (policy mx "
                    + String.join(", ", policy.mx()) + ")", "4.7.5");
        }
        outcomes.accept("enforce", "applied");
        return new Route.Hosts(permitted.stream()
                .map(d -> new Destination(d.hostname(), d.address(), d.port(), true, d.credentials())).toList());
    }
}
