package mail.smtp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of smtp-gateway; each key can be set from the environment (MAIL_SMTP_…). */
@ConfigMapping(prefix = "mail.smtp")
public interface SmtpConfig {
    /** the name announced in the greeting and in Received: headers */
    @WithDefault("localhost")
    String hostname();

    /** MX listener (inbound from other servers) */
    @WithDefault("2525")
    int mxPort();

    /** submission with STARTTLS (RFC 6409) */
    @WithDefault("2587")
    int submissionPort();

    /** submission over implicit TLS (RFC 8314) */
    @WithDefault("2465")
    int submissionsPort();

    /** SIZE limit in bytes, advertised in EHLO */
    @WithDefault("52428800")
    long maxMessageSize();
}
