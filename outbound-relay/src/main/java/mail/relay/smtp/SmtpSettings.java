package mail.relay.smtp;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * @param verifyingTls the context for TLS that must be verified (trust store); opportunistic TLS accepts any certificate
 */
public record SmtpSettings(String heloName, Duration connect, Duration greeting, Duration command, Duration dataInit,
                           Duration dataBlock, Duration dataTermination, SSLContext verifyingTls, int maxConnectionsPerDestination,
                           Duration connectionIdle) {
}
