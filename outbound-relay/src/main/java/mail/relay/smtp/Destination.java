package mail.relay.smtp;

import java.util.Optional;

/**
 * One host to try.
 *
 * @param hostname    the name the certificate must carry when TLS is verified (the MX name, or the route's host)
 * @param address     what to connect to (an IP literal, or a name for static routes)
 * @param requireTls  send only after STARTTLS with a certificate verified against the trust store
 * @param credentials AUTH for a smart host
 */
public record Destination(String hostname, String address, int port, boolean requireTls, Optional<Credentials> credentials) {

    /** Connections to one key can be reused for each other's mail and share the concurrency limit. */
    public String key() {
        return address + ":" + port + (requireTls ? "/tls" : "") + credentials.map(c -> "/" + c.username()).orElse("");
    }

    @Override
    public String toString() {
        return hostname.equals(address) ? hostname + ":" + port : hostname + "[" + address + "]:" + port;
    }

    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + "]";
        }
    }
}
