package mail.imap.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of imap-service; each key can be set from the environment (MAIL_IMAP_…). */
@ConfigMapping(prefix = "mail.imap")
public interface ImapConfig {
    /** name in the greeting and in logs */
    @WithDefault("localhost")
    String hostname();

    /** IMAP with STARTTLS; 0 picks a free port (tests) */
    @WithDefault("2143")
    int port();

    /** IMAP over implicit TLS */
    @WithDefault("2993")
    int tlsPort();

    /** Access rules of the STARTTLS listener (mail.imap.port). */
    Access listener();

    /** Access rules of the implicit-TLS listener (mail.imap.tls-port). */
    Access tlsListener();

    interface Access {
        /**
         * Every connection starts with a PROXY protocol header (v1 or v2, e.g. HAProxy's send-proxy-v2) naming the real
         * client, which is then the address logged, throttled and limited; off by default.
         */
        @WithDefault("false")
        boolean proxyProtocol();

        /** Networks (CIDR) that may send the PROXY header; a connection from anywhere else is closed. */
        @WithDefault("127.0.0.0/8,::1/128")
        List<String> trustedProxies();

        /** Client networks (CIDR, IPv4 and IPv6) allowed on this listener; unset: all not denied. */
        Optional<List<String>> allow();

        /** Client networks refused with a BYE; a deny entry wins over an allow entry. */
        Optional<List<String>> deny();
    }

    @WithDefault("127.0.0.1")
    String bindHost();

    /** largest literal accepted (APPEND), announced as APPENDLIMIT */
    @WithDefault("52428800")
    long maxLiteralSize();

    /** largest literal of any other command, held in memory */
    @WithDefault("65536")
    int maxSmallLiteralSize();

    /** longest command line, literals not counted */
    @WithDefault("65536")
    int maxLineLength();

    /** RFC 9051 §5.4: at least 30 minutes of inactivity before an autologout */
    @WithDefault("30m")
    Duration idleTimeout();

    /** BAD commands after which the session ends with BYE */
    @WithDefault("20")
    int maxBadCommands();

    @WithDefault("3")
    int maxAuthFailures();

    @WithDefault("1s")
    Duration authFailureDelay();

    @WithDefault("30s")
    Duration authFailureMaxDelay();

    /** LOGIN and AUTHENTICATE only once the connection is encrypted (LOGINDISABLED before) */
    @WithDefault("true")
    boolean requireTlsForAuth();

    @WithDefault("20")
    int maxConnectionsPerIp();

    @WithDefault("5000")
    int maxConnections();

    /** logged-in sessions of one account on this instance (Thunderbird opens up to 5 per account by default) */
    @WithDefault("50")
    int maxSessionsPerAccount();

    @WithDefault("127.0.0.0/8,::1/128")
    List<String> connectionLimitExempt();

    @WithDefault("64")
    int workerThreads();

    Tls tls();

    interface Tls {
        Optional<String> certFile();

        Optional<String> keyFile();

        Optional<String> keystore();

        Optional<String> keystorePassword();
    }

    /** where the self-signed certificate of local runs is kept */
    Optional<String> dataDir();
}
