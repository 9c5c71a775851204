package mail.core.event;

/**
 * The "with" protocol of the Received: header (RFC 3848, RFC 6531 registry). The name encodes whether TLS and
 * SMTP AUTH were used, which {@link ConnectionInfo} cross-checks against the TLS and authentication facts.
 */
public enum ReceivedProtocol {
    SMTP(false, false),
    ESMTP(false, false),
    ESMTPA(false, true),
    ESMTPS(true, false),
    ESMTPSA(true, true),
    UTF8SMTP(false, false),
    UTF8SMTPA(false, true),
    UTF8SMTPS(true, false),
    UTF8SMTPSA(true, true),
    LMTP(false, false),
    LMTPA(false, true),
    LMTPS(true, false),
    LMTPSA(true, true),
    UTF8LMTP(false, false),
    UTF8LMTPA(false, true),
    UTF8LMTPS(true, false),
    UTF8LMTPSA(true, true);

    private final boolean tls;
    private final boolean authenticated;

    ReceivedProtocol(boolean tls, boolean authenticated) {
        this.tls = tls;
        this.authenticated = authenticated;
    }

    public boolean tls() {
        return tls;
    }

    public boolean authenticated() {
        return authenticated;
    }

    /** The EHLO-session value; RFC 6531 names the SMTPUTF8 variants UTF8SMTP*, without the E. */
    public static ReceivedProtocol of(boolean smtpUtf8, boolean tls, boolean authenticated) {
        return valueOf((smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : ""));
    }
}
