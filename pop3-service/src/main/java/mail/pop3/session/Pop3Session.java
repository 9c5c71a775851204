package mail.pop3.session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import mail.core.event.DirectorySnapshot;
import mail.core.event.MailboxChanged;
import mail.core.event.Topics;
import mail.core.identity.AuthResult;
import mail.core.identity.IdentityUnavailableException;
import mail.core.text.LogText;
import mail.pop3.maildrop.Maildrop;
import mail.pop3.protocol.CommandDecoder;
import mail.pop3.protocol.DotStuffer;
import mail.pop3.protocol.Pop3Command;
import mail.pop3.protocol.Pop3Reply.Code;
import mail.pop3.protocol.Pop3Reply;
import mail.pop3.protocol.Pop3SyntaxException;
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
import mail.store.MailStore;
import mail.store.SpecialUse;
import org.bson.Document;
import org.jboss.logging.Logger;

/**
 * One POP3 session: line framing, the RFC 1939 states and one handler per command. Everything runs on the
 * session's serial executor, so handlers may block (MongoDB, object store, Keycloak) and need no locking.
 */
public final class Pop3Session implements ProtocolServer.Session {
    private static final Logger LOG = Logger.getLogger(Pop3Session.class);
    static final List<String> SASL = List.of("PLAIN", "OAUTHBEARER", "XOAUTH2");
    private static final int CHUNK = 16 * 1024;

    /** RFC 1939 §3; UPDATE is entered and left within QUIT, CLOSED once the connection is gone. */
    enum State { AUTHORIZATION, TRANSACTION, UPDATE, CLOSED }

    private final SessionIo io;
    private final SessionContext ctx;
    private final AuthThrottle.Session throttle;
    private final String lockOwner = UUID.randomUUID().toString();

    private State state = State.AUTHORIZATION;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean discardingLine;
    private boolean tlsPending;
    private boolean holding;
    /** The service is shutting down: the session ends (without UPDATE) once the command in progress is done. */
    private boolean draining;
    private byte[] heldInput;
    private int heldFrom;
    private int errors;
    private long lastReplyNanos = System.nanoTime();

    private String user;
    private SaslMechanism sasl;
    private String accountAddress;
    private volatile String accountId;
    private Maildrop maildrop;
    private ScheduledFuture<?> leaseRenewal;
    private AuthenticatedSessions.Registration registration;

    public Pop3Session(SessionIo io, SessionContext ctx) {
        this.io = io;
        this.ctx = ctx;
        this.throttle = ctx.authThrottle().session(inet(io.clientIp()));
    }

    @Override
    public void greet() {
        reply(Pop3Reply.ok(ctx.config().hostname() + " POP3 server ready"));
    }

    @Override
    public void refuse(boolean perAddressLimit) {
        reply(Pop3Reply.err(Pop3Reply.Code.SYS_TEMP, "Too many connections"
                + (perAddressLimit ? " from your address" : "") + ", try again later"));
        close();
    }

    /** The client's address is not allowed on this listener (mail.pop3.listener / tls-listener allow, deny). */
    @Override
    public void denied() {
        reply(Pop3Reply.err("Access denied for your network"));
        close();
    }

    /**
     * The service is draining: the session ends now, or after the command in progress (a RETR to a slow reader),
     * WITHOUT entering UPDATE, so messages marked deleted stay (RFC 1939 §6); a QUIT already in UPDATE finishes.
     */
    @Override
    public void drain() {
        draining = true;
        if (drainNow()) {
            shuttingDown();
        }
    }

    private boolean drainNow() {
        return draining && (state == State.AUTHORIZATION || state == State.TRANSACTION) && !holding && !tlsPending;
    }

    private void shuttingDown() {
        reply(Pop3Reply.err(Code.SYS_TEMP, "Server shutting down, nothing deleted, reconnect later"));
        close();
    }

    @Override
    public void idleTimeout() {
        long idleMs = ctx.config().idleTimeout().toMillis();
        long quietMs = (System.nanoTime() - lastReplyNanos) / 1_000_000;
        if (state != State.CLOSED && (quietMs < idleMs || tlsPending)) {
            // the connection's timer runs from the client's last input; a slow command (a long RETR, a slow store)
            // is not the client's idleness, so the timeout counts from our last reply instead; a TLS handshake in
            // progress has its own timeout in Vert.x
            ctx.timer().schedule(() -> io.execute(this::idleTimeout), Math.max(100, idleMs - quietMs), TimeUnit.MILLISECONDS);
            return;
        }
        if (state != State.CLOSED) {
            // RFC 1939 §3: an autologout timer ends the session without entering UPDATE: nothing is deleted
            reply(Pop3Reply.err("Idle for too long, closing connection"));
            close();
        }
    }

