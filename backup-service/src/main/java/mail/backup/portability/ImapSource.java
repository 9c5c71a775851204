package mail.backup.portability;

import java.util.Locale;

/**
 * A remote IMAP account to migrate from. The secret (password or OAuth access token) lives only as long as the job:
 * it is never stored, and {@link #toString()} leaves it out so that no log line can carry it.
 *
 * @param verifyCertificate false accepts any certificate (an old server with a self-signed one); the connection is still encrypted
 */
public record ImapSource(String host, int port, Tls tls, String user, String secret, Auth auth, boolean verifyCertificate) {
    public enum Tls { IMPLICIT, STARTTLS, NONE }

    /** PASSWORD logs in with LOGIN/AUTHENTICATE PLAIN; the other two send the secret as an OAuth 2.0 bearer token. */
    public enum Auth { PASSWORD, XOAUTH2, OAUTHBEARER }

    public ImapSource {
        if (host == null || host.isBlank()) {
            throw new PortabilityException("host", "host is required");
        }
        if (port < 1 || port > 65535) {
            throw new PortabilityException("port", "port must be 1 to 65535, not " + port);
        }
        if (user == null || user.isBlank()) {
            throw new PortabilityException("user", "user is required");
        }
        if (secret == null || secret.isEmpty()) {
            throw new PortabilityException(auth == Auth.PASSWORD ? "password" : "token", "a password or a token is required");
        }
    }

    /** The port a client uses when none is given: 993 for implicit TLS, otherwise 143. */
    public static int defaultPort(Tls tls) {
        return tls == Tls.IMPLICIT ? 993 : 143;
    }

    /** How the source is named in results and errors: no secret. */
    public String shownAs() {
        return "imap://" + user + "@" + host + ":" + port + (tls == Tls.IMPLICIT ? " (TLS)" : tls == Tls.STARTTLS ? " (STARTTLS)" : "");
    }

    /** The same source whatever the case of the host name: what the resume records are filed under. */
    String key() {
        return Importer.sha256((host.toLowerCase(Locale.ROOT) + ":" + port + "/" + user).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16);
    }

    @Override
    public String toString() {
        return shownAs();
    }
}
