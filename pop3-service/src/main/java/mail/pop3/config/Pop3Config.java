package mail.pop3.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of pop3-service; each key can be set from the environment (MAIL_POP3_…). */
@ConfigMapping(prefix = "mail.pop3")
public interface Pop3Config {
    /** POP3 with STLS */
    @WithDefault("2110")
    int port();

    /** POP3 over implicit TLS */
    @WithDefault("2995")
    int tlsPort();
}
