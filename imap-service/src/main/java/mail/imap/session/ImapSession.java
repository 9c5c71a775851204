package mail.imap.session;

import com.mongodb.MongoException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import mail.core.blob.BlobStoreException;
import mail.core.event.DirectorySnapshot;
import mail.core.identity.AuthResult;
import mail.core.identity.IdentityUnavailableException;
import mail.core.mailbox.InvalidMailboxNameException;
import mail.core.text.LogText;
import mail.imap.mailbox.AppendSpool;
import mail.imap.mailbox.SelectedMailbox;
import mail.imap.protocol.CommandDecoder;
import mail.imap.protocol.ImapCommand;
import mail.imap.protocol.ImapFramer;
import mail.imap.protocol.ResponseWriter;
import mail.imap.protocol.Segment;
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
import mail.store.StoreUnavailableException;
import org.jboss.logging.Logger;

/**
 * One IMAP session: the framer feeds complete commands, the decoder turns them into values, and a handler per
 * command runs in the states it is valid in (RFC 9051 §3). Everything runs on the session's serial executor.
 *
 * <p>This first part covers the states before a mailbox is opened: greeting, CAPABILITY, NOOP, LOGOUT, STARTTLS,
 * LOGIN, AUTHENTICATE (SASL-IR), ID, ENABLE, NAMESPACE, IDLE, and every error path of framing and decoding. The
 * mailbox commands answer {@code NO [CANNOT]} until the mailbox store is wired in.
 */
public final class ImapSession implements ImapFramer.Handler, ProtocolServer.Session {
    private static final Logger LOG = Logger.getLogger(ImapSession.class);

    /** SELECTED is not a state of its own here: the mailbox handler knows whether a mailbox is open. */
    enum State { NOT_AUTHENTICATED, AUTHENTICATED, LOGOUT }

    private final SessionIo io;
    private final ImapContext ctx;
    private final AuthThrottle.Session throttle;
    private ImapFramer framer;

    private State state = State.NOT_AUTHENTICATED;
    private int badCommands;
    private String user;
    private DirectorySnapshot.Account account;
    private AuthenticatedSessions.Registration registration;

    private MailboxHandler mailboxes;
    /** Whether the command being answered may be followed by EXPUNGE responses (RFC 9051 §7.4.1), and must look. */
    private boolean expungeAllowed;
    private boolean forceRefresh;

    private String saslTag;
    private SaslMechanism sasl;
    private String idleTag;

    private boolean tlsPending;
    private boolean holding;
    /** The service is shutting down: BYE once the command in progress is done. */
    private boolean draining;
    private byte[] heldInput;
    private int heldFrom;

    public ImapSession(SessionIo io, ImapContext ctx) {
        this.io = io;
        this.ctx = ctx;
        this.throttle = ctx.authThrottle().session(inet(io.clientIp()));
        this.framer = new ImapFramer(this, ctx.config().maxLineLength());
    }

    // ---------------------------------------------------------------- connection events

    @Override
    public void greet() {
        untagged("OK [CAPABILITY " + capabilities() + "] " + ctx.hostname() + " IMAP4rev1 mailplatform ready");
    }

    @Override
    public void refuse(boolean perAddressLimit) {
        untagged("BYE Too many connections" + (perAddressLimit ? " from your address" : "") + ", try again later");
        close();
    }

    /** The client's address is not allowed on this listener (mail.imap.listener / tls-listener allow, deny). */
    @Override
    public void denied() {
        untagged("BYE Access denied for your network");
        close();
    }

    /**
     * The service is draining: an IDLE-ing or idle session (or one not yet greeted) gets BYE now, one in the middle of
     * a command (streaming a FETCH, reading an APPEND literal, an AUTHENTICATE exchange) once that command is done.
     */
    @Override
    public void drain() {
        draining = true;
        if (state != State.LOGOUT && (idleTag != null || (!holding && !tlsPending && sasl == null && framer.betweenCommands()))) {
            shuttingDown();
        }
    }

    private void shuttingDown() {
        untagged("BYE " + ctx.hostname() + " shutting down, reconnect later");
        close();
    }

