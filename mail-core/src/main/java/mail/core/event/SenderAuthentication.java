package mail.core.event;

import java.util.regex.Pattern;

/**
 * What the MX found when it checked who sent a message (SPF, DKIM, DMARC), and whether delivery should file it into
 * the recipients' Junk mailbox. Absent from events the MX did not check: submissions, DSNs, and older records.
 *
 * @param spf    the SPF result of the MAIL FROM identity as an RFC 8601 token ({@code pass}, {@code softfail}, ...)
 * @param dkim   the best DKIM result of the message ({@code pass} when any signature passed; {@code none} unsigned)
 * @param dmarc  the DMARC result ({@code pass}, {@code fail}, {@code none}, ...)
 * @param junk   the gateway's policy asks for the Junk mailbox (DMARC p=quarantine, or an SPF fail as configured)
 * @param reason why it goes to Junk; null when it does not
 */
public record SenderAuthentication(String spf, String dkim, String dmarc, boolean junk, String reason) {

    private static final Pattern RESULT = Pattern.compile("[a-z]+");

    public SenderAuthentication {
        result(spf, "spf");
        result(dkim, "dkim");
        result(dmarc, "dmarc");
        Checks.optionalNonBlank(reason, "reason");
        Checks.noControlCharacters(reason == null ? "" : reason, "reason");
        if (junk != (reason != null)) {
            throw new IllegalArgumentException("reason must be set exactly when junk is true");
        }
    }

    private static void result(String value, String name) {
        Checks.nonBlank(value, name);
        if (!RESULT.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be a lower-case RFC 8601 result, got '" + value + "'");
        }
    }
}
