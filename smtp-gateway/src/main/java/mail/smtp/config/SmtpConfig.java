package mail.smtp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import mail.smtp.auth.AuthPolicy;

/** Settings of smtp-gateway; each key can be set from the environment (MAIL_SMTP_…). */
@ConfigMapping(prefix = "mail.smtp")
public interface SmtpConfig {
    /** The name announced in the greeting, EHLO and Received: headers. */
    @WithDefault("localhost")
    String hostname();

    Listener mx();

    Listener submission();

    Listener submissions();

    interface Listener {
        @WithDefault("true")
        boolean enabled();

        int port();

        /**
         * Every connection starts with a PROXY protocol header (v1 or v2, e.g. HAProxy's send-proxy-v2) naming the real
         * client, which is then the address logged, written into Received: and limited; off by default.
         */
        @WithDefault("false")
        boolean proxyProtocol();

        /** Networks (CIDR) that may send the PROXY header; a connection from anywhere else is closed. */
        @WithDefault("127.0.0.0/8,::1/128")
        List<String> trustedProxies();

        /** Client networks (CIDR, IPv4 and IPv6) allowed on this listener; unset: all not denied. */
        Optional<List<String>> allow();

        /** Client networks refused with 554 5.7.1; a deny entry wins over an allow entry. */
        Optional<List<String>> deny();
    }

    /** SIZE limit in bytes, advertised in EHLO (RFC 1870). */
    @WithDefault("52428800")
    long maxMessageSize();

    @WithDefault("100")
    int maxRecipients();

    /**
     * Longest command line, CRLF included (RFC 5321 §4.5.3.1.4: 512); MAIL and RCPT get the extra room their advertised
     * extensions' parameters need (RFC 1870, 3461, 4954), AUTH the 12288 octets of RFC 4954.
     */
    @WithDefault("512")
    int maxCommandLineLength();

    /** Longest line inside DATA, CRLF included; RFC 5321 asks senders for 1000, real mail sometimes has more. */
    @WithDefault("10000")
    int maxDataLineLength();

    /** RFC 5321 §4.5.3.2.7: a server should wait at least 5 minutes for the next command. */
    @WithDefault("300s")
    Duration idleTimeout();

    @WithDefault("20")
    int maxConnectionsPerIp();

    @WithDefault("2000")
    int maxConnections();

    /** Protocol errors after which a session is closed with 421 (Postfix's smtpd_hard_error_limit is 20 too). */
    @WithDefault("20")
    int maxErrors();

    /** Failed AUTH attempts after which a session is closed. */
    @WithDefault("3")
    int maxAuthFailures();

    /** Delay of the reply to the second failed AUTH from one client address; it doubles with every further failure. */
    @WithDefault("1s")
    Duration authFailureDelay();

    /** Cap on that delay. */
    @WithDefault("30s")
    Duration authFailureMaxDelay();

    /**
     * Client networks (CIDR) exempt from max-connections-per-ip, like Postfix's $mynetworks: the host itself by
     * default, so local tools and a load balancer on the same host are not counted as one greedy client. Empty: none.
     */
    @WithDefault("127.0.0.0/8,::1/128")
    List<String> connectionLimitExempt();

    /** Longest wait for Kafka's acknowledgement before a message is answered 451; longer than mail.kafka.delivery-timeout, so a publish has failed for sure when we answer 451. */
    @WithDefault("40s")
    Duration handoffTimeout();

    Tls tls();

    Directory directory();

    AuthChecks authChecks();

    RateLimits rateLimits();

    /**
     * Rates per client network and per authenticated account, counted in MongoDB and so shared by every instance.
     * Each limit set to 0 is off. When MongoDB does not answer within {@code timeout}, mail is let through.
     */
    interface RateLimits {
        @WithDefault("true")
        boolean enabled();

        /** New connections per client network (IPv4 address, IPv6 /64) and minute on the MX; over it: 421 4.7.0. */
        @WithDefault("60")
        int mxConnectionsPerMinute();

        /** New connections per client network and minute on submission and submissions together. */
        @WithDefault("30")
        int submissionConnectionsPerMinute();

        /** Messages accepted per client network and hour on the MX; over it: 450 4.7.1 at MAIL. */
        @WithDefault("1000")
        int mxMessagesPerHour();

        /** Messages an authenticated account may submit per hour; over it: 450 4.7.1 at MAIL. */
        @WithDefault("200")
        int accountMessagesPerHour();

        @WithDefault("1000")
        int accountMessagesPerDay();

        /** Recipients of an account's submitted messages per hour; over it: 450 4.7.1 at RCPT. */
        @WithDefault("1000")
        int accountRecipientsPerHour();

