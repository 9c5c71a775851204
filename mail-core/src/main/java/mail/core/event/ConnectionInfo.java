package mail.core.event;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Facts about the SMTP session that accepted a message, enough to write the Received: header and to apply
 * per-client policy downstream without asking the gateway.
 *
 * @param authenticatedUser the SMTP AUTH identity, null for unauthenticated sessions
 * @param tlsProtocol       for example {@code TLSv1.3}; null without TLS
 * @param tlsCipher         for example {@code TLS_AES_256_GCM_SHA384}; null without TLS
 * @param gatewayHost       the host name of the gateway instance that accepted the message
 * @param receivedAt        when the gateway accepted the final DATA/BDAT, which is the Received: header date
 */
public record ConnectionInfo(
        String clientIp,
        String heloName,
        String authenticatedUser,
        ReceivedProtocol protocol,
        String tlsProtocol,
        String tlsCipher,
        String gatewayHost,
        Instant receivedAt) {

    // A literal only: resolving a name here would put DNS lookups into event parsing.
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    public ConnectionInfo {
        Checks.nonBlank(clientIp, "clientIp");
        if (!IP_LITERAL.matcher(clientIp).matches()) {
            throw new IllegalArgumentException("clientIp must be an IPv4 or IPv6 literal, got '" + clientIp + "'");
        }
        Checks.nonBlank(heloName, "heloName");
        Checks.noControlCharacters(heloName, "heloName");
        Checks.optionalNonBlank(authenticatedUser, "authenticatedUser");
        Checks.required(protocol, "protocol");
        Checks.optionalNonBlank(tlsProtocol, "tlsProtocol");
        Checks.optionalNonBlank(tlsCipher, "tlsCipher");
        Checks.nonBlank(gatewayHost, "gatewayHost");
        Checks.required(receivedAt, "receivedAt");
        // Contradictory facts would put a false statement into the Received: header and into abuse reports.
        if (protocol.tls() != (tlsProtocol != null) || protocol.tls() != (tlsCipher != null)) {
            throw new IllegalArgumentException("protocol " + protocol + " requires tlsProtocol and tlsCipher to be "
                    + (protocol.tls() ? "set" : "null"));
        }
        if (protocol.authenticated() != (authenticatedUser != null)) {
            throw new IllegalArgumentException("protocol " + protocol + " requires authenticatedUser to be "
                    + (protocol.authenticated() ? "set" : "null"));
        }
    }
}
