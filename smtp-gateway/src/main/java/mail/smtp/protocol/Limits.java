package mail.smtp.protocol;

/**
 * Line length limits, in octets including the CRLF.
 *
 * <p>{@code maxCommandLineLength} is the RFC 5321 §4.5.3.1.4 limit (512), which a server must accept
 * at least; anything lower is refused. MAIL and RCPT get the additions their extensions define
 * on top (see {@link ParserOptions#mailLineLength()} and {@link ParserOptions#rcptLineLength()}). {@code maxAuthLineLength} covers
 * {@code AUTH} with an initial response and the SASL response lines: RFC 4954 keeps AUTH within the
 * ordinary limit, but GSSAPI and OAUTHBEARER tokens are routinely several kilobytes, so the default
 * is a generous 12288.
 */
public record Limits(int maxCommandLineLength, int maxAuthLineLength) {

    public static final int RFC_5321_COMMAND_LINE = 512;
    public static final Limits DEFAULT = new Limits(RFC_5321_COMMAND_LINE, 12_288);

    public Limits {
        if (maxCommandLineLength < RFC_5321_COMMAND_LINE) {
            throw new IllegalArgumentException(
                    "maxCommandLineLength below the RFC 5321 minimum of 512: " + maxCommandLineLength);
        }
        if (maxAuthLineLength < maxCommandLineLength) {
            throw new IllegalArgumentException("maxAuthLineLength must be at least maxCommandLineLength");
        }
    }
}
