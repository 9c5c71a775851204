package mail.relay.admin;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mail.relay.queue.EntryState;
import mail.relay.queue.OutboundQueue;
import mail.relay.queue.QueueEntry;
import mail.relay.queue.QueuedRecipient;
import mail.relay.queue.RecipientState;

/** Queue administration: list, show, retry now, delete (with or without a DSN to the sender). */
@Path("/api/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("mail-admin")
@Blocking
public class QueueResource {
    static final int MAX_LIMIT = 1000;
    private static final Duration ADMIN_LEASE = Duration.ofSeconds(30);

    private final OutboundQueue queue;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public QueueResource(OutboundQueue queue) {
        this.queue = queue;
    }

    @GET
    public List<QueueView> list(@QueryParam("sender") String sender, @QueryParam("recipient") String recipient,
                                @QueryParam("domain") String domain, @QueryParam("state") String state,
                                @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return queue.list(new OutboundQueue.Filter(blankToNull(sender), blankToNull(recipient), blankToNull(domain), state(state)), limit)
                .stream().map(QueueView::of).toList();
    }

    @GET
    @Path("/summary")
    public Map<EntryState, Long> summary() {
        return queue.countByState();
    }

    @GET
    @Path("/{id}")
    public QueueView show(@PathParam("id") String id) {
        return QueueView.of(queue.find(id).orElseThrow(() -> ApiException.notFound(id)));
    }

    @POST
    @Path("/{id}/retry")
    public QueueView retry(@PathParam("id") String id) {
        QueueEntry e = queue.find(id).orElseThrow(() -> ApiException.notFound(id));
        if (!e.state().isActive() || !queue.retryNow(id, clock.instant())) {
            throw new ApiException(409, "not-active", "queue entry " + id + " is " + e.state().name().toLowerCase(Locale.ROOT)
                    + "; there is nothing to retry", null);
        }
        return QueueView.of(queue.find(id).orElseThrow(() -> ApiException.notFound(id)));
    }

    /**
     * Without {@code bounce} the entry is removed silently. With it, every pending recipient fails now and the entry
     * stays until the workers have handed on the DSN (it then shows as done).
     */
    @DELETE
    @Path("/{id}")
    public QueueView delete(@PathParam("id") String id, @QueryParam("bounce") @DefaultValue("false") String bounce) {
        boolean withDsn = parseBoolean(bounce);
        QueueEntry e = queue.find(id).orElseThrow(() -> ApiException.notFound(id));
        if (!withDsn) {
            if (!queue.delete(id)) {
                throw ApiException.notFound(id);
            }
            return QueueView.of(e);
        }
        if (!e.state().isActive()) {
            throw new ApiException(409, "not-active", "queue entry " + id + " is already done", null);
        }
        Instant now = clock.instant();
        OutboundQueue.Claim claim = queue.claim(id, now, ADMIN_LEASE).orElseThrow(() -> new ApiException(409, "busy",
                "queue entry " + id + " is being delivered right now; try again", null));
        List<QueuedRecipient> next = claim.entry().recipients().stream()
                .map(r -> r.state() == RecipientState.PENDING
                        ? r.decided(RecipientState.FAILED, "550 5.3.0 deleted from the queue by an administrator", "5.3.0", now) : r)
                .toList();
        QueueEntry c = claim.entry();
        // the workers hand on the DSN (or, for the null sender, just close the entry)
        queue.save(claim, c.with(EntryState.BOUNCING, next, c.attempts(), now, c.delayWarned(), "deleted by an administrator"), true);
        return QueueView.of(queue.find(id).orElseThrow(() -> ApiException.notFound(id)));
    }

    private static boolean parseBoolean(String v) {
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v)) {
            return false;
        }
        throw ApiException.invalid("bounce", "bounce must be true or false");
    }

    private static EntryState state(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return EntryState.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("state", "state must be one of queued, deferred, bouncing, done");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
