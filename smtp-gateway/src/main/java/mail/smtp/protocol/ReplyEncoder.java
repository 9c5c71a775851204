package mail.smtp.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Turns a {@link SmtpReply} into the octets sent to the client (RFC 5321 §4.2):
 * {@code 250-first}, …, {@code 250 last}, each line ending in CRLF.
 *
 * <p>With {@code enhanced} set, the enhanced status code follows the reply code on every line, as
 * RFC 2034 §4 requires for multi-line replies. Lines are cut so that none exceeds the 512 octets
 * (code and CRLF included) that RFC 5321 §4.5.3.1.5 lets a client assume; a cut never splits a
 * UTF-8 sequence. {@link SmtpReply} already guarantees that no line contains CR or LF.
 */
public final class ReplyEncoder {

    public static final int MAX_REPLY_LINE_OCTETS = 512;

    private ReplyEncoder() {
    }

    public static byte[] encode(SmtpReply reply, boolean enhanced) {
        return encodeToString(reply, enhanced).getBytes(StandardCharsets.UTF_8);
    }

    /** The same text as {@link #encode}, for tests and protocol traces. */
    public static String encodeToString(SmtpReply reply, boolean enhanced) {
        String prefix = enhanced && reply.enhancedCode() != null ? reply.enhancedCode() + " " : "";
        int budget = MAX_REPLY_LINE_OCTETS - 4 - prefix.length() - 2;
        StringBuilder sb = new StringBuilder(64);
        int last = reply.lines().size() - 1;
        for (int i = 0; i <= last; i++) {
            sb.append(reply.code()).append(i == last ? ' ' : '-').append(prefix);
            appendTruncated(sb, reply.lines().get(i), budget);
            sb.append("\r\n");
        }
        return sb.toString();
    }

    private static void appendTruncated(StringBuilder sb, String text, int maxOctets) {
        int octets = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (octets + len > maxOctets) {
                return;
            }
            octets += len;
            sb.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
    }
}
