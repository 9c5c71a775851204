package mail.relay.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the outbound relay; each key can be set from the environment (MAIL_RELAY_…). */
@ConfigMapping(prefix = "mail.relay")
public interface RelayConfig {
    /** Our name in EHLO, in DSNs (Reporting-MTA) and in the MAILER-DAEMON address. */
    @WithDefault("localhost")
    String hostname();

    /** Kafka consumer group shared by all copies. */
    @WithDefault("outbound-relay")
    String consumerGroup();

    /** Whether this copy feeds mail.outbound into the queue. */
    @WithDefault("true")
    boolean consumerEnabled();

    /** Whether this copy delivers queued mail (off: admin API and the Kafka feed only). */
    @WithDefault("true")
    boolean workerEnabled();

    /** Delivery threads of this copy; each works on one queued message at a time. */
    @WithDefault("4")
    int workers();

    /**
     * How long a claimed message belongs to this copy. A copy that dies holding it (kill -9) loses it after this
     * long and another copy delivers it: at most a duplicate attempt, never a loss. Longer than one SMTP transaction.
     */
    @WithDefault("15m")
    Duration lease();

    /** How often an idle worker looks for due work (new entries from this copy's consumer wake it at once). */
    @WithDefault("2s")
    Duration pollInterval();

    /** Pauses between attempts after a temporary failure; the last one repeats until maxAge. */
    @WithDefault("5m,15m,30m,1h,2h")
    List<Duration> backoff();

    /** Give up (failure DSN) this long after the platform accepted the message. */
    @WithDefault("5d")
    Duration maxAge();

    /** Send one "delayed" DSN once a message has waited this long; 0 disables. */
    @WithDefault("4h")
    Duration delayWarning();

    /** RET=FULL returns the whole message only up to this size, else its header. */
    @WithDefault("1048576")
    long dsnFullMessageLimit();

    /** Static routes: domain to host:port, taking precedence over the smart host and MX. */
    Map<String, String> routes();

    /** Domains whose mail is sent only over TLS with a certificate verified against the trust store. */
    Optional<List<String>> requireTlsDomains();

    /** PKCS12 trust store for verified TLS (require-tls domains, smart host); the JDK's when absent. */
    Optional<String> trustStore();

    Optional<String> trustStorePassword();

    SmartHost smartHost();

    Dns dns();

    Timeouts timeouts();

    Dkim dkim();

    /** Open SMTP connections per destination host at once, in this copy. */
    @WithDefault("4")
    int maxConnectionsPerDestination();

    /** How long an idle connection is kept for the next message to the same destination. */
    @WithDefault("10s")
    Duration connectionIdle();

    interface SmartHost {
        /** host:port that all mail without a static route goes through, instead of MX. */
        Optional<String> address();

        Optional<String> username();

        Optional<String> password();

        /** Refuse to send to the smart host without verified TLS (always on when credentials are set). */
        @WithDefault("false")
        boolean requireTls();
    }

    MtaSts mtaSts();

    interface MtaSts {
        /** Look up and apply receivers' MTA-STS policies (RFC 8461) to mail routed by MX. */
        @WithDefault("true")
        boolean enabled();

        /** Port of the policy servers; 443 except in tests. */
        @WithDefault("443")
        int port();

        /** Connect and read timeout of a policy fetch. */
        @WithDefault("20s")
        Duration timeout();
    }

    interface Dns {
        /** Resolver IP (port 53) or ip:port; the system's resolvers when absent. */
        Optional<String> resolver();

        @WithDefault("10s")
        Duration timeout();
    }

    interface Dkim {
        /** Sign outgoing mail with the sender domain's keys from directory-service. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("http://127.0.0.1:8081")
        String directoryUrl();

        @WithDefault("5s")
        Duration timeout();

        /** How long a domain's keys (or their absence) are remembered; a rotated key is used after at most this. */
        @WithDefault("60s")
        Duration keyCache();
    }

    /** RFC 5321 §4.5.3.2 minimums as defaults. */
    interface Timeouts {
        @WithDefault("30s")
        Duration connect();

        @WithDefault("5m")
        Duration greeting();

        /** EHLO, STARTTLS, MAIL, RCPT, RSET, QUIT */
        @WithDefault("5m")
        Duration command();

        @WithDefault("2m")
        Duration dataInit();

        @WithDefault("3m")
        Duration dataBlock();

        @WithDefault("10m")
        Duration dataTermination();
    }
}
