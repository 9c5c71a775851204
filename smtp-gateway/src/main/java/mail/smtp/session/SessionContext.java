package mail.smtp.session;

import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import mail.core.identity.PasswordVerifier;
import mail.core.identity.TokenVerifier;
import mail.protocol.auth.AuthThrottle;
import mail.protocol.auth.AuthenticatedSessions;
import mail.protocol.metrics.CommandMetrics;
import mail.smtp.abuse.AbuseProtection;
import mail.smtp.auth.SenderChecks;
import mail.smtp.config.SmtpConfig;
import mail.smtp.directory.GatewayDirectory;
import mail.smtp.handoff.MailHandoff;
import mail.smtp.protocol.CommandParser;

/**
 * What every session of the gateway shares: configuration and the adapters it talks to.
 *
 * @param senderChecks sender authentication of the MX; null when mail.smtp.auth-checks.enabled is false
 * @param tracer        spans of SMTP transactions; a no-op tracer when tracing is off
 * @param metrics       commands by verb and replies by code
 */
public record SessionContext(SmtpConfig config, CommandParser parser, int maxLineOctets, GatewayDirectory directory,
                             PasswordVerifier passwords, TokenVerifier tokens, MailHandoff handoff, AuthThrottle authThrottle,
                             AuthenticatedSessions sessions, Path spoolDir, boolean tlsAvailable,
                             SenderChecks senderChecks, AbuseProtection abuse, Tracer tracer,
                             CommandMetrics metrics) {

    public String hostname() {
        return config.hostname();
    }
}
