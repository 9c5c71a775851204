package mail.message;

/**
 * Decoded text IMAP SEARCH answers from without reading bodies. Header fields are RFC 2047 decoded
 * ("Name <addr>, ..." for address fields), body is the decoded text of every text/* part (transfer encoding
 * and charset decoded, HTML stripped, whitespace collapsed), parts separated by a newline. The whole record
 * is capped by {@link ParserLimits#maxSearchTextChars()}; {@code truncated} says the cap was hit, so a
 * SEARCH that finds nothing in a truncated message may fall back to reading the body.
 */
public record SearchText(String subject, String from, String to, String cc, String bcc, String body,
                         boolean truncated) {

    public static SearchText empty() {
        return new SearchText("", "", "", "", "", "", false);
    }
}
