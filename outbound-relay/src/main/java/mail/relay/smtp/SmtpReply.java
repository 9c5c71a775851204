package mail.relay.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A (possibly multi-line) SMTP reply. */
public record SmtpReply(int code, List<String> lines) {
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    public SmtpReply {
        lines = List.copyOf(lines);
    }

    public boolean positive() {
        return code >= 200 && code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** "550 5.1.1 no such user": as a DSN's Diagnostic-Code wants it, continuation lines joined. */
    public String text() {
        return code + " " + String.join(" ", lines).strip();
    }

    /** RFC 3463 status from the reply (RFC 2034), or a generic one of the reply's class. */
    public String enhancedStatus() {
        if (!lines.isEmpty()) {
            Matcher m = ENHANCED.matcher(lines.get(0));
            if (m.find() && m.group(1).charAt(0) == Integer.toString(code).charAt(0)) {
                return m.group(1) + "." + m.group(2) + "." + m.group(3);
            }
        }
        return (code / 100) + ".0.0";
    }
}
