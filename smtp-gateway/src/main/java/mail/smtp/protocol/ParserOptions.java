package mail.smtp.protocol;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import mail.core.address.Domain;

/**
 * What a listener advertised, as far as command syntax depends on it.
 *
 * @param postmasterDomain the domain given to the domain-less {@code RCPT TO:<Postmaster>} that
 *     RFC 5321 §4.1.1.3 requires servers to accept; normally the server's own host name
 * @param extensions the advertised extensions that add MAIL/RCPT parameters
 * @param limits line length limits
 */
public record ParserOptions(Domain postmasterDomain, Set<Extension> extensions, Limits limits) {

    // Line length additions that the extensions define for the commands carrying their parameters:
    // RFC 1870 (SIZE) 26, RFC 3461 (DSN) 100 on MAIL and 500 on RCPT, RFC 4954 (AUTH=) 500. SMTPUTF8
    // states none; it gets room for its own keyword.
    private static final int SIZE_ALLOWANCE = 26;
    private static final int DSN_MAIL_ALLOWANCE = 100;
    private static final int DSN_RCPT_ALLOWANCE = 500;
    private static final int AUTH_ALLOWANCE = 500;
    private static final int SMTPUTF8_ALLOWANCE = 10;

    public ParserOptions {
        Objects.requireNonNull(postmasterDomain, "postmasterDomain");
        Objects.requireNonNull(limits, "limits");
        extensions = extensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extensions));
    }

    /** Every extension advertised, default limits. */
    public static ParserOptions allExtensions(Domain postmasterDomain) {
        return new ParserOptions(postmasterDomain, EnumSet.allOf(Extension.class), Limits.DEFAULT);
    }

    public boolean advertises(Extension extension) {
        return extensions.contains(extension);
    }

    public int mailLineLength() {
        int n = limits.maxCommandLineLength();
        n += advertises(Extension.SIZE) ? SIZE_ALLOWANCE : 0;
        n += advertises(Extension.DSN) ? DSN_MAIL_ALLOWANCE : 0;
        n += advertises(Extension.AUTH) ? AUTH_ALLOWANCE : 0;
        n += advertises(Extension.SMTPUTF8) ? SMTPUTF8_ALLOWANCE : 0;
        return n;
    }

    public int rcptLineLength() {
        return limits.maxCommandLineLength() + (advertises(Extension.DSN) ? DSN_RCPT_ALLOWANCE : 0);
    }

    /**
     * The longest line any command may have, CRLF included. The framing layer must stop buffering
     * at this many octets, discard input up to the next CRLF and reply {@link Replies#LINE_TOO_LONG}
     * itself; lines within it go to the parser, which applies the limit of their verb.
     */
    public int maxLineOctets() {
        return Math.max(limits.maxAuthLineLength(), Math.max(mailLineLength(), rcptLineLength()));
    }

    /** The limit for one command line, CRLF included; {@code verb} upper-case, or null if unknown. */
    int maxLineLength(String verb) {
        if (verb == null) {
            return limits.maxCommandLineLength();
        }
        switch (verb) {
            case "MAIL":
                return mailLineLength();
            case "RCPT":
                return rcptLineLength();
            case "AUTH":
                return limits.maxAuthLineLength();
            default:
                return limits.maxCommandLineLength();
        }
    }
}
