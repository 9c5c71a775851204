package mail.smtp.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The replies a session sends most often. Basic codes and texts follow RFC 5321 §4.2 and the
 * extension that defines them; enhanced codes follow RFC 3463 and the registry of RFC 5248.
 * Adjust the text with {@link SmtpReply#withText} when a more specific message helps the client.
 */
public final class Replies {

    private Replies() {
    }

    public static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok");
    /** X.1.0 "other address status": the reverse-path was accepted. */
    public static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Sender ok");
    /** X.1.5 "destination address valid". */
    public static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, "2.1.5", "Recipient ok");
    public static final SmtpReply MESSAGE_ACCEPTED = SmtpReply.of(250, "2.0.0", "Message accepted for delivery");

    /** RFC 5321 §3.5.3: the recommended answer when VRFY is not honoured. */
    public static final SmtpReply VRFY = SmtpReply.of(252, "2.5.0",
            "Cannot VRFY user, but will accept message and attempt delivery");
    /** A 3xx reply, so RFC 2034 gives it no enhanced code. */
    public static final SmtpReply START_DATA = SmtpReply.withoutEnhancedCode(354,
            "Start mail input; end with <CRLF>.<CRLF>");

    /** RFC 3207 §4; not the initial greeting, so the enhanced code is required. */
    public static final SmtpReply READY_TO_START_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    public static final SmtpReply TLS_NOT_AVAILABLE = SmtpReply.of(454, "4.7.0",
            "TLS not available due to temporary reason");
    /** RFC 3207 §4 text, RFC 4954 code. */
    public static final SmtpReply ENCRYPTION_REQUIRED = SmtpReply.of(530, "5.7.0",
            "Must issue a STARTTLS command first");

    // RFC 4954 §4 and §6
    public static final SmtpReply AUTH_OK = SmtpReply.of(235, "2.7.0", "Authentication succeeded");
    public static final SmtpReply AUTH_REQUIRED = SmtpReply.of(530, "5.7.0", "Authentication required");
    public static final SmtpReply AUTH_FAILED = SmtpReply.of(535, "5.7.8", "Authentication credentials invalid");
    public static final SmtpReply AUTH_TEMP_FAILURE = SmtpReply.of(454, "4.7.0", "Temporary authentication failure");
    /** A client address or account blocked after too many failures on any instance (RFC 4954 §6: temporary). */
    public static final SmtpReply AUTH_BLOCKED = SmtpReply.of(454, "4.7.0",
            "Too many authentication failures from your address or for this account, try again later");
    public static final SmtpReply AUTH_MECHANISM_UNKNOWN = SmtpReply.of(504, "5.5.4", "Unrecognized authentication type");
    public static final SmtpReply AUTH_MECHANISM_TOO_WEAK = SmtpReply.of(534, "5.7.9",
            "Authentication mechanism is too weak");
    public static final SmtpReply AUTH_ENCRYPTION_REQUIRED = SmtpReply.of(538, "5.7.11",
            "Encryption required for requested authentication mechanism");
    public static final SmtpReply AUTH_BAD_BASE64 = SmtpReply.of(501, "5.5.2", "Cannot Base64-decode Client responses");
    public static final SmtpReply AUTH_LINE_TOO_LONG = SmtpReply.of(500, "5.5.6",
            "Authentication Exchange line is too long");
    /** The client answered a challenge with "*" (RFC 4954 §4 mandates 501; the enhanced code is ours). */
    public static final SmtpReply AUTH_CANCELLED = SmtpReply.of(501, "5.7.0", "Authentication cancelled");
    public static final SmtpReply ALREADY_AUTHENTICATED = SmtpReply.of(503, "5.5.1", "Already authenticated");

    public static final SmtpReply UNKNOWN_COMMAND = SmtpReply.of(500, "5.5.2", "Syntax error, command unrecognized");
    /** RFC 5321 §4.2.2 lists "command line too long" under 500. */
    public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.2", "Line too long");
    public static final SmtpReply SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax error in parameters or arguments");
    public static final SmtpReply BAD_SENDER_SYNTAX = SmtpReply.of(501, "5.1.7", "Bad sender address syntax");
    public static final SmtpReply BAD_RECIPIENT_SYNTAX = SmtpReply.of(501, "5.1.3", "Bad recipient address syntax");
    public static final SmtpReply COMMAND_NOT_IMPLEMENTED = SmtpReply.of(502, "5.5.1", "Command not implemented");
    public static final SmtpReply BAD_SEQUENCE = SmtpReply.of(503, "5.5.1", "Bad sequence of commands");
    public static final SmtpReply PARAMETER_NOT_IMPLEMENTED = SmtpReply.of(504, "5.5.4",
            "Command parameter not implemented");
    /** RFC 5321 §4.1.1.11. */
    public static final SmtpReply PARAMETERS_NOT_RECOGNIZED = SmtpReply.of(555, "5.5.4",
            "MAIL FROM/RCPT TO parameters not recognized or not implemented");
    /** RFC 6531: a non-ASCII address without the SMTPUTF8 parameter; X.6.7 is registered by RFC 5248. */
    public static final SmtpReply NON_ASCII_SENDER = SmtpReply.of(553, "5.6.7",
            "Non-ASCII addresses not permitted for that sender");
    public static final SmtpReply NON_ASCII_RECIPIENT = SmtpReply.of(553, "5.6.7",
            "Non-ASCII addresses not permitted for that recipient");

    /** RFC 5321 §4.5.3.1.10. */
    public static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Too many recipients");
    /** RFC 1870 text for a declared SIZE, or a received message, over the fixed limit. */
    public static final SmtpReply MESSAGE_TOO_BIG = SmtpReply.of(552, "5.3.4",
            "Message size exceeds fixed maximum message size");
    /** RFC 1870: the declared SIZE does not fit right now. */
    public static final SmtpReply INSUFFICIENT_STORAGE = SmtpReply.of(452, "4.3.1", "Insufficient system storage");
    /**
     * 550 rather than the 554 some servers send: RFC 5321 §4.3.2 does not list 554 among the
     * replies to RCPT, while 550 covers "command rejected for policy reasons" (§4.2.3).
     */
    public static final SmtpReply RELAY_DENIED = SmtpReply.of(550, "5.7.1", "Relay access denied");
    public static final SmtpReply NO_SUCH_USER = SmtpReply.of(550, "5.1.1", "No such user");
    /** Submission (RFC 6409) refusing a MAIL FROM the authenticated user may not use. */
    public static final SmtpReply SENDER_NOT_OWNED = SmtpReply.of(553, "5.7.1",
            "Sender address not owned by authenticated user");

    /** RFC 3463 4.4.3: the directory (a routing server) cannot be reached, so the recipient cannot be checked now. */
    public static final SmtpReply DIRECTORY_UNAVAILABLE = SmtpReply.of(451, "4.4.3",
            "Directory temporarily unavailable, try again later");
    public static final SmtpReply TEMP_FAILURE = SmtpReply.of(451, "4.3.0",
            "Requested action aborted: local error in processing");
    public static final SmtpReply TIMEOUT = SmtpReply.of(421, "4.4.2", "Timeout exceeded, closing connection");
    public static final SmtpReply BYE = SmtpReply.of(221, "2.0.0", "Bye");

    /** The 220 greeting; RFC 5321 §4.2 wants the server's name first, RFC 2034 no enhanced code. */
    public static SmtpReply greeting(String serverName, String text) {
        return SmtpReply.withoutEnhancedCode(220, serverName + " " + text);
    }

    public static SmtpReply helo(String serverName) {
        return SmtpReply.withoutEnhancedCode(250, serverName);
    }

    /** The EHLO response: greeting line, then one extension keyword (with its parameters) per line. */
    public static SmtpReply ehlo(String serverName, String greeting, List<String> keywords) {
        List<String> lines = new ArrayList<>(keywords.size() + 1);
        lines.add(serverName + " " + greeting);
        lines.addAll(keywords);
        return new SmtpReply(250, null, lines);
    }

    /** RFC 5321 §4.2.3 shows 221 and 421 starting with the server's name. */
    public static SmtpReply bye(String serverName) {
        return SmtpReply.of(221, "2.0.0", serverName + " Service closing transmission channel");
    }

    public static SmtpReply timeout(String serverName) {
        return SmtpReply.of(421, "4.4.2", serverName + " Timeout exceeded, closing connection");
    }

    /** An AUTH challenge (RFC 4954 §4): 334, base64 text, possibly empty; 3xx, so no enhanced code. */
    public static SmtpReply authChallenge(String base64) {
        return SmtpReply.withoutEnhancedCode(334, base64);
    }
}
