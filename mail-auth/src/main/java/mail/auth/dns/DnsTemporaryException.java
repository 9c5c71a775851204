package mail.auth.dns;

/** A DNS question could not be answered now (timeout, SERVFAIL, unreachable server); asking later may work. */
public final class DnsTemporaryException extends RuntimeException {
    public DnsTemporaryException(String message) {
        super(message);
    }
}
