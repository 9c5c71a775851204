package mail.smtp.session;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import mail.auth.results.ForgedResultsFilter;
import mail.core.abuse.SharedRateLimits;
import mail.core.address.EmailAddress;
import mail.core.event.BodyType;
import mail.core.event.ConnectionInfo;
import mail.core.event.MailEvent;
import mail.core.event.ReceivedProtocol;
import mail.core.event.Recipient;
import mail.core.event.SmtpEnvelope;
import mail.core.identity.AuthResult;
import mail.core.identity.IdentityUnavailableException;
import mail.core.logging.LogContext;
import mail.core.text.LogText;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.metrics.CommandMetrics;
import mail.protocol.net.ProtocolServer;
import mail.protocol.net.SessionIo;
import mail.protocol.sasl.BearerCredentials;
import mail.protocol.sasl.OAuthErrorDetails;
import mail.protocol.sasl.PasswordCredentials;
import mail.protocol.sasl.SaslMechanism;
import mail.protocol.sasl.SaslStep;
import mail.smtp.abuse.AbuseMetrics;
import mail.smtp.abuse.AbuseProtection;
import mail.smtp.abuse.Dnsbl;
import mail.smtp.auth.AuthPolicy;
import mail.smtp.auth.SenderChecks;
import mail.smtp.data.DataDecoder;
import mail.smtp.data.FromHeader;
import mail.smtp.data.ReceivedHeader;
import mail.smtp.directory.RecipientStatus;
import mail.smtp.directory.SenderStatus;
import mail.smtp.handoff.MailHandoff;
import mail.smtp.handoff.Spool;
import mail.smtp.protocol.CommandParser;
import mail.smtp.protocol.Replies;
import mail.smtp.protocol.ReplyEncoder;
import mail.smtp.protocol.SmtpCommand;
import mail.smtp.protocol.SmtpReply;
import mail.smtp.protocol.SmtpSyntaxException;
import mail.smtp.server.Listener;
import org.jboss.logging.Logger;

/**
 * One SMTP session: framing (command lines, DATA, BDAT chunks), the state machine and the command handlers. All of it
 * runs on the session's serial executor, so it may block (store, publish, password checks) and needs no locking.
 */
public final class SmtpSession implements ProtocolServer.Session {
    private static final Logger LOG = Logger.getLogger(SmtpSession.class);
    private static final int MAX_AUTH_LINE = 12288;
    /** An incoming Authentication-Results field longer than this is passed on unjudged (ForgedResultsFilter). */
    private static final int MAX_RESULTS_FIELD = 16 * 1024;

    private enum Mode { LINE, DISCARD_LINE, DATA, BDAT, CLOSED }

    private final SessionIo io;
    private final Listener listener;
    private final SessionContext ctx;
    private final AuthThrottle.Session throttle;
    private final InetAddress client;
    /** The MX client's DNSBL result, asked for once the connection is admitted and needed first at RCPT. */
    private CompletableFuture<Optional<Dnsbl.Listing>> dnsblResult;

    private Mode mode = Mode.LINE;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean greeted;
    private boolean esmtp;
    private String heloName;
    private String authenticatedUser;
    private SaslMechanism sasl;
    private int errors;
    private boolean tlsPending;
    private boolean holding;
    private AuthenticatedSessions.Registration registration;
    private byte[] heldInput;
    private int heldFrom;

    private Transaction tx;
    private DataDecoder decoder;
    private long bdatRemaining;
    private boolean bdatLast;
    /** Set while a BDAT chunk that was refused is read and discarded: the reply to send once it is consumed. */
    private SmtpReply bdatDiscard;
    /** The server is shutting down: once no transaction is open, the next command gets 421 4.3.2. */
    private boolean draining;
    /** The span of a transaction that has ended, closed by the reply that answers its end (250, 451, 554...). */
    private Span endingSpan;

    /** The envelope being built between MAIL and the end of DATA/BDAT. */
    private static final class Transaction {
        final SmtpCommand.Mail mail;
        /** The mail.received event id, known from MAIL on so that the Received: header can name it. */
        final String id = MailEvent.newId();
        final List<Recipient> recipients = new ArrayList<>();
        final Set<String> seen = new LinkedHashSet<>();
        Spool spool;
        /** Where the message bytes go: the spool, or the forged-results filter in front of it on a checked MX. */
        OutputStream sink;
        /** Sender authentication running since MAIL; null on submission or with the checks off. */
        SenderChecks.Pending checks;
        /** The Received field, kept to be stored after Authentication-Results when the message is checked. */
        byte[] received;
        boolean chunking;
        boolean failed;
        long bdatBytes;
        /** From MAIL to the end of DATA/BDAT: the parent of the delivery and relay spans in other services. */
        Span span = Span.getInvalid();

        Transaction(SmtpCommand.Mail mail) {
            this.mail = mail;
        }
    }

    public SmtpSession(SessionIo io, Listener listener, SessionContext ctx) {
        this.io = io;
        this.listener = listener;
        this.ctx = ctx;
        this.client = inet(io.clientIp());
        this.throttle = ctx.authThrottle().session(client);
    }

