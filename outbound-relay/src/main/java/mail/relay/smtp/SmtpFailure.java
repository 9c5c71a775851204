package mail.relay.smtp;

/**
 * A failure of a whole connection or transaction (not of one recipient): the host is unreachable, timed out, greeted
 * with an error, refused TLS a policy requires, or broke the protocol.
 *
 * @param status    RFC 3463 status for the DSN or the admin API
 * @param permanent 5xx-style: retrying cannot help
 */
public final class SmtpFailure extends Exception {
    private final String status;
    private final boolean permanent;

    public SmtpFailure(String reply, String status, boolean permanent, Throwable cause) {
        super(reply, cause);
        this.status = status;
        this.permanent = permanent;
    }

    public static SmtpFailure temporary(String reply, String status) {
        return new SmtpFailure(reply, status, false, null);
    }

    public static SmtpFailure of(SmtpReply reply, String what) {
        return new SmtpFailure(reply.text() + " (in reply to " + what + ")", reply.enhancedStatus(), reply.permanentFailure(), null);
    }

    /** The reply or diagnosis, as it goes into Diagnostic-Code. */
    public String reply() {
        return getMessage();
    }

    public String status() {
        return status;
    }

    public boolean permanent() {
        return permanent;
    }
}