    /** The connection is gone (client hung up or we closed): a dropped session deletes nothing. */
    @Override
    public void closed() {
        state = State.CLOSED;
        releaseMaildrop();
    }

    private void revoked() {
        if (state != State.CLOSED) {
            reply(Pop3Reply.err(Code.AUTH, "Account credentials changed, closing connection"));
            close();
        }
    }

    private void lockLost() {
        if (state == State.TRANSACTION) {
            LOG.warnf("maildrop lock of %s lost; ending the session without deleting", accountId);
            reply(Pop3Reply.err(Code.SYS_TEMP, "Maildrop lock lost, closing connection"));
            close();
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
            // one place where a bug becomes a reply; nothing is deleted, no exception text leaves the server
            LOG.error("POP3 session failed; answering -ERR [SYS/TEMP] and ending the session", e);
            reply(Pop3Reply.err(Code.SYS_TEMP, "Internal error, try again later"));
            close();
        }
    }

    private void consume(byte[] b, int from) {
        int i = from;
        while (i < b.length && state != State.CLOSED && !tlsPending) {
            if (holding) {
                // input pipelined behind a delayed reply waits for it, or its replies would overtake
                heldInput = b;
                heldFrom = i;
                return;
            }
            i = scanLine(b, i);
        }
    }

    private int scanLine(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            byte c = b[i];
            if (c == '\n') {
                byte[] raw = line.toByteArray();
                line.reset();
                if (discardingLine) {
                    discardingLine = false;
                    // RFC 5034 §4: a -ERR ends an AUTH exchange, so the next line is a command again
                    sasl = null;
                    error(Pop3Reply.err("Line too long"));
                } else {
                    int len = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                    onLine(new String(raw, 0, len, StandardCharsets.UTF_8));
                }
                return i + 1;
            }
            if (!discardingLine) {
                if (line.size() + 2 >= ctx.config().maxCommandLineLength() && line.size() + 2 >= saslLineLimit()) {
                    discardingLine = true;
                    line.reset();
                } else {
                    line.write(c);
                }
            }
        }
        return b.length;
    }

    /** SASL responses and AUTH with an initial response (bearer tokens) get the RFC 4954 room of 12288 octets. */
    private int saslLineLimit() {
        return sasl != null || startsWithAuth() ? SaslMechanism.MAX_LINE_LENGTH + 2 : 0;
    }

    private boolean startsWithAuth() {
        byte[] head = line.toByteArray();
        return head.length >= 5 && new String(head, 0, 5, StandardCharsets.US_ASCII).equalsIgnoreCase("AUTH ");
    }

    private void hold(long delayMs, Runnable then) {
        holding = true;
        io.continueAfter(delayMs, () -> resumeHeld(then, () -> { }));
    }

    /** Like {@link #hold}, until the client has read most of what is queued for it (a long RETR to a slow reader). */
    private void holdUntilWritable(Runnable then, Runnable ifGone) {
        holding = true;
        io.continueWhenWritable(() -> resumeHeld(then, ifGone));
    }

    private void resumeHeld(Runnable then, Runnable ifGone) {
        holding = false;
        if (state == State.CLOSED || !io.isOpen()) {
            heldInput = null;
            ifGone.run();
            return;
        }
        then.run();
        if (holding) {
            return;
        }
        if (drainNow()) {
            heldInput = null;
            shuttingDown();
            return;
        }
        byte[] rest = heldInput;
        heldInput = null;
        if (rest != null) {
            consumeSafely(rest, heldFrom);
        }
    }

    // ---------------------------------------------------------------- dispatch

    private void onLine(String text) {
        if (sasl != null) {
            onSaslStep(sasl.step(text));
            return;
        }
        // by its first word only: PASS and AUTH lines carry credentials
        ctx.metrics().command(CommandMetrics.verb(text));
        Pop3Command cmd;
        try {
            cmd = CommandDecoder.decode(text);
        } catch (Pop3SyntaxException e) {
            error(Pop3Reply.err(e.getMessage()));
            return;
        }
        if (!validIn(cmd, state)) {
            error(Pop3Reply.err("Command not valid in this state"));
            return;
        }
        if (cmd instanceof Pop3Command.Capa) {
            capa();
        } else if (cmd instanceof Pop3Command.Quit) {
            quit();
        } else if (cmd instanceof Pop3Command.Stls) {
            stls();
        } else if (cmd instanceof Pop3Command.User c) {
            user(c);
        } else if (cmd instanceof Pop3Command.Pass c) {
            pass(c);
        } else if (cmd instanceof Pop3Command.Auth c) {
            auth(c);
        } else if (cmd instanceof Pop3Command.Stat) {
            reply(Pop3Reply.ok(maildrop.liveCount() + " " + maildrop.liveOctets()));
        } else if (cmd instanceof Pop3Command.List c) {
            list(c.message());
        } else if (cmd instanceof Pop3Command.Uidl c) {
            uidl(c.message());
        } else if (cmd instanceof Pop3Command.Retr c) {
            send(c.message(), -1);
        } else if (cmd instanceof Pop3Command.Top c) {
            send(c.message(), c.lines());
        } else if (cmd instanceof Pop3Command.Dele c) {
            dele(c.message());
        } else if (cmd instanceof Pop3Command.Noop) {
            reply(Pop3Reply.ok(""));
        } else if (cmd instanceof Pop3Command.Rset) {
            maildrop.undeleteAll();
            reply(Pop3Reply.ok("Maildrop has " + maildrop.count() + " messages (" + maildrop.liveOctets() + " octets)"));
        }
    }

    /** The states each command is valid in (RFC 1939 §4–6, RFC 2449 §5, RFC 2595 §4, RFC 5034 §4). */
    static boolean validIn(Pop3Command cmd, State state) {
        if (cmd instanceof Pop3Command.Capa || cmd instanceof Pop3Command.Quit) {
            return true;
        }
        if (cmd instanceof Pop3Command.User || cmd instanceof Pop3Command.Pass || cmd instanceof Pop3Command.Auth
                || cmd instanceof Pop3Command.Stls) {
            return state == State.AUTHORIZATION;
        }
        return state == State.TRANSACTION;
    }

    // ---------------------------------------------------------------- AUTHORIZATION

    private boolean authAllowed() {
        return io.tls() || ctx.config().allowPlaintextAuth();
    }

    private void capa() {
        List<String> caps = new ArrayList<>();
        caps.add("TOP");
        caps.add("UIDL");
        if (state == State.AUTHORIZATION && authAllowed()) {
            caps.add("USER");
            caps.add("SASL " + String.join(" ", SASL));
        }
        caps.add("RESP-CODES");
        caps.add("AUTH-RESP-CODE");
        caps.add("PIPELINING");
        if (state == State.AUTHORIZATION && !io.tls()) {
            caps.add("STLS");
        }
        caps.add("EXPIRE NEVER");
        caps.add("IMPLEMENTATION mailplatform");
        reply(Pop3Reply.multiLine("Capability list follows", caps));
    }

    private void stls() {
        if (io.tls()) {
            error(Pop3Reply.err("TLS already active"));
            return;
        }
        // RFC 2595 §4: nothing pipelined after STLS may run inside TLS; what we learned before is forgotten
        user = null;
        tlsPending = true;
        line.reset();
        io.startTls(Pop3Reply.ok("Begin TLS negotiation").encode(), () -> {
            tlsPending = false;
            lastReplyNanos = System.nanoTime();
        }, () -> {
            tlsPending = false;
            close();
        });
    }

    private void user(Pop3Command.User c) {
        if (!authAllowed()) {
            error(Pop3Reply.err(Code.AUTH, "Authentication requires TLS, use STLS first"));
            return;
        }
        user = c.name();
        reply(Pop3Reply.ok("Send your password"));
    }

    private void pass(Pop3Command.Pass c) {
        if (user == null) {
            error(Pop3Reply.err("USER first"));
            return;
        }
        String name = user;
        user = null;
        verify(name, () -> ctx.passwords().verify(name, c.password()), null);
    }

    private void auth(Pop3Command.Auth c) {
        if (c.mechanism().isEmpty()) {
            reply(Pop3Reply.multiLine("Supported mechanisms follow", SASL));
            return;
        }
        if (!authAllowed()) {
            error(Pop3Reply.err(Code.AUTH, "Authentication requires TLS, use STLS first"));
            return;
        }
        String name = c.mechanism().get().toUpperCase(Locale.ROOT);
        Optional<SaslMechanism> m = SASL.contains(name) ? SaslMechanism.create(name, OAuthErrorDetails.none()) : Optional.empty();
        if (m.isEmpty()) {
            error(Pop3Reply.err("Unsupported authentication mechanism"));
            return;
        }
        user = null;
        sasl = m.get();
        onSaslStep(sasl.start(c.initialResponse()));
    }

    private void onSaslStep(SaslStep step) {
        if (step instanceof SaslStep.Challenge ch) {
            // RFC 5034 §4: "+" SP base64; an empty challenge is "+ " with its space
            io.write(("+ " + ch.base64() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else if (step instanceof SaslStep.Failure f) {
            sasl = null;
            if (f.reason() == SaslStep.Reason.CANCELLED) {
                error(Pop3Reply.err("Authentication cancelled"));
            } else {
                authFailed();
            }
        } else if (step instanceof PasswordCredentials pc) {
            verify(pc.username(), () -> ctx.passwords().verify(pc.username(), pc.password()), null);
        } else if (step instanceof BearerCredentials bc) {
            verify(bc.user().orElse(null), () -> ctx.tokens().verify(bc.token()), bc);
        }
    }

    /** @param claimed the account the client names (null when it names none): what shared failures are counted for */
    private void verify(String claimed, Supplier<AuthResult> check, BearerCredentials bearer) {
        if (throttle.blocked(claimed)) {
            // blocked across all instances and protocols: the credentials are not even checked
            sasl = null;
            LOG.infof("login of %s from a blocked address or for a blocked account refused", LogText.quote(String.valueOf(claimed), 320));
            AuthThrottle.Decision d = throttle.failure(claimed);
            hold(d.delay().toMillis(), () -> {
                reply(Pop3Reply.err(Code.SYS_TEMP, "Too many authentication failures from your address or for this account, try again later"));
                if (d.disconnect()) {
                    close();
                }
            });
            return;
        }
        AuthResult r;
        try {
            r = check.get();
        } catch (IdentityUnavailableException e) {
            sasl = null;
            LOG.warnf("identity provider unavailable: %s", e.getMessage());
            reply(Pop3Reply.err(Code.SYS_TEMP, "Authentication service unavailable, try again later"));
            return;
        }
        if (r instanceof AuthResult.Success ok && bearer != null && bearer.user().isPresent()
                && !bearer.user().get().equalsIgnoreCase(ok.username())
                && (ok.email() == null || !bearer.user().get().equalsIgnoreCase(ok.email()))) {
            // the user named in the SASL message must be the token's owner, not anyone the client claims to be
            r = new AuthResult.Rejected("token belongs to another user");
        }
        if (r instanceof AuthResult.Success s && s.hasRole("mail-user")) {
            sasl = null;
            throttle.success(claimed == null ? s.username() : claimed);
            login(s);
            return;
        }
        if (sasl != null) {
            SaslStep next = sasl.rejectCredentials();
            if (next instanceof SaslStep.Challenge) {
                onSaslStep(next);
                return;
            }
            sasl = null;
        }
        authFailed(claimed);
    }

    private void authFailed() {
        authFailed(null);
    }

    private void authFailed(String account) {
        AuthThrottle.Decision d = throttle.failure(account);
        // the reply waits, and the session with it, but no thread: a guessing client costs us a timer
        hold(d.delay().toMillis(), () -> {
            if (d.disconnect()) {
                reply(Pop3Reply.err(Code.AUTH, "Too many authentication failures, closing connection"));
                close();
                return;
            }
            error(Pop3Reply.err(Code.AUTH, "Authentication failed"));
        });
    }

    /** Credentials are good: find the account, lock its maildrop across all instances and take the snapshot. */
    private void login(AuthResult.Success s) {
        if (!ctx.directoryLoaded().getAsBoolean()) {
            reply(Pop3Reply.err(Code.SYS_TEMP, "Directory not available yet, try again later"));
            return;
        }
        Optional<DirectorySnapshot.Account> account = ctx.directory().account(s.username());
        if (account.isEmpty() && s.email() != null) {
            account = ctx.directory().account(s.email());
        }
        if (account.isEmpty() || !account.get().enabled()) {
            LOG.infof("login of %s refused: %s", LogText.quote(s.username(), 320), account.isEmpty() ? "no such account" : "account disabled");
            authFailed();
            return;
        }
        String id = account.get().accountId();
        try {
            if (!ctx.lock().acquire(id, lockOwner)) {
                reply(Pop3Reply.err(Code.IN_USE, "Maildrop is locked by another session"));
                return;
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot lock maildrop of %s: %s", id, e.toString());
            reply(Pop3Reply.err(Code.SYS_TEMP, "Mail storage unavailable, try again later"));
            return;
        }
        accountId = id;
        accountAddress = account.get().address();
        try {
            MailStore store = ctx.store();
            maildrop = store.mailboxes().find(id, SpecialUse.INBOX.defaultName())
                    .map(inbox -> {
                        List<Document> docs = store.messages().list(inbox.id());
                        return Maildrop.of(inbox, docs, ctx.wireSizes().of(Maildrop.refs(docs)));
                    })
                    .orElse(Maildrop.empty());
        } catch (RuntimeException e) {
            LOG.warnf("cannot read maildrop of %s: %s", id, e.toString());
            releaseMaildrop();
            reply(Pop3Reply.err(Code.SYS_TEMP, "Mail storage unavailable, try again later"));
            return;
        }
        long every = Math.max(1, ctx.lock().lease().toMillis() / 3);
        leaseRenewal = ctx.timer().scheduleAtFixedRate(this::renewLease, every, every, TimeUnit.MILLISECONDS);
        registration = ctx.sessions().register(accountAddress, () -> io.execute(this::revoked));
        // every later line of the session names the account
        io.logField("account", accountAddress);
        LOG.debugf("logged in, maildrop locked (%d messages)", maildrop.count());
        state = State.TRANSACTION;
        reply(Pop3Reply.ok("Maildrop locked and ready, " + maildrop.count() + " messages (" + maildrop.liveOctets() + " octets)"));
    }

    /** Runs on the timer thread, not the session's executor, so that a long RETR does not let the lease run out. */
    private void renewLease() {
        String id = accountId;
        if (id == null) {
            return;
        }
        try {
            if (!ctx.lock().renew(id, lockOwner)) {
                io.execute(this::lockLost);
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot renew the maildrop lock of %s: %s", id, e.toString());
        }
    }

    private void releaseMaildrop() {
        if (leaseRenewal != null) {
            leaseRenewal.cancel(false);
            leaseRenewal = null;
        }
        if (registration != null) {
            registration.close();
            registration = null;
        }
        String id = accountId;
        accountId = null;
        if (id != null) {
            try {
                ctx.lock().release(id, lockOwner);
            } catch (RuntimeException e) {
                // the lease runs out on its own
                LOG.warnf("cannot release the maildrop lock of %s: %s", id, e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- TRANSACTION

    /** The message, or empty after the error reply (no such message, or marked deleted). */
    private boolean usable(int n) {
        if (!maildrop.exists(n)) {
            error(Pop3Reply.err("No such message"));
            return false;
        }
        if (maildrop.deleted(n)) {
            error(Pop3Reply.err("Message " + n + " already deleted"));
            return false;
        }
        return true;
    }

    private void list(OptionalInt n) {
        if (n.isPresent()) {
            if (usable(n.getAsInt())) {
                reply(Pop3Reply.ok(n.getAsInt() + " " + maildrop.get(n.getAsInt()).size()));
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= maildrop.count(); i++) {
            if (!maildrop.deleted(i)) {
                lines.add(i + " " + maildrop.get(i).size());
            }
        }
        reply(Pop3Reply.multiLine(maildrop.liveCount() + " messages (" + maildrop.liveOctets() + " octets)", lines));
    }

    private void uidl(OptionalInt n) {
        if (n.isPresent()) {
            if (usable(n.getAsInt())) {
                reply(Pop3Reply.ok(n.getAsInt() + " " + maildrop.get(n.getAsInt()).uidl()));
            }
            return;
        }
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= maildrop.count(); i++) {
            if (!maildrop.deleted(i)) {
                lines.add(i + " " + maildrop.get(i).uidl());
            }
        }
        reply(Pop3Reply.multiLine("Unique-ID listing follows", lines));
    }

    private void dele(int n) {
        if (usable(n)) {
            maildrop.delete(n);
            reply(Pop3Reply.ok("Message " + n + " deleted"));
        }
    }

    /** RETR ({@code bodyLines} < 0) and TOP: streamed from the object store, never held in memory as a whole. */
    private void send(int n, long bodyLines) {
        if (!usable(n)) {
            return;
        }
        Maildrop.Entry e = maildrop.get(n);
        InputStream in;
        try {
            in = ctx.blobs().get(e.blob());
        } catch (RuntimeException ex) {
            LOG.warnf("cannot read message %s: %s", e.blob().blobKey(), ex.toString());
            reply(Pop3Reply.err(Code.SYS_TEMP, "Message temporarily unavailable, try again later"));
            return;
        }
        reply(Pop3Reply.ok(bodyLines < 0 ? e.size() + " octets" : "Top of message follows"));
        pump(new Transfer(e, in, new DotStuffer(io::write, CHUNK, bodyLines)));
    }

    /** A RETR or TOP under way; it outlives a wait for a slow reader. */
    private record Transfer(Maildrop.Entry entry, InputStream in, DotStuffer out, byte[] buffer) {
        Transfer(Maildrop.Entry entry, InputStream in, DotStuffer out) {
            this(entry, in, out, new byte[CHUNK]);
        }

        void closeQuietly() {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debugf("closing the stream of %s: %s", entry.blob().blobKey(), e.toString());
            }
        }
    }

    /**
     * Sends the message until the client falls behind by the connection's high-water mark, then waits for it without
     * a thread and goes on: a client that does not read costs that much memory, not the message's size.
     */
    private void pump(Transfer t) {
        lastReplyNanos = System.nanoTime();
        try {
            int r;
            while (!t.out().done() && (r = t.in().read(t.buffer())) >= 0) {
                t.out().write(t.buffer(), 0, r);
                if (io.writeQueueFull()) {
                    holdUntilWritable(() -> pump(t), t::closeQuietly);
                    return;
                }
            }
        } catch (IOException | RuntimeException ex) {
            // the +OK has gone out: the only honest end of a broken multi-line reply is the end of the connection
            LOG.warnf("message %s broke off while sending: %s", t.entry().blob().blobKey(), ex.toString());
            t.closeQuietly();
            close();
            return;
        }
        t.closeQuietly();
        t.out().finish();
        lastReplyNanos = System.nanoTime();
    }

    // ---------------------------------------------------------------- UPDATE

    private void quit() {
        if (state != State.TRANSACTION) {
            reply(Pop3Reply.ok(ctx.config().hostname() + " signing off"));
            close();
            return;
        }
        state = State.UPDATE;
        List<Long> uids = maildrop.deletedUids();
        if (!uids.isEmpty()) {
            try {
                expunge(uids);
            } catch (RuntimeException e) {
                LOG.warnf("expunge in the maildrop of %s failed: %s", accountId, e.toString());
                reply(Pop3Reply.err(Code.SYS_TEMP, "Some deleted messages not removed, try again later"));
                close();
                return;
            }
        }
        reply(Pop3Reply.ok(ctx.config().hostname() + " signing off (" + maildrop.liveCount() + " messages left)"));
        close();
    }

    private void expunge(List<Long> uids) {
        var inbox = maildrop.mailbox().orElseThrow();
        MailStore.Expunged x = ctx.store().expunge(inbox, uids);
        List<Long> removed = x.uids();
        for (int from = 0; from < removed.size(); from += MailboxChanged.MAX_UIDS) {
            List<Long> part = removed.subList(from, Math.min(removed.size(), from + MailboxChanged.MAX_UIDS));
            MailboxChanged event = MailboxChanged.create("pop3-service/" + ctx.instanceId(), accountId, inbox.id(), inbox.name(),
                    inbox.uidValidity(), MailboxChanged.ChangeKind.MESSAGES_EXPUNGED, part, x.highestModSeq(), null);
            try {
                ctx.publisher().publish(Topics.MAILBOX_CHANGES, accountId, event).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the messages are gone already; IMAP sessions notice on their next resync
                LOG.warnf("mailbox.changes for the expunge in %s not published: %s", inbox.id(), e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- output

    private void reply(Pop3Reply r) {
        lastReplyNanos = System.nanoTime();
        io.write(r.encode());
        ctx.metrics().status(r.ok() ? "OK" : "ERR");
    }

    private void error(Pop3Reply r) {
        reply(r);
        if (++errors >= ctx.config().maxErrors()) {
            reply(Pop3Reply.err("Too many errors, closing connection"));
            close();
        }
    }

    private void close() {
        state = State.CLOSED;
        releaseMaildrop();
        io.close();
    }

    private static InetAddress inet(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

}