    @Override
    public void idleTimeout() {
        if (state != State.LOGOUT) {
            untagged("BYE Autologout; idle for too long");
            close();
        }
    }

    @Override
    public void closed() {
        state = State.LOGOUT;
        framer.close();
        unregister();
    }

    private final MailboxHandler.Replies replies = new MailboxHandler.Replies() {
        @Override
        public void untagged(String text) {
            ImapSession.this.untagged(text);
        }

        @Override
        public void tagged(String tag, String text) {
            ImapSession.this.tagged(tag, text);
        }

        @Override
        public void write(byte[] bytes) {
            if (state != State.LOGOUT) {
                io.write(bytes);
            }
        }

        @Override
        public void bye(String text) {
            untagged("BYE " + text);
            close();
        }

        @Override
        public boolean outputFull() {
            return io.writeQueueFull();
        }

        @Override
        public void continueWhenWritable(String tag, Runnable then, Runnable ifGone) {
            holdUntilWritable(tag, then, ifGone);
        }
    };

    @Override
    public void input(byte[] bytes) {
        consume(bytes, 0);
    }

    private void consume(byte[] bytes, int from) {
        if (state == State.LOGOUT || tlsPending) {
            return;
        }
        try {
            int used = framer.feed(bytes, from, bytes.length - from);
            if (holding && from + used < bytes.length) {
                heldInput = bytes;
                heldFrom = from + used;
            }
            if (drainNow()) {
                shuttingDown();
            }
        } catch (RuntimeException e) {
            // a bug becomes a BYE: no exception text reaches the client
            LOG.error("IMAP session failed; ending it", e);
            untagged("BYE [SERVERBUG] Internal error, closing connection");
            close();
        }
    }

    @Override
    public boolean suspended() {
        return holding || tlsPending || state == State.LOGOUT || drainNow();
    }

    /** Draining, and the command in progress is done: no further command is started. */
    private boolean drainNow() {
        return draining && state != State.LOGOUT && !holding && !tlsPending && sasl == null && framer.betweenCommands();
    }

    private void hold(long delayMs, Runnable then) {
        holding = true;
        io.continueAfter(delayMs, () -> {
            holding = false;
            if (state == State.LOGOUT) {
                heldInput = null;
                return;
            }
            then.run();
            byte[] rest = heldInput;
            heldInput = null;
            if (rest != null) {
                consume(rest, heldFrom);
            } else if (drainNow()) {
                shuttingDown();
            }
        });
    }

    // ---------------------------------------------------------------- framing callbacks

    @Override
    public ImapFramer.LiteralDecision literal(List<Segment> soFar, long size, boolean synchronizing, boolean binary) {
        if (sasl != null || idleTag != null) {
            badLine("Literals are not allowed here");
            return ImapFramer.LiteralDecision.REJECT;
        }
        if (mailboxes != null && isAppend(soFar)) {
            String tag = tagOf(soFar);
            if (size > ctx.config().maxLiteralSize()) {
                tagged(tag, "NO [TOOBIG] Message too large (APPENDLIMIT " + ctx.config().maxLiteralSize() + ")");
                return ImapFramer.LiteralDecision.REJECT;
            }
            try {
                return new ImapFramer.LiteralDecision.Stream(new AppendSpool(ctx.spoolDir()));
            } catch (IOException e) {
                LOG.warnf("cannot spool an APPEND: %s", e.toString());
                tagged(tag, "NO [UNAVAILABLE] Cannot take the message now, try again later");
                return ImapFramer.LiteralDecision.REJECT;
            }
        }
        if (size > ctx.config().maxSmallLiteralSize()) {
            String tag = tagOf(soFar);
            // RFC 7888 §4: a refused literal gets a tagged reply; RFC 9051 §7.1: [TOOBIG]
            tagged(tag, "NO [TOOBIG] Literal too large (limit " + ctx.config().maxSmallLiteralSize() + " octets)");
            countBad();
            return ImapFramer.LiteralDecision.REJECT;
        }
        return ImapFramer.LiteralDecision.HOLD;
    }

    private static boolean isAppend(List<Segment> soFar) {
        if (soFar.isEmpty() || !(soFar.get(0) instanceof Segment.Text t)) {
            return false;
        }
        String[] words = t.toString().split(" ", 3);
        return words.length >= 2 && words[1].equalsIgnoreCase("APPEND");
    }

