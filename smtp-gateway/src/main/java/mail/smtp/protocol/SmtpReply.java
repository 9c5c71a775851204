package mail.smtp.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an optional RFC 3463 enhanced status code and one or more
 * lines of text (more than one makes a multi-line reply).
 *
 * <p>{@code enhancedCode} is null where RFC 2034 §3 forbids it: 3xx replies (354, 334) and the
 * replies that RFC 2034 exempts, namely the initial 220 greeting and the response to HELO/EHLO. Every
 * other 2xx/4xx/5xx reply should carry one; {@link ReplyEncoder} prints it only when asked to, so a
 * listener can switch ENHANCEDSTATUSCODES off without touching the reply constants.
 *
 * <p>The lines are made wire-safe here rather than rejected: a reply is often built on an error
 * path from text that came from elsewhere (an exception reason, a directory entry), and throwing
 * there would turn a 5xx into a dropped connection. Every control character (C0, DEL, C1) and the
 * Unicode line/paragraph separators become {@code '?'}, so a line can never contain CR or LF and
 * never split into two replies on the wire.
 */
public record SmtpReply(int code, String enhancedCode, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code must be 200..599: " + code);
        }
        if (enhancedCode != null) {
            checkEnhancedCode(code, enhancedCode);
        }
        Objects.requireNonNull(lines, "lines");
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs at least one line");
        }
        List<String> safe = new ArrayList<>(lines.size());
        for (String line : lines) {
            safe.add(sanitize(Objects.requireNonNull(line, "line")));
        }
        lines = List.copyOf(safe);
    }

    public static SmtpReply of(int code, String enhancedCode, String... lines) {
        return new SmtpReply(code, enhancedCode, List.of(lines));
    }

    /** For the replies RFC 2034 exempts from enhanced codes (greeting, HELO/EHLO, 3xx). */
    public static SmtpReply withoutEnhancedCode(int code, String... lines) {
        return new SmtpReply(code, null, List.of(lines));
    }

    /** Same code and enhanced code, different text: {@code Replies.SYNTAX.withText("Bad SIZE value")}. */
    public SmtpReply withText(String... newLines) {
        return new SmtpReply(code, enhancedCode, List.of(newLines));
    }

    /** Appends lines, turning the reply into a multi-line one (e.g. EHLO keywords). */
    public SmtpReply withMoreLines(List<String> more) {
        List<String> all = new ArrayList<>(lines);
        all.addAll(more);
        return new SmtpReply(code, enhancedCode, all);
    }

    /** 2xx and 3xx: the command was accepted or the server waits for more. */
    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The lines joined by a single space, for logs and exception messages. */
    public String text() {
        return String.join(" ", lines);
    }

    // RFC 3463 §2: class "." subject "." detail, subject and detail 1*3digit; RFC 2034 §4: the class
    // must agree with the first digit of the reply code, and 3xx replies carry none.
    private static void checkEnhancedCode(int code, String enhanced) {
        int firstDot = enhanced.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : enhanced.indexOf('.', firstDot + 1);
        if (firstDot != 1 || secondDot < 0
                || !isNumber(enhanced, firstDot + 1, secondDot)
                || !isNumber(enhanced, secondDot + 1, enhanced.length())) {
            throw new IllegalArgumentException("malformed enhanced status code: " + enhanced);
        }
        char cls = enhanced.charAt(0);
        if (cls != '2' && cls != '4' && cls != '5') {
            throw new IllegalArgumentException("enhanced status class must be 2, 4 or 5: " + enhanced);
        }
        if (cls - '0' != code / 100) {
            throw new IllegalArgumentException(
                    "enhanced status " + enhanced + " does not agree with reply code " + code);
        }
    }

    private static boolean isNumber(String s, int from, int to) {
        if (to - from < 1 || to - from > 3) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Ascii.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String sanitize(String line) {
        StringBuilder sb = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (sb == null) {
                    sb = new StringBuilder(line);
                }
                sb.setCharAt(i, '?');
            }
        }
        return sb == null ? line : sb.toString();
    }
}
