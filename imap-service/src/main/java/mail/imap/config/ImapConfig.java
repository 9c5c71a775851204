package mail.imap.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of imap-service; each key can be set from the environment (MAIL_IMAP_…). */
@ConfigMapping(prefix = "mail.imap")
public interface ImapConfig {
    /** IMAP with STARTTLS */
    @WithDefault("2143")
    int port();

    /** IMAP over implicit TLS */
    @WithDefault("2993")
    int tlsPort();

    /** largest literal accepted (APPEND) */
    @WithDefault("52428800")
    long maxLiteralSize();
}