    @Override
    public void greet() {
        Optional<SharedRateLimits.Limit> limit = ctx.abuse().policy().connection(listener, client);
        if (limit.isEmpty()) {
            welcome();
            return;
        }
        await(ctx.abuse().limits().acquire(limit.get()), admitted -> {
            if (admitted) {
                welcome();
                return;
            }
            ctx.abuse().metrics().rejected(AbuseMetrics.CONNECTION_RATE);
            LOG.infof("%s connection from %s refused: over %d connections per minute", listener, io.clientIp(), limit.get().max());
            reply(SmtpReply.of(421, "4.7.0", ctx.hostname() + " Too many connections from your address per minute, try again later"));
            close();
        });
    }

    private void welcome() {
        greeted = true;
        AbuseProtection abuse = ctx.abuse();
        if (listener == Listener.MX && abuse.dnsbl() != null) {
            // asked now, answered by the time the client has said EHLO and MAIL, usually
            dnsblResult = abuse.dnsbl().check(client);
        }
        reply(Replies.greeting(ctx.hostname(), "ESMTP mailplatform"));
    }

    @Override
    public void refuse(boolean perAddressLimit) {
        reply(SmtpReply.of(421, "4.7.0", ctx.hostname() + " Too many connections"
                + (perAddressLimit ? " from your address" : "") + ", try again later"));
        close();
    }

    @Override
    public void idleTimeout() {
        if (mode != Mode.CLOSED) {
            reply(Replies.timeout(ctx.hostname()));
            close();
        }
    }

    /** The client's address is not allowed on this listener (mail.smtp.<listener>.allow / deny). */
    @Override
    public void denied() {
        reply(SmtpReply.of(554, "5.7.1", ctx.hostname() + " Access denied for your network"));
        close();
    }

    /**
     * The gateway is draining: an idle session (or one not yet greeted) hears 421 4.3.2 now; one in a transaction
     * finishes it (its DATA is accepted and handed off) and hears it at its next command.
     */
    @Override
    public void drain() {
        draining = true;
        if (mode == Mode.LINE && tx == null && sasl == null && !holding && !tlsPending && line.size() == 0) {
            shuttingDown();
        }
    }

    private void shuttingDown() {
        reply(SmtpReply.of(421, "4.3.2", ctx.hostname() + " Service shutting down, closing connection"));
        close();
    }

    @Override
    public void closed() {
        mode = Mode.CLOSED;
        abortTransaction();
        endSpan(0);
        unregister();
    }

    /** The user's password changed, or the account was disabled or deleted, while this session was logged in. */
    private void revoked() {
        if (mode != Mode.CLOSED) {
            reply(SmtpReply.of(421, "4.7.0", ctx.hostname() + " Account credentials changed, closing connection"));
            close();
        }
    }

    private void unregister() {
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    // ---------------------------------------------------------------- framing

    @Override
    public void input(byte[] bytes) {
        consumeSafely(bytes, 0);
    }

    private void consumeSafely(byte[] bytes, int from) {
        try {
            consume(bytes, from);
        } catch (RuntimeException e) {
            // one place where a bug becomes a reply: the client may retry, and no exception text leaves the server
            LOG.error("SMTP session failed; answering 451 and ending the session", e);
            abortTransaction();
            reply(Replies.TEMP_FAILURE);
            close();
        }
    }

    private void consume(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && mode != Mode.CLOSED && !tlsPending) {
            if (holding) {
                // input pipelined behind a delayed reply waits for it, or its replies would overtake
                holdInput(bytes, i);
                return;
            }
            switch (mode) {
                case DATA -> i += feedData(bytes, i);
                case BDAT -> i += feedBdat(bytes, i);
                default -> i = scanLine(bytes, i);
            }
        }
    }

    /** Delays the rest of the session: {@code then} runs after {@code delayMs}, then any input that was held back. */
    private void hold(long delayMs, Runnable then) {
        holding = true;
        io.continueAfter(delayMs, () -> resume(then));
    }

    /**
     * Holds the session until {@code answer} is there (a shared store or DNS, asked off this thread), then runs
     * {@code then} with it on the session's executor, then any input that was held back. No thread waits.
     */
    private <T> void await(CompletableFuture<T> answer, Consumer<T> then) {
        if (answer.isDone()) {
            then.accept(answer.join());
            return;
        }
        holding = true;
        answer.whenComplete((value, failure) -> io.execute(() -> resume(() -> then.accept(value))));
    }

    private void resume(Runnable then) {
        holding = false;
        if (mode == Mode.CLOSED) {
            heldInput = null;
            return;
        }
        try {
            then.run();
        } catch (RuntimeException e) {
            LOG.error("SMTP session failed; answering 451 and ending the session", e);
            abortTransaction();
            reply(Replies.TEMP_FAILURE);
            close();
            return;
        }
        byte[] rest = heldInput;
        heldInput = null;
        if (rest != null) {
            consumeSafely(rest, heldFrom);
        }
    }

    /** Keeps input that arrives while the session is held, after what is already kept. */
    private void holdInput(byte[] bytes, int from) {
        if (heldInput == null) {
            heldInput = bytes;
            heldFrom = from;
            return;
        }
        byte[] joined = new byte[heldInput.length - heldFrom + bytes.length - from];
        System.arraycopy(heldInput, heldFrom, joined, 0, heldInput.length - heldFrom);
        System.arraycopy(bytes, from, joined, heldInput.length - heldFrom, bytes.length - from);
        heldInput = joined;
        heldFrom = 0;
    }

