package mail.smtp.server;

/** The three kinds of SMTP listener: what they require is the session's policy, the wire is the same. */
public enum Listener {
    /** Inbound from other servers (port 25): no AUTH needed, only our domains accepted, STARTTLS offered. */
    MX(false, false),
    /** Message submission with STARTTLS (RFC 6409, port 587): AUTH required, only after TLS. */
    SUBMISSION(true, false),
    /** Message submission over implicit TLS (RFC 8314, port 465). */
    SUBMISSIONS(true, true);

    private final boolean authRequired;
    private final boolean implicitTls;

    Listener(boolean authRequired, boolean implicitTls) {
        this.authRequired = authRequired;
        this.implicitTls = implicitTls;
    }

    public boolean authRequired() {
        return authRequired;
    }

    public boolean implicitTls() {
        return implicitTls;
    }
}
