package mail.smtp.protocol;

import java.util.Objects;

/**
 * A command line that cannot be accepted, with the reply to send for it.
 *
 * <p>Checked, so that a session cannot forget that every line from the peer may be rejected. No
 * stack trace is captured: a hostile client can produce these at line rate and the trace would only
 * ever point into the parser.
 *
 * <p>{@link #closeConnection()} is true when the parser can no longer tell where the next command
 * starts, which today means a malformed BDAT: the client streams the chunk right after the command
 * without waiting, so reading on would execute message content as commands (command smuggling).
 * The session must send {@link #reply()} and then close the connection.
 */
public final class SmtpSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient SmtpReply reply;
    private final boolean closeConnection;

    public SmtpSyntaxException(SmtpReply reply) {
        this(reply, false);
    }

    public SmtpSyntaxException(SmtpReply reply, boolean closeConnection) {
        super(Objects.requireNonNull(reply, "reply").code() + " " + reply.text(), null, false, false);
        this.reply = reply;
        this.closeConnection = closeConnection;
    }

    public SmtpReply reply() {
        return reply;
    }

    public boolean closeConnection() {
        return closeConnection;
    }
}
