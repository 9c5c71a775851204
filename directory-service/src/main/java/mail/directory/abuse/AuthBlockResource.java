package mail.directory.abuse;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mail.core.abuse.AuthFailureLedger;
import mail.core.mongo.MongoSchema;
import mail.core.runtime.InfraConfig;
import mail.directory.api.ApiException;
import mail.directory.api.Inputs;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Authentication failures and blocks shared by every SMTP, IMAP and POP3 instance (see docs/abuse-protection.md):
 * administrators list them and lift a block, for a customer locked out by a typo storm or an office behind one NAT.
 */
@Path("/api/v1/auth-blocks")
@RolesAllowed("mail-admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "abuse")
@SecurityRequirement(name = "bearer")
public class AuthBlockResource {
    private static final Logger LOG = Logger.getLogger(AuthBlockResource.class);

    private final AuthFailureLedger ledger;
    private final Clock clock = Clock.systemUTC();

    public AuthBlockResource(com.mongodb.client.MongoDatabase db, InfraConfig.AuthGuard cfg) {
        this.ledger = new AuthFailureLedger(db, new AuthFailureLedger.Settings(cfg.window(), cfg.clientBlockAfter(),
                cfg.accountBlockAfter(), cfg.blockFor()));
        try {
            MongoSchema.ensure(db, List.of(AuthFailureLedger.spec()));
        } catch (RuntimeException e) {
            LOG.warnf("auth_failures indexes not created: %s", e.getMessage());
        }
    }

    public record Entry(String kind, String value, int failures, Instant windowStart, Instant lastFailure, Instant blockedUntil,
                        boolean blocked) {
        static Entry of(AuthFailureLedger.Entry e, Instant now) {
            int colon = e.key().indexOf(':');
            return new Entry(colon > 0 && e.key().startsWith("ip:") ? "ip" : "account", e.key().substring(colon + 1), e.failures(),
                    e.windowStart(), e.lastFailure(), e.blockedUntil().orElse(null), e.blockedAt(now));
        }
    }

    public record Listing(List<Entry> entries) {
    }

    @GET
    @Operation(summary = "Blocked client networks and accounts; with all=true also those with failures but no block yet")
    public Listing list(@QueryParam("all") @DefaultValue("false") boolean all, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("limit", "limit must be 1 to 1000");
        }
        Instant now = clock.instant();
        List<AuthFailureLedger.Entry> found = all ? ledger.entries(now, limit) : ledger.blocked(now);
        return new Listing(found.stream().limit(limit).map(e -> Entry.of(e, now)).toList());
    }

    @DELETE
    @Operation(summary = "Lift the block of a client (ip=, an IPv6 address stands for its /64) or of an account (account=)"
            + " and forget its failures; every instance stops refusing within its refresh interval")
    public Response lift(@QueryParam("ip") String ip, @QueryParam("account") String account) {
        if ((ip == null) == (account == null)) {
            throw ApiException.invalid("ip", "give exactly one of ip= or account=");
        }
        String key;
        if (ip != null) {
            key = AuthFailureLedger.clientKey(network(ip));
        } else {
            key = AuthFailureLedger.accountKey(Inputs.required(account, "account").trim());
        }
        if (!ledger.lift(key)) {
            throw ApiException.notFound("block or failure record", key);
        }
        LOG.infof("auth block lifted: %s", key);
        return Response.noContent().build();
    }

    private static String network(String ip) {
        String v = ip.trim();
        if (v.endsWith("::/64")) {
            v = v.substring(0, v.length() - 3);
        }
        // only literals: a name here must never cause a DNS lookup
        if (v.isEmpty() || !v.matches("[0-9A-Fa-f:.]+")) {
            throw ApiException.invalid("ip", "not an IP address: " + ip);
        }
        try {
            return AuthFailureLedger.clientNetwork(InetAddress.getByName(v));
        } catch (UnknownHostException e) {
            throw ApiException.invalid("ip", "not an IP address: " + ip);
        }
    }
}
