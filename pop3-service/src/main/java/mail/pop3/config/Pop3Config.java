package mail.pop3.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of pop3-service; each key can be set from the environment (MAIL_POP3_…). */
@ConfigMapping(prefix = "mail.pop3")
public interface Pop3Config {
    /** POP3 with STLS; 0 picks a free port (tests). */
    @WithDefault("2110")
    int port();

    /** Access rules of the STLS listener (mail.pop3.port). */
    Access listener();

    /** Access rules of the implicit-TLS listener (mail.pop3.tls-port). */
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

        /** Client networks refused with -ERR; a deny entry wins over an allow entry. */
        Optional<List<String>> deny();
    }

    /** POP3 over implicit TLS (the 995 style). */
    @WithDefault("2995")
    int tlsPort();

    @WithDefault("127.0.0.1")
    String bindHost();

    /** The name in the greeting and in the self-signed certificate. */
    @WithDefault("localhost")
    String hostname();

    /** RFC 1939 §3: an autologout timer of at least 10 minutes. */
    @WithDefault("10m")
    Duration idleTimeout();

    /** RFC 2449 §4: command lines are at most 255 octets, CRLF included. */
    @WithDefault("255")
    int maxCommandLineLength();

    /** USER/PASS and AUTH over a connection without TLS; off by default so that no password crosses in clear text. */
    @WithDefault("false")
    boolean allowPlaintextAuth();

    /** Protocol errors after which a session is closed. */
    @WithDefault("20")
    int maxErrors();

    @WithDefault("3")
    int maxAuthFailures();

    @WithDefault("1s")
    Duration authFailureDelay();

    @WithDefault("30s")
    Duration authFailureMaxDelay();

    @WithDefault("20")
    int maxConnectionsPerIp();

    @WithDefault("2000")
    int maxConnections();

    /** Client networks (CIDR) exempt from max-connections-per-ip; empty: none. */
    @WithDefault("127.0.0.0/8,::1/128")
    List<String> connectionLimitExempt();

    /**
     * How long a maildrop lock lives without renewal; a session renews it at a third of this, so a crashed
     * instance's lock frees the maildrop after at most this long.
     */
    @WithDefault("60s")
    Duration lockLease();

    Tls tls();

    interface Tls {
        /** PEM certificate chain; with key-file, replaces the generated self-signed certificate. */
        Optional<String> certFile();

        Optional<String> keyFile();

        /** PKCS12 keystore, as an alternative to a PEM pair. */
        Optional<String> keystore();

        Optional<String> keystorePassword();
    }

    /** Where the generated local certificate lives; defaults to the temp dir. */
    Optional<String> dataDir();

    /** Worker threads running sessions' blocking steps (store, object store, password checks). */
    @WithDefault("32")
    int workerThreads();
}
