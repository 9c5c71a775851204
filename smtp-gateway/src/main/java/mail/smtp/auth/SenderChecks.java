package mail.smtp.auth;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import mail.auth.dmarc.DmarcEvaluator;
import mail.auth.dmarc.DmarcResult;
import mail.auth.dns.DnsDkimKeyLookup;
import mail.auth.dns.DnsResolver;
import mail.auth.results.AuthenticationResults;
import mail.auth.spf.SpfChecker;
import mail.auth.spf.SpfResult;
import mail.core.event.SenderAuthentication;
import mail.message.dkim.DkimMessageException;
import mail.message.dkim.DkimResult;
import mail.message.dkim.DkimVerification;
import mail.message.dkim.DkimVerifier;
import mail.smtp.data.FromHeader;
import org.jboss.logging.Logger;

/**
 * Sender authentication of the MX: SPF (MAIL FROM and HELO) starts when MAIL FROM is accepted and runs while the
 * client sends the data; at the end of DATA the spooled message is DKIM-verified by streaming the file (never whole in
 * heap), DMARC is evaluated for the From domain, and {@link AuthPolicy} decides. Every check runs on this class's own
 * pool and every wait is bounded by {@code timeout}, so a DNS server that never answers costs a temperror, never a
 * hung session.
 */