    @Override
    public void continuation() {
        write("+ Ready for literal data\r\n");
    }

    @Override
    public void lineTooLong(byte[] head) {
        String tag = tagOf(List.of(new Segment.Text(head)));
        if (tag == null) {
            untagged("BAD Command line too long");
        } else {
            tagged(tag, "BAD Command line too long");
        }
        countBad();
    }

    @Override
    public void literalFailed(List<Segment> soFar, IOException e) {
        LOG.warnf("literal could not be stored: %s", e.getMessage());
        tagged(tagOf(soFar), "NO [UNAVAILABLE] Could not store the literal, try again later");
    }

    @Override
    public void command(List<Segment> segments) {
        if (sasl != null) {
            saslResponse(segments);
            return;
        }
        if (idleTag != null) {
            idleLine(segments);
            return;
        }
        boolean utf8 = mailboxes != null && mailboxes.utf8;
        CommandDecoder.Decoded d = ctx.decoder().decode(segments, utf8);
        if (d.tag() == null) {
            untagged("BAD " + (segments.size() == 1 && ((Segment.Text) segments.get(0)).bytes().length == 0
                    ? "Empty command line" : "Invalid tag"));
            countBad();
            return;
        }
        // by the command name only, from a closed list: unknown names count as "other"
        ctx.metrics().command(d.name());
        if (!d.ok()) {
            tagged(d.tag(), "BAD " + (d.name() == null ? "Missing command" : d.error()));
            countBad();
            return;
        }
        dispatch(d.tag(), d.command());
    }

    // ---------------------------------------------------------------- commands

    private void dispatch(String tag, ImapCommand c) {
        if (c instanceof ImapCommand.Capability) {
            untagged("CAPABILITY " + capabilities());
            ok(tag, "CAPABILITY completed");
        } else if (c instanceof ImapCommand.Noop) {
            // the updates go out with the tagged reply, which survives a store outage (the next command retries)
            expungeAllowed = true;
            forceRefresh = true;
            try {
                ok(tag, "NOOP completed");
            } finally {
                expungeAllowed = false;
                forceRefresh = false;
            }
        } else if (c instanceof ImapCommand.Logout) {
            untagged("BYE " + ctx.hostname() + " logging out");
            ok(tag, "LOGOUT completed");
            close();
        } else if (c instanceof ImapCommand.Id id) {
            id(tag, id);
        } else if (c instanceof ImapCommand.StartTls) {
            startTls(tag);
        } else if (c instanceof ImapCommand.Login l) {
            login(tag, l);
        } else if (c instanceof ImapCommand.Authenticate a) {
            authenticate(tag, a);
        } else if (state == State.NOT_AUTHENTICATED) {
            tagged(tag, "BAD Log in first");
            countBad();
        } else {
            expungeAllowed = !(c instanceof ImapCommand.Fetch f && !f.uid() || c instanceof ImapCommand.Store st && !st.uid()
                    || c instanceof ImapCommand.Search se && !se.uid());
            forceRefresh = c instanceof ImapCommand.Check;
            try {
                guarded(tag, c.getClass().getSimpleName(), () -> mailboxCommand(tag, c));
            } finally {
                expungeAllowed = false;
                forceRefresh = false;
            }
        }
    }

    /** Runs (part of) a mailbox command; its failures become the tagged reply the RFC asks for. */
    private void guarded(String tag, String command, Runnable body) {
        try {
            body.run();
        } catch (SelectedMailbox.InvalidSequenceException e) {
            tagged(tag, "BAD " + e.getMessage());
            countBad();
        } catch (InvalidMailboxNameException e) {
            tagged(tag, "NO [CANNOT] Invalid mailbox name: " + e.reason());
        } catch (MongoException | StoreUnavailableException | BlobStoreException e) {
            LOG.warnf("storage unavailable for %s: %s", command, e.toString());
            tagged(tag, "NO [UNAVAILABLE] The mail store is unavailable, try again later");
        }
    }

