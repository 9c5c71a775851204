package mail.relay.worker;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mail.core.blob.BlobStore;
import mail.core.event.OutboundRequested;
import mail.core.event.Recipient;
import mail.core.logging.LogContext;
import mail.core.tracing.TraceHeaders;
import mail.relay.dsn.Bounces;
import mail.relay.metrics.RelayMetrics;
import mail.relay.queue.EntryState;
import mail.relay.queue.OutboundQueue.Claim;
import mail.relay.queue.OutboundQueue;
import mail.relay.queue.QueueEntry;
import mail.relay.queue.QueuedRecipient;
import mail.relay.queue.RecipientState;
import mail.relay.route.DnsLookup.DnsFailure;
import mail.relay.route.Route;
import mail.relay.route.Router;
import mail.relay.smtp.Destination;
import mail.relay.smtp.MailTransaction;
import mail.relay.smtp.RecipientResult;
import mail.relay.smtp.SmtpClient;
import mail.relay.smtp.SmtpFailure;
import org.jboss.logging.Logger;

/**
 * One attempt at one claimed queue entry: route, send to the first destination that holds a transaction, record each
 * recipient's outcome, schedule the retry, and hand on the DSN once every recipient is final.
 */
public final class Deliveries {
    private static final Logger LOG = Logger.getLogger(Deliveries.class);

    private final OutboundQueue queue;
    private final Router router;
    private final SmtpClient smtp;
    private final BlobStore blobs;
    private final Bounces bounces;
    private final MessageSigner signer;
    private final Backoff backoff;
    private final Duration delayWarning;
    private final Duration lease;
    private final RelayMetrics metrics;
    private final Clock clock;
    private final Tracer tracer;