        @WithDefault("2000")
        int accountRecipientsPerDay();

        /** Client networks (CIDR) without per-address rate limits (accounts are limited wherever they submit from). */
        @WithDefault("127.0.0.0/8,::1/128")
        List<String> exempt();

        /** Longest wait for the shared counters before the action is let through. */
        @WithDefault("500ms")
        Duration timeout();

        /** After the counters failed to answer, how long they are not asked (every check passes meanwhile). */
        @WithDefault("15s")
        Duration backoff();

        /** Threads asking MongoDB. */
        @WithDefault("4")
        int threads();
    }

    Dnsbl dnsbl();

    /** DNS blocklists of MX clients, checked at RCPT (postmaster is always accepted, RFC 5321 §4.5.1). */
    interface Dnsbl {
        /** Blocklist zones, e.g. zen.spamhaus.org; unset or empty: no DNSBL checks. */
        Optional<List<String>> zones();

        /** DNS servers for the lookups; unset: mail.smtp.auth-checks.dns-servers, else the system's resolvers. */
        Optional<List<String>> dnsServers();

        /** Longest wait for a zone's answer; a zone that does not answer in time is taken as not listing the client. */
        @WithDefault("2s")
        Duration timeout();

        @WithDefault("8")
        int threads();
    }

    /** Sender authentication (SPF, DKIM, DMARC) of mail arriving on the MX; submission is never checked. */
    interface AuthChecks {
        @WithDefault("true")
        boolean enabled();

        /** The authserv-id of our Authentication-Results field; defaults to mail.smtp.hostname. */
        Optional<String> authservId();

        /** DNS servers ({@code host} or {@code host:port}); unset: the system's resolvers. */
        Optional<List<String>> dnsServers();

        /** Longest wait for one DNS question (retries included). */
        @WithDefault("2s")
        Duration dnsTimeout();

        /** Longest wait at the end of DATA for all checks together; what is missing then is a temperror. */
        @WithDefault("10s")
        Duration timeout();

        /** Honour DMARC p=reject with 550 5.7.1 (else such mail is filed into Junk). */
        @WithDefault("true")
        boolean dmarcReject();

        /** Honour DMARC p=quarantine by filing into the recipients' Junk mailbox. */
        @WithDefault("true")
        boolean dmarcQuarantine();

        /** An SPF fail of MAIL FROM when DMARC did not pass: accept, junk or reject (550 5.7.23). */
        @WithDefault("junk")
        AuthPolicy.SpfAction spfFail();

        /** An SPF softfail: accept or junk. */
        @WithDefault("accept")
        AuthPolicy.SpfAction spfSoftfail();

        /** A DNS failure where the decision needs the answer: defer (451 4.7.x) or accept. */
        @WithDefault("defer")
        AuthPolicy.TempErrorAction temperror();

        /** Threads running the checks (they block on DNS). */
        @WithDefault("16")
        int threads();
    }

    /** Where recipients and senders are checked: the local cache, and directory-service while that loads. */
    interface Directory {
        /**
         * Follow directory.changes in a local cache (the normal case). Off: every lookup goes to directory-service
         * (for tests of the fallback, and small setups that would rather not hold the directory in memory).
         */
        @WithDefault("true")
        boolean localCache();

        /** Ask directory-service while the local cache is not loaded; off: answer 451 4.4.3 until it is. */
        @WithDefault("true")
        boolean lookupEnabled();

        /** Base URL of directory-service (its internal lookup API is under /internal/v1). */
        @WithDefault("http://127.0.0.1:8081")
        String lookupUrl();

        /** Longest wait for a lookup (and for the services' token); an RCPT then gets 451 4.4.3. */
        @WithDefault("2s")
        Duration lookupTimeout();

        /** How long a lookup answer that accepts is reused. */
        @WithDefault("60s")
        Duration lookupPositiveTtl();

        /** How long a refusing answer is reused; short, so that a just-created address works soon. */
        @WithDefault("10s")
        Duration lookupNegativeTtl();

        @WithDefault("10000")
        int lookupCacheSize();
    }

    interface Tls {
        /** PEM certificate chain; with key-file, replaces the generated self-signed certificate. */
        Optional<String> certFile();

        Optional<String> keyFile();

        /** PKCS12 keystore, as an alternative to a PEM pair. */
        Optional<String> keystore();

        Optional<String> keystorePassword();
    }

    /** Where spool files and the generated local certificate live; defaults to MAIL_DATA_DIR or the temp dir. */
    Optional<String> dataDir();

    /** Worker threads running sessions' blocking steps (store, publish, password checks). */
    @WithDefault("64")
    int workerThreads();
}