    /**
     * Holds the session (no later command, no change event runs) until the client has read most of its queued
     * output, then goes on with the command; no thread waits meanwhile. A client that reads nothing for the idle
     * timeout is disconnected by the connection, and {@code ifGone} releases what the command held.
     */
    private void holdUntilWritable(String tag, Runnable then, Runnable ifGone) {
        holding = true;
        boolean expunge = expungeAllowed;
        io.continueWhenWritable(() -> {
            holding = false;
            if (state == State.LOGOUT || !io.isOpen()) {
                heldInput = null;
                ifGone.run();
                return;
            }
            expungeAllowed = expunge;
            try {
                guarded(tag, "FETCH", then);
            } catch (RuntimeException e) {
                ifGone.run();
                LOG.error("IMAP session failed; ending it", e);
                untagged("BYE [SERVERBUG] Internal error, closing connection");
                close();
                return;
            } finally {
                expungeAllowed = false;
            }
            if (holding) {
                return;
            }
            byte[] rest = heldInput;
            heldInput = null;
            if (rest != null) {
                consume(rest, heldFrom);
            } else if (drainNow()) {
                shuttingDown();
            }
        });
    }

    private void mailboxCommand(String tag, ImapCommand c) {
        MailboxHandler m = mailboxes;
        if (c instanceof ImapCommand.Enable e) {
            if (m.selected() != null) {
                tagged(tag, "BAD ENABLE is only valid before a mailbox is selected");
                countBad();
            } else {
                m.enable(tag, e.capabilities());
            }
        } else if (c instanceof ImapCommand.Namespace) {
            untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
            ok(tag, "NAMESPACE completed");
        } else if (c instanceof ImapCommand.Idle) {
            try {
                m.refresh(true, true);
            } catch (MongoException | StoreUnavailableException e) {
                // idling needs no store; the first change event (or DONE) retries the update
                LOG.debugf("refresh at IDLE failed, the next one retries: %s", e.toString());
                m.markDirty();
            }
            idleTag = tag;
            write("+ idling\r\n");
        } else if (c instanceof ImapCommand.Select s) {
            m.select(tag, s);
        } else if (c instanceof ImapCommand.Create cr) {
            m.create(tag, cr);
        } else if (c instanceof ImapCommand.Delete d) {
            m.delete(tag, d.mailbox());
        } else if (c instanceof ImapCommand.Rename r) {
            m.rename(tag, r);
        } else if (c instanceof ImapCommand.Subscribe s) {
            m.subscribe(tag, s.mailbox(), true);
        } else if (c instanceof ImapCommand.Unsubscribe u) {
            m.subscribe(tag, u.mailbox(), false);
        } else if (c instanceof ImapCommand.ListMailboxes l) {
            m.list(tag, l);
        } else if (c instanceof ImapCommand.Lsub l) {
            m.lsub(tag, l);
        } else if (c instanceof ImapCommand.Status s) {
            m.status(tag, s);
        } else if (c instanceof ImapCommand.Append a) {
            m.append(tag, a);
        } else if (c instanceof ImapCommand.GetQuota q) {
            m.getQuota(tag, q.root());
        } else if (c instanceof ImapCommand.GetQuotaRoot q) {
            m.getQuotaRoot(tag, q.mailbox());
        } else if (c instanceof ImapCommand.SetQuota) {
            tagged(tag, "NO [NOPERM] Quotas are set by the administrator");
        } else if (m.selected() == null) {
            tagged(tag, "BAD No mailbox selected");
            countBad();
        } else if (c instanceof ImapCommand.Check) {
            ok(tag, "CHECK completed");
        } else if (c instanceof ImapCommand.Close) {
            m.unselect(tag, true, "CLOSE");
        } else if (c instanceof ImapCommand.Unselect) {
            m.unselect(tag, false, "UNSELECT");
        } else if (c instanceof ImapCommand.Expunge e) {
            m.expunge(tag, e);
        } else if (c instanceof ImapCommand.Store st) {
            m.store(tag, st);
        } else if (c instanceof ImapCommand.Fetch f) {
            m.fetch(tag, f, this::writeChunk);
        } else if (c instanceof ImapCommand.Search se) {
            m.search(tag, se);
        } else if (c instanceof ImapCommand.Copy cp) {
            m.copy(tag, cp.uid(), cp.set(), cp.mailbox(), false);
        } else if (c instanceof ImapCommand.Move mv) {
            m.copy(tag, mv.uid(), mv.set(), mv.mailbox(), true);
        } else {
            tagged(tag, "NO [CANNOT] Not available yet on this server");
        }
    }