    public Deliveries(OutboundQueue queue, Router router, SmtpClient smtp, BlobStore blobs, Bounces bounces, MessageSigner signer,
                      Backoff backoff, Duration delayWarning, Duration lease, RelayMetrics metrics, Clock clock, Tracer tracer) {
        this.tracer = tracer;
        this.queue = queue;
        this.router = router;
        this.smtp = smtp;
        this.blobs = blobs;
        this.bounces = bounces;
        this.signer = signer;
        this.backoff = backoff;
        this.delayWarning = delayWarning;
        this.lease = lease;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * One span per attempt, child of the span that queued the entry (its traceparent is stored with it, since the
     * attempt happens later and maybe on another copy): retries and the DSN show up in the message's trace.
     */
    public void handle(Claim claim) throws InterruptedException {
        QueueEntry e = claim.entry();
        SpanContext queued = TraceHeaders.spanContext(e.traceparent());
        Span span = tracer.spanBuilder("smtp relay attempt").setSpanKind(SpanKind.CLIENT)
                .setParent(queued.isValid() ? Context.root().with(Span.wrap(queued)) : Context.root())
                .setAttribute("mail.message.id", e.id())
                .setAttribute("mail.relay.domain", e.request().domain())
                .setAttribute("mail.relay.attempt", (long) e.attempts() + 1)
                .setAttribute("mail.relay.state", e.state().name())
                .startSpan();
        Map<String, String> fields = new HashMap<>(LogContext.of(span));
        fields.put(LogContext.MESSAGE_ID, e.id());
        // a span without ids (no tracer behind the API) is not made current: it would hide nothing useful
        try (Scope ignored = span.getSpanContext().isValid() ? span.makeCurrent() : Scope.noop();
             LogContext.Scope log = LogContext.with(fields)) {
            attemptOrConclude(claim, e);
        } catch (RuntimeException | InterruptedException x) {
            span.recordException(x);
            span.setStatus(StatusCode.ERROR);
            throw x;
        } finally {
            span.end();
        }
    }

    private void attemptOrConclude(Claim claim, QueueEntry e) throws InterruptedException {
        if (e.state() == EntryState.BOUNCING) {
            bounce(claim, e);
            return;
        }
        List<QueuedRecipient> pending = e.pending();
        Instant now = clock.instant();
        if (pending.isEmpty()) {
            conclude(claim, e, e.recipients(), e.attempts(), e.lastError());
            return;
        }
        Instant expiry = backoff.expiry(e.request().receivedAt());
        if (!now.isBefore(expiry)) {
            List<QueuedRecipient> next = new ArrayList<>();
            for (QueuedRecipient r : e.recipients()) {
                next.add(r.state() == RecipientState.PENDING
                        ? r.decided(RecipientState.FAILED, expiredReply(r, e), "4.4.7", now) : r);
            }
            metrics.bounced(pending.size());
            LOG.infof("%s to %s expired after %s with %d recipients pending", e.id(), e.request().domain(),
                    Duration.between(e.request().receivedAt(), now), pending.size());
            conclude(claim, e, next, e.attempts(), "expired");
            return;
        }
        metrics.attempt();
        Outcome outcome;
        try {
            e = signed(claim, e);
            outcome = attempt(claim, e, pending);
        } catch (IOException | RuntimeException x) {
            outcome = all(pending.stream().map(QueuedRecipient::recipient).toList(), RecipientState.PENDING,
                    "signing the message failed: " + x.getMessage(), "4.3.0");
        }
        Map<String, RecipientResult> byAddress = new HashMap<>();
        outcome.results().forEach(r -> byAddress.put(r.recipient().address(), r));
        Instant done = clock.instant();
        List<QueuedRecipient> next = new ArrayList<>();
        int delivered = 0;
        int failed = 0;
        int deferred = 0;
        for (QueuedRecipient r : e.recipients()) {
            RecipientResult res = r.state() == RecipientState.PENDING ? byAddress.get(r.address()) : null;
            if (res == null) {
                next.add(r);
                continue;
            }
            next.add(r.outcome(res.state(), res.reply(), res.status(), done));
            if (res.state() == RecipientState.DELIVERED) {
                delivered++;
            } else if (res.state() == RecipientState.FAILED) {
                failed++;
            } else {
                deferred++;
            }
        }
        metrics.delivered(delivered);
        metrics.bounced(failed);
        metrics.deferred(deferred);
        LOG.infof("%s attempt %d to %s: %d delivered, %d failed, %d deferred%s", e.id(), e.attempts() + 1, e.request().domain(),
                delivered, failed, deferred, outcome.error() == null ? "" : " (" + outcome.error() + ")");
        conclude(claim, e, next, e.attempts() + 1, outcome.error());
    }

    private static String expiredReply(QueuedRecipient r, QueueEntry e) {
        String last = r.lastReply() == null ? "no attempt succeeded" : "last reply: " + r.lastReply();
        return "delivery time expired after " + e.attempts() + " attempts; " + last;
    }

    private record Outcome(List<RecipientResult> results, String error) {
    }

    private Outcome attempt(Claim claim, QueueEntry e, List<QueuedRecipient> pending) throws InterruptedException {
        List<Recipient> rcpts = pending.stream().map(QueuedRecipient::recipient).toList();
        Route route;
        try {
            route = router.route(e.request().domain());
        } catch (DnsFailure f) {
            return all(rcpts, RecipientState.PENDING, "DNS: " + f.getMessage(), "4.4.3");
        } catch (RuntimeException f) {
            return all(rcpts, RecipientState.PENDING, "routing failed: " + f.getMessage(), "4.4.3");
        }
        if (route instanceof Route.Undeliverable u) {
            return all(rcpts, RecipientState.FAILED, u.reply(), u.status());
        }
        if (route instanceof Route.Deferred d) {
            return all(rcpts, RecipientState.PENDING, d.reason(), d.status());
        }
        List<Destination> destinations = ((Route.Hosts) route).destinations();
        MailTransaction t;
        try {
            t = transaction(e, rcpts);
        } catch (IOException | RuntimeException f) {
            return all(rcpts, RecipientState.PENDING, "local error preparing the message: " + f.getMessage(), "4.3.0");
        }
        SmtpFailure last = null;
        for (Destination d : destinations) {
            // each destination may take the full RFC 5321 timeouts: the lease must outlast this one, not the whole list
            if (!queue.renew(claim, clock.instant().plus(lease))) {
                return all(rcpts, RecipientState.PENDING, "the lease passed to another copy", "4.3.0");
            }
            try {
                return new Outcome(smtp.send(d, t), null);
            } catch (SmtpFailure f) {
                last = f;
                LOG.debugf("%s: %s", e.id(), f.reply());
                if (f.permanent()) {
                    return all(rcpts, RecipientState.FAILED, f.reply(), f.status());
                }
            }
        }
        return all(rcpts, RecipientState.PENDING, last == null ? "no destination" : last.reply(), last == null ? "4.4.0" : last.status());
    }

    /** Signed once, before the first attempt, and kept: every attempt sends the same bytes. */
    private QueueEntry signed(Claim claim, QueueEntry e) throws IOException {
        if (e.signature() != null) {
            return e;
        }
        QueueEntry s = e.signed(signer.prefix(e));
        if (!queue.save(claim, s, false)) {
            throw new IOException("the lease passed to another copy while signing");
        }
        return s;
    }

    private MailTransaction transaction(QueueEntry e, List<Recipient> rcpts) throws IOException {
        OutboundRequested r = e.request();
        byte[] prefix = e.signature() == null ? new byte[0] : e.signature().getBytes(StandardCharsets.US_ASCII);
        return new MailTransaction(r.reversePath(), rcpts, r.bodyType(), r.smtpUtf8(), r.message().size() + prefix.length, r.ret(),
                r.envId(), () -> new SequenceInputStream(new ByteArrayInputStream(prefix), blobs.get(r.message())));
    }

    private static Outcome all(List<Recipient> rcpts, RecipientState state, String reply, String status) {
        return new Outcome(rcpts.stream().map(r -> new RecipientResult(r, state, reply, status)).toList(),
                state == RecipientState.PENDING ? reply : null);
    }

    private void conclude(Claim claim, QueueEntry e, List<QueuedRecipient> next, int attempts, String error) {
        Instant now = clock.instant();
        boolean anyPending = next.stream().anyMatch(r -> r.state() == RecipientState.PENDING);
        if (anyPending) {
            boolean warned = e.delayWarned();
            QueueEntry deferred = e.with(EntryState.DEFERRED, next, attempts, backoff.next(attempts, now, e.request().receivedAt()),
                    warned, error);
            if (!warned && !delayWarning.isZero() && !now.isBefore(e.request().receivedAt().plus(delayWarning))) {
                try {
                    if (bounces.delay(deferred, now)) {
                        metrics.dsn();
                    }
                    deferred = deferred.with(EntryState.DEFERRED, next, attempts, deferred.nextAttemptAt(), true, error);
                } catch (IOException | RuntimeException x) {
                    LOG.warnf("delay DSN for %s not handed on yet: %s", e.id(), x.getMessage());
                }
            }
            save(claim, deferred, true);
            return;
        }
        boolean anyFailed = next.stream().anyMatch(r -> r.state() == RecipientState.FAILED);
        if (anyFailed && !e.request().hasNullSender()) {
            // recorded before it is handed on: a crash in between hands it on again, with the same id
            QueueEntry bouncing = e.with(EntryState.BOUNCING, next, attempts, now, e.delayWarned(), error);
            if (save(claim, bouncing, false)) {
                bounce(claim, bouncing);
            }
            return;
        }
        save(claim, e.with(EntryState.DONE, next, attempts, now, e.delayWarned(), error), true);
    }

    private void bounce(Claim claim, QueueEntry e) {
        Instant now = clock.instant();
        try {
            if (bounces.failures(e, now)) {
                metrics.dsn();
            }
            save(claim, e.with(EntryState.DONE, e.recipients(), e.attempts(), now, e.delayWarned(), e.lastError()), true);
        } catch (IOException | RuntimeException x) {
            LOG.warnf("DSN for %s not handed on yet (%s); retrying shortly", e.id(), x.getMessage());
            save(claim, e.with(EntryState.BOUNCING, e.recipients(), e.attempts(), now.plusSeconds(30), e.delayWarned(),
                    "DSN: " + x.getMessage()), true);
        }
    }

    private boolean save(Claim claim, QueueEntry e, boolean release) {
        if (queue.save(claim, e, release)) {
            return true;
        }
        metrics.leaseLost();
        LOG.warnf("%s: the lease passed to another copy (or the entry was deleted); this result is dropped", e.id());
        return false;
    }
}