    /** Collects one command line; the limit is checked as bytes arrive so a line without end cannot grow. */
    private int scanLine(byte[] b, int from) {
        int limit = sasl != null || startsWithAuth() ? MAX_AUTH_LINE : ctx.maxLineOctets();
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (c == '\n') {
                boolean discarding = mode == Mode.DISCARD_LINE;
                mode = Mode.LINE;
                byte[] raw = line.toByteArray();
                line.reset();
                if (discarding) {
                    error(Replies.LINE_TOO_LONG);
                } else {
                    int len = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                    String text;
                    try {
                        text = CommandParser.decodeLine(raw, 0, len);
                    } catch (SmtpSyntaxException e) {
                        error(e.reply());
                        return i + 1;
                    }
                    onLine(text);
                }
                return i + 1;
            }
            if (mode == Mode.LINE) {
                if (line.size() + 2 >= limit) {
                    mode = Mode.DISCARD_LINE;
                    line.reset();
                } else {
                    line.write(c);
                }
            }
        }
        return b.length;
    }

    private boolean startsWithAuth() {
        byte[] head = line.toByteArray();
        return head.length >= 5 && new String(head, 0, 5, StandardCharsets.US_ASCII).equalsIgnoreCase("AUTH ");
    }

    private int feedData(byte[] b, int from) {
        int used = decoder.feed(b, from, b.length - from);
        if (decoder.finished()) {
            mode = Mode.LINE;
            finishData();
        }
        return used;
    }

    private int feedBdat(byte[] b, int from) {
        int n = (int) Math.min(bdatRemaining, b.length - from);
        if (bdatDiscard != null) {
            bdatRemaining -= n;
            if (bdatRemaining == 0) {
                mode = Mode.LINE;
                finishChunk();
            }
            return n;
        }
        if (!tx.failed) {
            long room = ctx.config().maxMessageSize() - tx.bdatBytes;
            try {
                if (n > room) {
                    tx.failed = true;
                    tx.spool.close();
                } else {
                    tx.sink.write(b, from, n);
                }
            } catch (IOException e) {
                tx.failed = true;
            }
        }
        tx.bdatBytes += n;
        bdatRemaining -= n;
        if (bdatRemaining == 0) {
            mode = Mode.LINE;
            finishChunk();
        }
        return n;
    }

    // ---------------------------------------------------------------- commands

    private void onLine(String text) {
        if (sasl != null) {
            authStep(text);
            return;
        }
        // counted by its first word only: the rest may be an address; AUTH continuation lines never get here
        ctx.metrics().command(CommandMetrics.verb(text));
        if (draining && tx == null) {
            shuttingDown();
            return;
        }
        SmtpCommand cmd;
        try {
            cmd = ctx.parser().parse(text, tx != null && tx.mail.params().smtpUtf8());
        } catch (SmtpSyntaxException e) {
            error(e.reply());
            if (e.closeConnection()) {
                close();
            }
            return;
        }
        if (!greeted) {
            return;
        }
        if (cmd instanceof SmtpCommand.Ehlo c) {
            hello(c.domainOrLiteral(), true);
        } else if (cmd instanceof SmtpCommand.Helo c) {
            hello(c.domain(), false);
        } else if (cmd instanceof SmtpCommand.StartTls) {
            startTls();
        } else if (cmd instanceof SmtpCommand.Auth c) {
            auth(c);
        } else if (cmd instanceof SmtpCommand.Mail c) {
            mail(c);
        } else if (cmd instanceof SmtpCommand.Rcpt c) {
            rcpt(c);
        } else if (cmd instanceof SmtpCommand.Data) {
            data();
        } else if (cmd instanceof SmtpCommand.Bdat c) {
            bdat(c);
        } else if (cmd instanceof SmtpCommand.Rset) {
            abortTransaction();
            reply(Replies.OK);
        } else if (cmd instanceof SmtpCommand.Noop) {
            reply(Replies.OK);
        } else if (cmd instanceof SmtpCommand.Vrfy) {
            // RFC 5321 §3.5.3: 252 neither confirms nor denies, so VRFY cannot be used to harvest addresses
            reply(Replies.VRFY);
        } else if (cmd instanceof SmtpCommand.Expn) {
            error(SmtpReply.of(502, "5.5.1", "EXPN not available"));
        } else if (cmd instanceof SmtpCommand.Help) {
            reply(SmtpReply.of(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH",
                    "See RFC 5321"));
        } else if (cmd instanceof SmtpCommand.Quit) {
            reply(Replies.bye(ctx.hostname()));
            close();
        }
    }

    private void hello(String name, boolean extended) {
        abortTransaction();
        heloName = name;
        esmtp = extended;
        if (!extended) {
            reply(Replies.helo(ctx.hostname()));
            return;
        }
        List<String> ext = new ArrayList<>();
        ext.add("PIPELINING");
        ext.add("SIZE " + ctx.config().maxMessageSize());
        ext.add("8BITMIME");
        ext.add("BINARYMIME");
        ext.add("CHUNKING");
        ext.add("SMTPUTF8");
        ext.add("ENHANCEDSTATUSCODES");
        ext.add("DSN");
        if (!io.tls() && ctx.tlsAvailable()) {
            ext.add("STARTTLS");
        }
        if (authOffered()) {
            ext.add("AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2");
        }
        reply(Replies.ehlo(ctx.hostname(), "Hello " + sanitize(name), ext));
    }

    /** AUTH is for submission only, and only once the connection is encrypted (never a password in clear text). */
    private boolean authOffered() {
        return listener.authRequired() && io.tls() && authenticatedUser == null;
    }

    private void startTls() {
        if (io.tls()) {
            error(SmtpReply.of(503, "5.5.1", "TLS already active"));
            return;
        }
        if (!ctx.tlsAvailable()) {
            reply(Replies.TLS_NOT_AVAILABLE);
            return;
        }
        // RFC 3207 §4.2: forget everything learned before TLS, and run nothing that was pipelined after STARTTLS
        abortTransaction();
        heloName = null;
        esmtp = false;
        authenticatedUser = null;
        io.logField(LogContext.ACCOUNT, null);
        unregister();
        tlsPending = true;
        line.reset();
        io.startTls(ReplyEncoder.encode(Replies.READY_TO_START_TLS, true), () -> tlsPending = false, () -> {
            tlsPending = false;
            close();
        });
    }

    private void auth(SmtpCommand.Auth c) {
        if (!listener.authRequired()) {
            error(Replies.COMMAND_NOT_IMPLEMENTED);
            return;
        }
        if (authenticatedUser != null) {
            error(Replies.ALREADY_AUTHENTICATED);
            return;
        }
        if (!io.tls()) {
            error(Replies.ENCRYPTION_REQUIRED);
            return;
        }
        if (heloName == null || tx != null) {
            error(Replies.BAD_SEQUENCE);
            return;
        }
        Optional<SaslMechanism> m = SaslMechanism.create(c.mechanism(), OAuthErrorDetails.none());
        if (m.isEmpty()) {
            error(Replies.AUTH_MECHANISM_UNKNOWN);
            return;
        }
        sasl = m.get();
        onSaslStep(sasl.start(c.initialResponse()));
    }

    private void authStep(String text) {
        onSaslStep(sasl.step(text));
    }

    private void onSaslStep(SaslStep step) {
        if (step instanceof SaslStep.Challenge ch) {
            reply(Replies.authChallenge(ch.base64()));
        } else if (step instanceof SaslStep.Failure f) {
            sasl = null;
            switch (f.reason()) {
                case CANCELLED -> error(SmtpReply.of(501, "5.0.0", "Authentication cancelled"));
                case BAD_BASE64 -> authFailed(Replies.AUTH_BAD_BASE64);
                case LINE_TOO_LONG -> authFailed(Replies.AUTH_LINE_TOO_LONG);
                default -> authFailed(Replies.AUTH_FAILED);
            }
        } else if (step instanceof PasswordCredentials pc) {
            verify(pc.username(), () -> ctx.passwords().verify(pc.username(), pc.password()));
        } else if (step instanceof BearerCredentials bc) {
            verify(bc.user().orElse(null), () -> {
                AuthResult r = ctx.tokens().verify(bc.token());
                // the user named in the SASL message must be the token's owner, not anyone the client claims to be
                if (r instanceof AuthResult.Success ok && bc.user().isPresent()
                        && !bc.user().get().equalsIgnoreCase(ok.username())
                        && (ok.email() == null || !bc.user().get().equalsIgnoreCase(ok.email()))) {
                    return new AuthResult.Rejected("token belongs to another user");
                }
                return r;
            });
        }
    }

    /** @param claimed the account the client names (null when it names none): what shared failures are counted for */
    private void verify(String claimed, java.util.function.Supplier<AuthResult> check) {
        if (throttle.blocked(claimed)) {
            // blocked across all instances and protocols: the credentials are not even checked
            sasl = null;
            LOG.infof("AUTH of %s from a blocked address or for a blocked account refused", LogText.quote(String.valueOf(claimed), 320));
            AuthThrottle.Decision d = throttle.failure(claimed);
            hold(d.delay().toMillis(), () -> {
                if (d.disconnect()) {
                    reply(SmtpReply.of(421, "4.7.0", ctx.hostname() + " Too many authentication failures, closing connection"));
                    close();
                    return;
                }
                error(Replies.AUTH_BLOCKED);
            });
            return;
        }
        AuthResult r;
        try {
            r = check.get();
        } catch (IdentityUnavailableException e) {
            sasl = null;
            LOG.warnf("identity provider unavailable: %s", e.getMessage());
            reply(Replies.AUTH_TEMP_FAILURE);
            return;
        }
        if (r instanceof AuthResult.Success s && s.hasRole("mail-user")) {
            sasl = null;
            authenticatedUser = s.username();
            io.logField(LogContext.ACCOUNT, authenticatedUser);
            throttle.success(claimed == null ? s.username() : claimed);
            registration = ctx.sessions().register(authenticatedUser, () -> io.execute(this::revoked));
            reply(Replies.AUTH_OK);
            return;
        }
        SaslStep next = sasl.rejectCredentials();
        if (next instanceof SaslStep.Challenge ch) {
            // OAUTHBEARER/XOAUTH2 send an error challenge first; the client acknowledges, then gets the 535
            reply(Replies.authChallenge(ch.base64()));
            return;
        }
        sasl = null;
        authFailed(Replies.AUTH_FAILED, claimed);
    }

    private void authFailed(SmtpReply reply) {
        authFailed(reply, null);
    }

    private void authFailed(SmtpReply reply, String account) {
        AuthThrottle.Decision d = throttle.failure(account);
        // the reply waits, and the session with it, but no thread: a guessing client costs us a timer
        hold(d.delay().toMillis(), () -> {
            if (d.disconnect()) {
                // one reply per command: the 421 replaces the 535, or pipelining clients lose step
                reply(SmtpReply.of(421, "4.7.0", ctx.hostname() + " Too many authentication failures, closing connection"));
                close();
                return;
            }
            error(reply);
        });
    }

    private void mail(SmtpCommand.Mail c) {
        if (heloName == null || tx != null) {
            error(Replies.BAD_SEQUENCE);
            return;
        }
        if (listener.authRequired() && !io.tls()) {
            error(Replies.ENCRYPTION_REQUIRED);
            return;
        }
        if (listener.authRequired() && authenticatedUser == null) {
            error(Replies.AUTH_REQUIRED);
            return;
        }
        if (c.params().size().isPresent() && c.params().size().getAsLong() > ctx.config().maxMessageSize()) {
            error(Replies.MESSAGE_TOO_BIG);
            return;
        }
        if (authenticatedUser != null) {
            SenderStatus owned = c.reversePath().isPresent()
                    ? ctx.directory().sender(authenticatedUser, c.reversePath().get()) : SenderStatus.REFUSED;
            if (owned == SenderStatus.UNAVAILABLE) {
                reply(Replies.DIRECTORY_UNAVAILABLE);
                return;
            }
            if (owned != SenderStatus.ALLOWED) {
                error(Replies.SENDER_NOT_OWNED);
                return;
            }
        }
        List<SharedRateLimits.Limit> limits = authenticatedUser != null ? ctx.abuse().policy().accountMessages(authenticatedUser)
                : listener == Listener.MX ? ctx.abuse().policy().mxMessages(client) : List.of();
        if (limits.isEmpty()) {
            startTransaction(c);
            return;
        }
        await(ctx.abuse().limits().exceeded(limits, 1), over -> {
            if (over.isPresent()) {
                refuseOverLimit(over.get(), authenticatedUser != null ? AbuseMetrics.ACCOUNT_MESSAGE_RATE : AbuseMetrics.IP_MESSAGE_RATE,
                        authenticatedUser != null ? "Too many messages from this account" : "Too many messages from your address");
                return;
            }
            startTransaction(c);
        });
    }

    /** 450 4.7.1 (RFC 3463: delivery not authorized, temporary): the client may try again once the window moves on. */
    private void refuseOverLimit(SharedRateLimits.Limit limit, String kind, String what) {
        ctx.abuse().metrics().rejected(kind);
        String per = limit.window().toDays() >= 1 ? "day" : limit.window().toHours() >= 1 ? "hour" : "minute";
        LOG.infof("%s from %s%s: over %d per %s", kind, io.clientIp(),
                authenticatedUser == null ? "" : " (" + LogText.quote(authenticatedUser, 320) + ")", limit.max(), per);
        reply(SmtpReply.of(450, "4.7.1", what + " (limit " + limit.max() + " per " + per + "), try again later"));
    }

    private void startTransaction(SmtpCommand.Mail c) {
        tx = new Transaction(c);
        // attributes name the session and the message, never an address, a credential or content: the login is the
        // user's address, so the span says only that the client authenticated (the logs' MDC carries the account)
        tx.span = ctx.tracer().spanBuilder("smtp transaction").setSpanKind(SpanKind.SERVER).setNoParent()
                .setAttribute("mail.session.id", io.sessionId())
                .setAttribute("mail.message.id", tx.id)
                .setAttribute("mail.smtp.listener", listener.name())
                .setAttribute("mail.smtp.tls", io.tls())
                .setAttribute("mail.smtp.authenticated", authenticatedUser != null)
                .startSpan();
        io.logField(LogContext.MESSAGE_ID, tx.id);
        LogContext.of(tx.span).forEach(io::logField);
        if (ctx.senderChecks() != null && !listener.authRequired() && authenticatedUser == null) {
            // SPF runs while the client sends recipients and data; DATA's end collects it
            tx.checks = ctx.senderChecks().start(inet(io.clientIp()), heloName,
                    c.reversePath().map(EmailAddress::toString).orElse(""));
        }
        reply(Replies.SENDER_OK);
    }

    private void rcpt(SmtpCommand.Rcpt c) {
        if (tx == null) {
            error(Replies.BAD_SEQUENCE);
            return;
        }
        if (tx.recipients.size() >= ctx.config().maxRecipients()) {
            reply(Replies.TOO_MANY_RECIPIENTS);
            return;
        }
        // RFC 5321 §4.5.1: mail to postmaster is accepted even from a listed client, which may be reporting the listing
        if (dnsblResult != null && !c.postmaster() && !c.forwardPath().localPart().equalsIgnoreCase("postmaster")) {
            await(dnsblResult, listing -> {
                if (listing.isPresent()) {
                    ctx.abuse().metrics().rejected(AbuseMetrics.DNSBL);
                    LOG.infof("RCPT from %s refused: listed in %s", io.clientIp(), listing.get().zone());
                    error(SmtpReply.of(554, "5.7.1", "Service unavailable; client host [" + listing.get().address()
                            + "] blocked using " + listing.get().zone()));
                    return;
                }
                recipient(c);
            });
            return;
        }
        recipient(c);
    }

    private void recipient(SmtpCommand.Rcpt c) {
        EmailAddress to = c.forwardPath();
        RecipientStatus r = ctx.directory().recipient(to);
        if (r == RecipientStatus.UNAVAILABLE) {
            // not the client's error: no error count, the client simply retries later
            reply(Replies.DIRECTORY_UNAVAILABLE);
            return;
        }
        SmtpReply refusal;
        if (r == RecipientStatus.DELIVERABLE || c.postmaster()) {
            refusal = null;
        } else if (r == RecipientStatus.NOT_LOCAL) {
            // DESIGN/issue: relay denied is 554 5.7.1 here
            refusal = authenticatedUser != null ? null : SmtpReply.of(554, "5.7.1", "Relay access denied");
        } else if (r == RecipientStatus.UNKNOWN) {
            refusal = Replies.NO_SUCH_USER;
        } else if (r == RecipientStatus.DISABLED) {
            refusal = SmtpReply.of(550, "5.2.1", "Mailbox disabled");
        } else if (r == RecipientStatus.NO_TARGETS) {
            refusal = SmtpReply.of(550, "5.1.1", "Address has no deliverable target");
        } else {
            refusal = Replies.TEMP_FAILURE;
        }
        if (refusal != null) {
            error(refusal);
            return;
        }
        if (tx.seen.contains(to.canonical())) {
            reply(Replies.RECIPIENT_OK);
            return;
        }
        List<SharedRateLimits.Limit> limits = authenticatedUser == null ? List.of()
                : ctx.abuse().policy().accountRecipients(authenticatedUser);
        if (limits.isEmpty()) {
            addRecipient(to, c);
            return;
        }
        // the recipients accepted so far in this transaction are charged with the message: count them in
        await(ctx.abuse().limits().exceeded(limits, tx.recipients.size() + 1L), over -> {
            if (over.isPresent()) {
                refuseOverLimit(over.get(), AbuseMetrics.ACCOUNT_RECIPIENT_RATE, "Too many recipients from this account");
                return;
            }
            addRecipient(to, c);
        });
    }

    private void addRecipient(EmailAddress to, SmtpCommand.Rcpt c) {
        tx.seen.add(to.canonical());
        tx.recipients.add(new Recipient(to.toString(), EnvelopeMapping.notify(c.params()), EnvelopeMapping.orcpt(c.params())));
        reply(Replies.RECIPIENT_OK);
    }

    private void data() {
        if (tx == null || tx.recipients.isEmpty() || tx.chunking) {
            error(tx != null && tx.recipients.isEmpty() ? SmtpReply.of(554, "5.5.1", "No valid recipients") : Replies.BAD_SEQUENCE);
            return;
        }
        if (EnvelopeMapping.body(tx.mail.params()) == BodyType.BINARY_MIME) {
            // RFC 3030 §3: BINARYMIME content can only be sent with BDAT
            error(SmtpReply.of(503, "5.5.1", "BINARYMIME requires BDAT"));
            return;
        }
        if (!openSpool()) {
            return;
        }
        decoder = new DataDecoder(tx.sink, ctx.config().maxMessageSize(), ctx.config().maxDataLineLength());
        mode = Mode.DATA;
        reply(Replies.START_DATA);
    }

    private void bdat(SmtpCommand.Bdat c) {
        bdatRemaining = c.chunkSize();
        bdatLast = c.last();
        if (tx == null || tx.recipients.isEmpty()) {
            // RFC 3030 §3: the chunk is read and thrown away even though the command failed
            bdatDiscard = tx == null ? Replies.BAD_SEQUENCE : SmtpReply.of(554, "5.5.1", "No valid recipients");
        } else if (!tx.chunking) {
            tx.chunking = true;
            if (!openSpoolForChunks()) {
                tx.failed = true;
            }
        }
        if (bdatRemaining == 0) {
            finishChunk();
        } else {
            mode = Mode.BDAT;
        }
    }

    private void finishChunk() {
        if (bdatDiscard != null) {
            SmtpReply r = bdatDiscard;
            bdatDiscard = null;
            error(r);
            return;
        }
        if (tx.failed) {
            boolean tooBig = tx.bdatBytes > ctx.config().maxMessageSize();
            if (bdatLast) {
                abortTransaction();
            }
            error(tooBig ? Replies.MESSAGE_TOO_BIG : Replies.TEMP_FAILURE);
            return;
        }
        if (!bdatLast) {
            reply(SmtpReply.of(250, "2.0.0", tx.bdatBytes + " octets received"));
            return;
        }
        deliver(tx.bdatBytes);
    }

    private boolean openSpoolForChunks() {
        try {
            createSpool();
            return true;
        } catch (IOException e) {
            LOG.errorf("cannot create spool file in %s: %s", ctx.spoolDir(), e.getMessage());
            return false;
        }
    }

    /**
     * Unchecked mail is spooled behind its Received field, as stored. Checked mail is spooled as the client sent it,
     * minus Authentication-Results fields that claim our authserv-id (RFC 8601 §5), so that DKIM reads exactly what was
     * signed; Authentication-Results and Received are put in front when it is stored.
     */
    private void createSpool() throws IOException {
        tx.spool = Spool.create(ctx.spoolDir());
        byte[] received = receivedHeader().getBytes(StandardCharsets.UTF_8);
        if (tx.checks == null) {
            tx.spool.output().write(received);
            tx.sink = tx.spool.output();
        } else {
            tx.received = received;
            tx.sink = new ForgedResultsFilter(tx.spool.output(), ctx.senderChecks().authservId(), MAX_RESULTS_FIELD);
        }
    }

    private boolean openSpool() {
        try {
            createSpool();
            return true;
        } catch (IOException e) {
            LOG.errorf("cannot create spool file in %s: %s", ctx.spoolDir(), e.getMessage());
            reply(Replies.INSUFFICIENT_STORAGE);
            abortTransaction();
            return false;
        }
    }

    private void finishData() {
        DataDecoder.Outcome outcome = decoder.outcome();
        long size = decoder.bytesWritten();
        decoder.sinkFailure().ifPresent(e -> LOG.warnf("spool write failed: %s", e.getMessage()));
        decoder = null;
        if (tx.failed) {
            abortTransaction();
            reply(Replies.TEMP_FAILURE);
            return;
        }
        switch (outcome) {
            case OK -> deliver(size);
            case TOO_BIG -> {
                abortTransaction();
                error(Replies.MESSAGE_TOO_BIG);
            }
            case LINE_TOO_LONG -> {
                abortTransaction();
                error(SmtpReply.of(500, "5.5.2", "Line too long in message content"));
            }
            case SINK_FAILED -> {
                abortTransaction();
                reply(Replies.TEMP_FAILURE);
            }
            case BARE_LINE_ENDING -> {
                abortTransaction();
                // RFC 5321 §2.3.8: CR and LF only as CRLF; anything else is how SMTP smuggling starts
                error(SmtpReply.of(550, "5.6.0", "Message contains bare CR or LF characters"));
            }
        }
    }

    private void deliver(long size) {
        SmtpCommand.Mail m = tx.mail;
        SmtpEnvelope envelope = new SmtpEnvelope(m.reversePath().map(EmailAddress::toString).orElse(SmtpEnvelope.NULL_SENDER),
                List.copyOf(tx.recipients), EnvelopeMapping.ret(m.params()), m.params().envId().orElse(null),
                EnvelopeMapping.body(m.params()), m.params().smtpUtf8(),
                m.params().size().isPresent() ? m.params().size().getAsLong() : null);
        ConnectionInfo conn = new ConnectionInfo(io.clientIp(), heloName, authenticatedUser, protocol(),
                io.tlsProtocol(), io.tlsCipher(), ctx.hostname(), Instant.now());
        Spool spool = tx.spool;
        String id = tx.id;
        SenderChecks.Pending checks = tx.checks;
        OutputStream sink = tx.sink;
        byte[] received = tx.received;
        Span span = tx.span;
        span.setAttribute("mail.recipients", (long) tx.recipients.size());
        span.setAttribute("mail.size", size);
        tx.spool = null;
        tx.checks = null;
        tx = null;
        ending(span);
        SenderStatus from = authenticatedUser == null ? SenderStatus.ALLOWED : fromHeaderOwned(spool);
        if (from != SenderStatus.ALLOWED) {
            spool.close();
            if (from == SenderStatus.UNAVAILABLE) {
                reply(Replies.DIRECTORY_UNAVAILABLE);
            } else {
                error(SmtpReply.of(553, "5.7.1", "From: header address not owned by the authenticated user"));
            }
            return;
        }
        byte[] traceFields = null;
        mail.core.event.SenderAuthentication results = null;
        if (checks != null) {
            SenderChecks.Outcome outcome;
            try {
                // flushes a header field the filter still holds (a message of header fields only)
                sink.close();
                spool.finish();
                outcome = ctx.senderChecks().finish(checks, spool.file());
            } catch (IOException e) {
                spool.close();
                LOG.warnf("spool unreadable for sender authentication: %s", e.getMessage());
                reply(Replies.TEMP_FAILURE);
                return;
            }
            AuthPolicy.Decision d = outcome.decision();
            if (d instanceof AuthPolicy.Reject rej) {
                spool.close();
                LOG.infof("refused message from %s: %s", io.clientIp(), rej.text());
                reply(SmtpReply.of(550, rej.enhancedCode(), rej.text()));
                return;
            }
            if (d instanceof AuthPolicy.Defer def) {
                spool.close();
                LOG.infof("deferred message from %s: %s", io.clientIp(), def.text());
                reply(SmtpReply.of(451, def.enhancedCode(), def.text()));
                return;
            }
            // RFC 8601 §5 / RFC 5321 §4.4: both are trace fields added on receipt; ours go on top, results first
            traceFields = new byte[outcome.header().length + received.length];
            System.arraycopy(outcome.header(), 0, traceFields, 0, outcome.header().length);
            System.arraycopy(received, 0, traceFields, outcome.header().length, received.length);
            results = outcome.results();
        }
        try (spool) {
            MailHandoff.Result r;
            // current while the event is published: its traceparent header names this span
            try (Scope ignored = span.getSpanContext().isValid() ? span.makeCurrent() : Scope.noop()) {
                r = ctx.handoff().handOff(id, traceFields, spool, envelope, conn, results);
            }
            if (r instanceof MailHandoff.Result.Accepted a) {
                LOG.debugf("accepted %s (%d bytes) from %s", a.event().id(), size, io.clientIp());
                // counted before the 250, so that the client's next MAIL sees it; the store failing lets it pass
                await(chargeAccepted(envelope.recipients().size()),
                        charged -> reply(SmtpReply.of(250, "2.0.0", "Ok: queued as " + a.event().id())));
            } else {
                reply(Replies.TEMP_FAILURE);
            }
        }
    }

    private CompletableFuture<Void> chargeAccepted(int recipients) {
        AbuseProtection abuse = ctx.abuse();
        if (authenticatedUser != null) {
            return abuse.limits().charge(abuse.policy().accountMessages(authenticatedUser), 1)
                    .thenCombine(abuse.limits().charge(abuse.policy().accountRecipients(authenticatedUser), recipients), (m, r) -> null);
        }
        if (listener == Listener.MX) {
            return abuse.limits().charge(abuse.policy().mxMessages(client), 1);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** RFC 6409 §8: the submission server may check the author; every From: mailbox must be the user's own. */
    private SenderStatus fromHeaderOwned(Spool spool) {
        try {
            spool.finish();
            FromHeader.Result from;
            try (var in = java.nio.file.Files.newInputStream(spool.file())) {
                from = FromHeader.read(in, 256 * 1024);
            }
            for (String a : from.addresses()) {
                EmailAddress address;
                try {
                    address = EmailAddress.parse(a);
                } catch (IllegalArgumentException e) {
                    return SenderStatus.REFUSED;
                }
                SenderStatus owned = ctx.directory().sender(authenticatedUser, address);
                if (owned != SenderStatus.ALLOWED) {
                    return owned;
                }
            }
            return SenderStatus.ALLOWED;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ReceivedProtocol protocol() {
        boolean utf8 = tx != null && tx.mail.params().smtpUtf8();
        return ReceivedProtocol.of(utf8, io.tls(), authenticatedUser != null);
    }

    private String receivedHeader() {
        ReceivedHeader.Builder b = ReceivedHeader.builder()
                .from(heloName, null, io.clientIp())
                .by(ctx.hostname())
                .id(tx.id)
                .with(esmtp ? ReceivedProtocol.of(tx.mail.params().smtpUtf8(), io.tls(), authenticatedUser != null).name() : "SMTP");
        if (io.tls()) {
            b.tls(io.tlsProtocol(), io.tlsCipher());
        }
        if (authenticatedUser != null) {
            b.authenticatedUser(authenticatedUser);
        }
        return b
                .recipients(tx.recipients.stream().map(Recipient::address).toList())
                .date(java.time.ZonedDateTime.now())
                .render();
    }

    private void abortTransaction() {
        if (tx != null) {
            tx.span.setAttribute("mail.smtp.aborted", true);
            ending(tx.span);
        }
        if (tx != null && tx.spool != null) {
            tx.spool.close();
        }
        if (tx != null && tx.checks != null) {
            tx.checks.cancel();
        }
        tx = null;
        decoder = null;
    }

    // ---------------------------------------------------------------- output

    private void reply(SmtpReply r) {
        io.write(ReplyEncoder.encode(r, true));
        ctx.metrics().code(r.code());
        endSpan(r.code());
    }

    private void ending(Span span) {
        if (endingSpan != null) {
            endSpan(0);
        }
        endingSpan = span;
    }

    /** Ends the span of a transaction that is over, with the code that answered it (0: the session ended first). */
    private void endSpan(int code) {
        Span span = endingSpan;
        if (span == null) {
            return;
        }
        endingSpan = null;
        if (code > 0) {
            span.setAttribute("mail.smtp.reply.code", (long) code);
        }
        if (code == 0 || code >= 400) {
            span.setStatus(StatusCode.ERROR, code == 0 ? "session ended" : "reply " + code);
        }
        span.end();
        if (tx == null) {
            io.logField(LogContext.MESSAGE_ID, null);
            io.logField(LogContext.TRACE_ID, null);
            io.logField(LogContext.SPAN_ID, null);
        }
    }

    /** A failed command: counted, and the session ends once a client has made too many mistakes. */
    private void error(SmtpReply r) {
        reply(r);
        if (++errors >= ctx.config().maxErrors()) {
            reply(SmtpReply.of(421, "4.7.0", ctx.hostname() + " Too many errors, closing connection"));
            close();
        }
    }

    private void close() {
        mode = Mode.CLOSED;
        abortTransaction();
        endSpan(0);
        unregister();
        io.close();
    }

    private static String sanitize(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c != 0x7f && b.length() < 100) {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static InetAddress inet(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }
}