    private void id(String tag, ImapCommand.Id id) {
        ResponseWriter w = new ResponseWriter(false).raw("* ID (");
        w.string("name").sp().string("mailplatform").sp().string("vendor").sp().string("mailplatform").raw(")").crlf();
        io.write(w.toBytes());
        if (id.fields() != null) {
            LOG.debugf("client ID: %s", id.fields());
        }
        ok(tag, "ID completed");
    }

    private void startTls(String tag) {
        if (io.tls()) {
            tagged(tag, "BAD TLS is already active");
            countBad();
            return;
        }
        if (!ctx.tlsAvailable()) {
            tagged(tag, "NO TLS is not available");
            return;
        }
        if (state != State.NOT_AUTHENTICATED) {
            tagged(tag, "BAD STARTTLS only before authentication");
            countBad();
            return;
        }
        // RFC 9051 §6.2.1: nothing the client pipelined after STARTTLS may run inside TLS
        tlsPending = true;
        io.startTls(("" + tag + " OK Begin TLS negotiation now\r\n").getBytes(StandardCharsets.US_ASCII), () -> {
            tlsPending = false;
            framer = new ImapFramer(this, ctx.config().maxLineLength());
        }, () -> {
            tlsPending = false;
            close();
        });
    }

    private boolean authAllowed(String tag) {
        if (state != State.NOT_AUTHENTICATED) {
            tagged(tag, "BAD Already authenticated");
            countBad();
            return false;
        }
        if (ctx.config().requireTlsForAuth() && !io.tls()) {
            tagged(tag, "NO [PRIVACYREQUIRED] Use STARTTLS or the TLS port before logging in");
            return false;
        }
        return true;
    }

    private void login(String tag, ImapCommand.Login l) {
        if (!authAllowed(tag)) {
            return;
        }
        verify(tag, l.user(), () -> ctx.passwords().verify(l.user(), l.password()));
    }

    private void authenticate(String tag, ImapCommand.Authenticate a) {
        if (!authAllowed(tag)) {
            return;
        }
        Optional<SaslMechanism> m = SaslMechanism.create(a.mechanism(), OAuthErrorDetails.none());
        if (m.isEmpty()) {
            tagged(tag, "NO Unsupported authentication mechanism");
            return;
        }
        saslTag = tag;
        sasl = m.get();
        Optional<String> ir = a.initialResponse();
        onSaslStep(sasl.start(ir));
    }

    private void saslResponse(List<Segment> segments) {
        if (segments.size() != 1) {
            sasl = null;
            tagged(saslTag, "BAD Malformed SASL response");
            return;
        }
        String line = new String(((Segment.Text) segments.get(0)).bytes(), StandardCharsets.US_ASCII);
        onSaslStep(sasl.step(line));
    }