public final class SenderChecks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SenderChecks.class);
    private static final int MAX_FROM_HEADER_BYTES = 256 * 1024;

    private final String authservId;
    private final SpfChecker spf;
    private final DkimVerifier dkim;
    private final DmarcEvaluator dmarc;
    private final AuthPolicy policy;
    private final Duration timeout;
    private final AuthMetrics metrics;
    private final ExecutorService pool;

    public SenderChecks(DnsResolver dns, String authservId, String receiver, AuthPolicy policy, Duration timeout,
                        int threads, AuthMetrics metrics) {
        // fails at startup on a bad authserv-id, not at the first message
        new AuthenticationResults(authservId);
        this.authservId = authservId;
        this.spf = new SpfChecker(dns, SpfChecker.Limits.RFC, receiver);
        this.dkim = new DkimVerifier(new DnsDkimKeyLookup(dns));
        this.dmarc = new DmarcEvaluator(dns, () -> ThreadLocalRandom.current().nextInt(100));
        this.policy = policy;
        this.timeout = timeout;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "smtp-auth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    public String authservId() {
        return authservId;
    }

    /** The SPF checks of one transaction, running since MAIL FROM. */
    public static final class Pending {
        final String mailFromIdentity;
        final String helo;
        final Future<SpfResult> mailFrom;
        final Future<SpfResult> heloCheck;

        Pending(String mailFromIdentity, String helo, Future<SpfResult> mailFrom, Future<SpfResult> heloCheck) {
            this.mailFromIdentity = mailFromIdentity;
            this.helo = helo;
            this.mailFrom = mailFrom;
            this.heloCheck = heloCheck;
        }

        /** The transaction ended without data: the answers are no longer wanted. */
        public void cancel() {
            mailFrom.cancel(true);
            heloCheck.cancel(true);
        }
    }

    /**
     * What the end of DATA found.
     *
     * @param header the Authentication-Results field, CRLF-terminated, to put in front of the stored message
     */
    public record Outcome(AuthPolicy.Decision decision, byte[] header, SenderAuthentication results) {
    }

    /** @param mailFrom the reverse-path, empty for the null sender {@code <>} */
    public Pending start(InetAddress client, String helo, String mailFrom) {
        String identity = mailFrom.isEmpty() ? "postmaster@" + helo : mailFrom;
        Future<SpfResult> m = pool.submit(() -> spf.checkMailFrom(client, mailFrom, helo));
        Future<SpfResult> h = pool.submit(() -> spf.checkHelo(client, helo));
        return new Pending(identity, helo, m, h);
    }

    /** Blocks up to the timeout; call off the event loop. The file holds the message as the client sent it. */
    public Outcome finish(Pending pending, Path message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Future<DkimVerification> verification = pool.submit(() -> verify(message));
        String fromDomain = fromDomain(message);
        SpfResult mailFrom = await(pending.mailFrom, deadline,
                e -> new SpfResult(SpfResult.Status.TEMPERROR, domainOf(pending.mailFromIdentity), null, e));
        SpfResult helo = await(pending.heloCheck, deadline,
                e -> new SpfResult(SpfResult.Status.TEMPERROR, pending.helo, null, e));
        DkimVerification signatures = await(verification, deadline, e -> new DkimVerification(List.of(
                new DkimResult(DkimResult.Status.TEMPERROR, e, null, null, null, null, 0, false, -1, 0, null))));
        List<String> counted = new ArrayList<>();
        for (DkimResult r : signatures.passes()) {
            // content after the l= length is unsigned: anyone could have appended it, so it proves nothing for DMARC
            if (r.unsignedBodyOctets() == 0) {
                counted.add(r.domain());
            }
        }
        String spfPass = mailFrom.status() == SpfResult.Status.PASS ? mailFrom.domain() : null;
        DmarcResult dmarcResult = await(pool.submit(() -> dmarc.evaluate(fromDomain, spfPass, counted)), deadline,
                e -> new DmarcResult(DmarcResult.Status.TEMPERROR, fromDomain, null, null, e));
        AuthPolicy.Decision decision = policy.decide(mailFrom, signatures.results(), dmarcResult);

        AuthenticationResults ar = new AuthenticationResults(authservId);
        ar.add(AuthenticationResults.spf(mailFrom.status().token(), "mailfrom", pending.mailFromIdentity));
        if (!pending.helo.startsWith("[")) {
            // an address literal is no identity to check (RFC 7208 §2.3)
            ar.add(AuthenticationResults.spf(helo.status().token(), "helo", pending.helo));
        }
        if (signatures.results().isEmpty()) {
            ar.add("dkim=none");
        }
        for (DkimResult r : signatures.results()) {
            ar.add(r.authResultsClause());
        }
        ar.add(dmarcResult.authResultsClause());

        metrics.spf(mailFrom.status().token());
        signatures.results().forEach(r -> metrics.dkim(r.status().token()));
        if (signatures.results().isEmpty()) {
            metrics.dkim("none");
        }
        metrics.dmarc(dmarcResult.status().token());
        metrics.decision(decision);

        String junk = decision instanceof AuthPolicy.Accept a ? a.junkReason() : null;
        SenderAuthentication results = new SenderAuthentication(mailFrom.status().token(), dkimSummary(signatures),
                dmarcResult.status().token(), junk != null, junk);
        return new Outcome(decision, ar.header(), results);
    }

    private DkimVerification verify(Path message) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 64 * 1024)) {
            return dkim.verify(in);
        } catch (DkimMessageException e) {
            return new DkimVerification(List.of(new DkimResult(DkimResult.Status.PERMERROR, e.getMessage(), null, null,
                    null, null, 0, false, -1, 0, null)));
        }
    }

    /** The domain of the single From address; null when there is none, or more than one (DMARC permerror). */
    static String fromDomain(Path message) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 16 * 1024)) {
            FromHeader.Result from = FromHeader.read(in, MAX_FROM_HEADER_BYTES);
            if (from.count() != 1 || from.addresses().size() != 1) {
                return null;
            }
            return dnsName(domainOf(from.addresses().get(0)));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The From domain as an A-label DNS name, or null: the name is the sender's text and ends up in DNS questions,
     * the SMTP reply and our log, so anything that is not a plain host name (an address literal, control characters,
     * an IDN that does not convert) counts as no From domain.
     */
    static String dnsName(String domain) {
        if (domain == null || domain.isEmpty() || domain.length() > 253) {
            return null;
        }
        String ascii;
        try {
            ascii = java.net.IDN.toASCII(domain, java.net.IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return ascii.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+") ? ascii : null;
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? null : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static String dkimSummary(DkimVerification v) {
        if (v.results().isEmpty()) {
            return "none";
        }
        return v.passes().isEmpty() ? v.results().get(0).status().token() : "pass";
    }

    private <T> T await(Future<T> f, long deadline, Function<String, T> onTimeout) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return onTimeout.apply("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return onTimeout.apply("interrupted");
        } catch (ExecutionException e) {
            LOG.warnf("sender authentication check failed: %s", e.getCause().toString());
            return onTimeout.apply("check failed: " + e.getCause().getClass().getSimpleName());
        } catch (java.util.concurrent.CancellationException e) {
            return onTimeout.apply("cancelled");
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