    private void onSaslStep(SaslStep step) {
        String tag = saslTag;
        if (step instanceof SaslStep.Challenge ch) {
            write("+ " + ch.base64() + "\r\n");
        } else if (step instanceof SaslStep.Failure f) {
            sasl = null;
            switch (f.reason()) {
                case CANCELLED -> tagged(tag, "BAD Authentication cancelled");
                case BAD_BASE64 -> authFailed(tag, "BAD Invalid base64 in the SASL response");
                default -> authFailed(tag, "NO [AUTHENTICATIONFAILED] Authentication failed");
            }
        } else if (step instanceof PasswordCredentials pc) {
            verify(tag, pc.username(), () -> ctx.passwords().verify(pc.username(), pc.password()));
        } else if (step instanceof BearerCredentials bc) {
            verify(tag, bc.user().orElse(null), () -> {
                AuthResult r = ctx.tokens().verify(bc.token());
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
    private void verify(String tag, String claimed, Supplier<AuthResult> check) {
        if (throttle.blocked(claimed)) {
            // blocked across all instances and protocols: the credentials are not even checked
            sasl = null;
            LOG.infof("login of %s from a blocked address or for a blocked account refused", LogText.quote(String.valueOf(claimed), 320));
            AuthThrottle.Decision d = throttle.failure(claimed);
            hold(d.delay().toMillis(), () -> {
                // RFC 5530: UNAVAILABLE is temporary; the same credentials may work later
                tagged(tag, "NO [UNAVAILABLE] Too many authentication failures from your address or for this account, try again later");
                if (d.disconnect()) {
                    untagged("BYE Too many authentication failures");
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
            tagged(tag, "NO [UNAVAILABLE] Authentication is temporarily unavailable, try again later");
            return;
        }
        if (r instanceof AuthResult.Success s && s.hasRole("mail-user")) {
            Optional<DirectorySnapshot.Account> acc = lookupAccount(s);
            if (acc.isPresent() && acc.get().enabled()
                    && ctx.sessions().count(acc.get().address()) >= ctx.config().maxSessionsPerAccount()) {
                sasl = null;
                tagged(tag, "NO [LIMIT] Too many sessions for this account, close some first");
                return;
            }
            if (acc.isPresent() && acc.get().enabled()) {
                sasl = null;
                user = s.username();
                account = acc.get();
                throttle.success(claimed == null ? s.username() : claimed);
                state = State.AUTHENTICATED;
                // every later line of the session names the account
                io.logField("account", account.address());
                LOG.debug("logged in");
                registration = ctx.sessions().register(account.address(), () -> io.execute(this::revoked));
                mailboxes = new MailboxHandler(ctx, account, replies, () -> io.execute(this::mailboxChanged));
                tagged(tag, "OK [CAPABILITY " + capabilities() + "] Logged in");
                return;
            }
            if (!ctx.directoryLoaded().getAsBoolean()) {
                sasl = null;
                tagged(tag, "NO [UNAVAILABLE] The directory is still loading, try again shortly");
                return;
            }
        }
        if (sasl != null) {
            SaslStep next = sasl.rejectCredentials();
            if (next instanceof SaslStep.Challenge ch) {
                // OAUTHBEARER/XOAUTH2: an error challenge first, the client acknowledges, then the NO
                write("+ " + ch.base64() + "\r\n");
                return;
            }
        }
        sasl = null;
        authFailed(tag, "NO [AUTHENTICATIONFAILED] Authentication failed", claimed);
    }

    /** The mailbox owner: the directory entry of the login name, or of the token's e-mail address. */
    private Optional<DirectorySnapshot.Account> lookupAccount(AuthResult.Success s) {
        Optional<DirectorySnapshot.Account> a = ctx.directory().account(s.username());
        if (a.isEmpty() && s.email() != null) {
            a = ctx.directory().account(s.email());
        }
        return a;
    }

    private void authFailed(String tag, String reply) {
        authFailed(tag, reply, null);
    }

    private void authFailed(String tag, String reply, String account) {
        AuthThrottle.Decision d = throttle.failure(account);
        hold(d.delay().toMillis(), () -> {
            tagged(tag, reply);
            if (d.disconnect()) {
                untagged("BYE Too many authentication failures");
                close();
            }
        });
    }

    private void idleLine(List<Segment> segments) {
        String tag = idleTag;
        idleTag = null;
        String line = segments.size() == 1 ? new String(((Segment.Text) segments.get(0)).bytes(), StandardCharsets.US_ASCII) : "";
        if (line.equalsIgnoreCase("DONE")) {
            ok(tag, "IDLE terminated");
        } else {
            tagged(tag, "BAD Expected DONE");
            countBad();
        }
    }

    /**
     * A FETCH response chunk, queued at once: the FETCH itself checks the queue between chunks and pauses when the
     * client falls behind ({@link MailboxHandler.Replies#continueWhenWritable}).
     */
    private void writeChunk(byte[] bytes, int off, int len) {
        if (state == State.LOGOUT || !io.isOpen()) {
            throw new java.io.UncheckedIOException(new java.io.IOException("the connection is closed"));
        }
        io.write(java.util.Arrays.copyOfRange(bytes, off, off + len));
    }

    /** A change event for the selected mailbox: an IDLE-ing client hears it now, others with their next command. */
    private void mailboxChanged() {
        if (idleTag != null && mailboxes != null && state != State.LOGOUT) {
            try {
                mailboxes.refresh(true, false);
            } catch (MongoException | StoreUnavailableException e) {
                LOG.debugf("IDLE refresh failed, the next one retries: %s", e.toString());
                mailboxes.markDirty();
            }
        }
    }

    private void revoked() {
        if (state != State.LOGOUT) {
            untagged("BYE Account credentials changed, closing connection");
            close();
        }
    }

    // ---------------------------------------------------------------- output

    /** What this session may be offered right now (RFC 9051 §7.2.2: it changes with TLS and login). */
    String capabilities() {
        List<String> caps = new ArrayList<>(List.of("IMAP4rev1", "SASL-IR", "LITERAL+", "ID", "ENABLE"));
        if (state == State.NOT_AUTHENTICATED) {
            if (!io.tls() && ctx.tlsAvailable()) {
                caps.add("STARTTLS");
            }
            if (ctx.config().requireTlsForAuth() && !io.tls()) {
                caps.add("LOGINDISABLED");
            } else {
                caps.addAll(List.of("AUTH=PLAIN", "AUTH=OAUTHBEARER", "AUTH=XOAUTH2"));
            }
        } else {
            caps.addAll(List.of("IMAP4rev2", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE", "UNSELECT", "SPECIAL-USE",
                    "CREATE-SPECIAL-USE", "LIST-EXTENDED", "LIST-STATUS", "CHILDREN", "CONDSTORE", "QRESYNC", "QUOTA",
                    "QUOTA=RES-STORAGE", "QUOTA=RES-MESSAGE", "STATUS=SIZE", "MULTIAPPEND", "UTF8=ACCEPT", "ESEARCH",
                    "SEARCHRES", "BINARY",
                    "APPENDLIMIT=" + ctx.config().maxLiteralSize()));
        }
        return String.join(" ", caps);
    }

    private void countBad() {
        if (++badCommands >= ctx.config().maxBadCommands() && state != State.LOGOUT) {
            untagged("BYE Too many invalid commands");
            close();
        }
    }

    private void badLine(String text) {
        untagged("BAD " + text);
        countBad();
    }

    private void ok(String tag, String text) {
        tagged(tag, "OK " + text);
    }

    private void tagged(String tag, String rest) {
        if (mailboxes != null && tag != null && mailboxes.selected() != null && state != State.LOGOUT) {
            try {
                mailboxes.refresh(expungeAllowed, forceRefresh);
            } catch (MongoException | StoreUnavailableException e) {
                LOG.debugf("refresh before a tagged reply failed, the next one retries: %s", e.toString());
                mailboxes.markDirty();
            }
        }
        boolean sent = state != State.LOGOUT;
        write((tag == null ? "*" : tag) + " " + rest + "\r\n");
        if (tag != null && sent) {
            ctx.metrics().status(rest.startsWith("OK") ? "OK" : rest.startsWith("NO") ? "NO" : rest.startsWith("BAD") ? "BAD" : CommandMetrics.OTHER);
        }
    }

    private void untagged(String rest) {
        write("* " + rest + "\r\n");
    }

    private void write(String s) {
        if (state != State.LOGOUT) {
            io.write(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void close() {
        state = State.LOGOUT;
        framer.close();
        unregister();
        io.close();
    }

    private void unregister() {
        if (mailboxes != null) {
            mailboxes.close();
        }
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }

    /** The tag of a command that could not be decoded, if its first word is a valid one, for a tagged reply. */
    private static String tagOf(List<Segment> segments) {
        if (segments.isEmpty() || !(segments.get(0) instanceof Segment.Text t)) {
            return null;
        }
        String s = t.toString();
        int sp = s.indexOf(' ');
        String tag = sp < 0 ? s : s.substring(0, sp);
        if (tag.isEmpty() || tag.length() > 64) {
            return null;
        }
        for (char ch : tag.toCharArray()) {
            if (ch <= 0x20 || ch >= 0x7F || "(){%*\"\\+".indexOf(ch) >= 0) {
                return null;
            }
        }
        return tag;
    }

    private static InetAddress inet(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

}
